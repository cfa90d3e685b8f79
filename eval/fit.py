"""Fits the answer ranker and the refusal gate on the TRAIN split, and reports them on DEV.

    python -m eval.fit            # uses POLICYQA_DATA_DIR: an index holding corpus/ and ../shared/realdocs

Writes rag/ranker.json (candidate-sentence ranker) and rag/refusal.json (support score + threshold),
each with the feature names, the split it was fitted on, the number of examples and a version. The
test split is never read here.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import numpy as np

from eval.dataset import EvalQuestion, load_questions
from eval.metrics import comparable
from rag import rank, refusal

VERSION = 1


@dataclass
class Example:
    question: EvalQuestion
    ranked: list  # rag.rank.Candidate, best first
    answer_types: tuple[str, ...]
    kind: str

    def positive(self, candidate) -> bool:
        sentence = comparable(candidate.sentence)
        return self.question.answerable and all(comparable(s) in sentence for s in self.question.must_contain)


def collect(assistant, questions: list[EvalQuestion]) -> list[Example]:
    examples = []
    for question in questions:
        if question.follows:
            continue  # the ranker learns from self-contained questions
        analysed, kind, evidence = assistant.generic_path(question.question)
        ranked = assistant.rank(analysed, kind, evidence) if evidence else []
        examples.append(Example(question, ranked, kind.answer_types, kind.name))
    return examples


def fit_ranker(examples: list[Example]) -> dict:
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for example in examples:
        flags = [example.positive(c) for c in example.ranked]
        if not any(flags):
            continue  # no sentence answers: nothing to learn about ranking here
        rows += [c.features for c in example.ranked]
        labels += flags
    model = LogisticRegression(C=1.0, max_iter=2000).fit(np.array(rows), np.array(labels))
    return {"version": VERSION, "features": list(rank.FEATURES), "coef": model.coef_[0].round(4).tolist(),
            "intercept": round(float(model.intercept_[0]), 4), "fitted_on": "train", "examples": len(rows)}


def _gate_rows(examples: list[Example], ranker: dict) -> tuple[np.ndarray, np.ndarray, list[bool]]:
    rows, labels, answerable = [], [], []
    for example in examples:
        ranked = sorted(example.ranked, key=lambda c: -rank.probability(c.features, ranker))
        ranked = [rank.Candidate(c.evidence, c.rank, c.sentence, c.spans, c.features, rank.probability(c.features, ranker))
                  for c in ranked]
        if example.kind in refusal.TYPED_KINDS:  # as rag.refusal.decide: sentences with the asked type first
            typed = [c for c in ranked if c.typed(example.answer_types)]
            if not typed:
                continue  # refused by rule whatever the score: nothing for the gate to learn
            ranked = typed + [c for c in ranked if c not in typed]
        if not ranked:
            rows.append((0.0,) * len(refusal.GATE_FEATURES))
            labels.append(False)
        else:
            rows.append(refusal.gate_features(ranked, example.answer_types))
            labels.append(example.positive(ranked[0]))
        answerable.append(example.question.answerable)
    return np.array(rows), np.array(labels), answerable


def outcome(probabilities, labels, answerable, threshold: float) -> float:
    """Share of questions handled right when answering at or above the threshold."""
    right = [(label if p >= threshold else not ok) for p, label, ok in zip(probabilities, labels, answerable)]
    return float(np.mean(right))


def fit_gate(examples: list[Example], ranker: dict) -> dict:
    from sklearn.linear_model import LogisticRegression

    rows, labels, answerable = _gate_rows(examples, ranker)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(rows, labels)
    probabilities = model.predict_proba(rows)[:, 1]
    curve = [(round(t, 2), round(outcome(probabilities, labels, answerable, t), 3)) for t in np.arange(0.05, 0.96, 0.05)]
    threshold = max(curve, key=lambda item: (item[1], -abs(item[0] - 0.5)))[0]
    return {"version": VERSION, "features": list(refusal.GATE_FEATURES), "coef": model.coef_[0].round(4).tolist(),
            "intercept": round(float(model.intercept_[0]), 4), "threshold": threshold, "fitted_on": "train",
            "examples": len(rows), "train_curve": curve}


def main() -> None:
    from ingest.settings import Settings
    from rag.assistant import Assistant

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    assistant = Assistant(Settings())
    questions = load_questions()
    train = collect(assistant, [q for q in questions if q.split == "train"])
    ranker = fit_ranker(train)
    rank.WEIGHTS_FILE.write_text(json.dumps(ranker, ensure_ascii=False, indent=1), encoding="utf-8")
    rank.ranker.cache_clear()
    train = collect(assistant, [q for q in questions if q.split == "train"])  # re-ranked with the fitted ranker
    gate = fit_gate(train, ranker)
    refusal.WEIGHTS_FILE.write_text(json.dumps(gate, ensure_ascii=False, indent=1), encoding="utf-8")
    refusal.gate.cache_clear()
    dev = collect(assistant, [q for q in questions if q.split == "dev"])
    rows, labels, answerable = _gate_rows(dev, ranker)
    coef, intercept = np.array(gate["coef"]), gate["intercept"]
    probabilities = 1 / (1 + np.exp(-(rows @ coef + intercept)))
    print("ranker", json.dumps({k: ranker[k] for k in ("coef", "intercept", "examples")}))
    print("gate", json.dumps({k: gate[k] for k in ("coef", "intercept", "threshold", "examples")}))
    print("train curve", gate["train_curve"])
    print("dev curve", [(round(t, 2), round(outcome(probabilities, labels, answerable, t), 3)) for t in np.arange(0.05, 0.96, 0.05)])


if __name__ == "__main__":
    main()
