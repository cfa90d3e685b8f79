"""Fits the answer ranker and the refusal gate on the TRAIN split, and reports them on DEV.

    python -m eval.fit               # uses POLICYQA_DATA_DIR: an index holding corpus/ and ../shared/realdocs
    python -m eval.fit --only gate   # the gate alone, for the ranker in use

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


def outcome(probabilities, labels, answerable, threshold: float) -> float:
    """Share of questions handled right when answering at or above the threshold."""
    right = [(label if p >= threshold else not ok) for p, label, ok in zip(probabilities, labels, answerable)]
    return float(np.mean(right))


@dataclass
class GateRows:
    rows: np.ndarray  # refusal.gate_features of each question's one gate decision
    labels: np.ndarray  # the answer given with the gate open was right (eval.metrics.answer_correct)
    answerable: np.ndarray


def gate_rows(assistant, questions: list[EvalQuestion]) -> GateRows:
    """Each question asked as `policyqa eval` asks it, with the gate open; its label is whether the
    answer it then gets is right — the very thing the gate must predict. Questions refused by a rule
    or answered in several parts (several gate calls) teach the gate nothing and are left out."""
    from pathlib import Path

    from eval.metrics import Cited, Result, answer_correct

    shipped, calls = refusal.gate, []
    features = refusal.gate_features
    refusal.gate = lambda: {**shipped(), "threshold": -1.0}
    refusal.gate_features = lambda ranked, types: calls.append(features(ranked, types)) or calls[-1]
    rows, labels, answerable = [], [], []
    try:
        for question in questions:
            conversation = assistant.ask(question.follows)[1] if question.follows else None
            calls.clear()
            answer, _ = assistant.ask(question.question, conversation)
            if len(calls) != 1 or answer.refused:
                continue
            cited = tuple(Cited(c.document.title, c.clause.path, c.quote, c.clause.text, Path(c.document.source).name)
                          for c in answer.citations)
            rows.append(calls[0])
            labels.append(answer_correct(Result(question, answer.text, False, cited, cited, 0.0, answer.confidence)))
            answerable.append(question.answerable)
    finally:
        refusal.gate, refusal.gate_features = shipped, features
    return GateRows(np.array(rows), np.array(labels), np.array(answerable))


THRESHOLDS = np.arange(0.05, 0.96, 0.05)


def _cross_validated(data: GateRows, C: float, folds: int = 5) -> np.ndarray:
    """Outcome at each threshold on held-out folds of train (5 shuffles × `folds`): how C and the
    threshold are chosen — the outcome on the fitted rows themselves is flat over a wide band."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    scores = []
    for seed in range(5):
        for fit_on, held in StratifiedKFold(folds, shuffle=True, random_state=seed).split(data.rows, data.labels):
            model = LogisticRegression(C=C, max_iter=5000).fit(data.rows[fit_on], data.labels[fit_on])
            probabilities = model.predict_proba(data.rows[held])[:, 1]
            scores.append([outcome(probabilities, data.labels[held], data.answerable[held], t) for t in THRESHOLDS])
    return np.mean(scores, axis=0)


def fit_gate(data: GateRows) -> dict:
    from sklearn.linear_model import LogisticRegression

    held_out = {C: _cross_validated(data, C) for C in (0.03, 0.1, 0.3, 1.0, 3.0)}
    C = max(held_out, key=lambda c: held_out[c].max())
    threshold = float(THRESHOLDS[int(held_out[C].argmax())])
    model = LogisticRegression(C=C, max_iter=5000).fit(data.rows, data.labels)
    curve = [(round(float(t), 2), round(float(v), 3)) for t, v in zip(THRESHOLDS, held_out[C])]
    return {"version": VERSION + 1, "features": list(refusal.GATE_FEATURES), "coef": model.coef_[0].round(4).tolist(),
            "intercept": round(float(model.intercept_[0]), 4), "threshold": round(threshold, 2), "C": C,
            "labels": "answer correct with the gate open", "fitted_on": "train", "examples": len(data.rows),
            "train_curve_held_out": curve}


def main() -> None:
    from ingest.settings import Settings
    from rag.assistant import Assistant

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("ranker", "gate"), help="fit one of the two (default: the ranker, then the gate)")
    options = parser.parse_args()
    assistant = Assistant(Settings())
    questions = load_questions()
    if options.only != "gate":
        ranker = fit_ranker(collect(assistant, [q for q in questions if q.split == "train"]))
        rank.WEIGHTS_FILE.write_text(json.dumps(ranker, ensure_ascii=False, indent=1), encoding="utf-8")
        rank.ranker.cache_clear()
        print("ranker", json.dumps({k: ranker[k] for k in ("coef", "intercept", "examples")}))
    if options.only == "ranker":
        return
    gate = fit_gate(gate_rows(assistant, [q for q in questions if q.split == "train"]))  # with the ranker in use
    refusal.WEIGHTS_FILE.write_text(json.dumps(gate, ensure_ascii=False, indent=1), encoding="utf-8")
    refusal.gate.cache_clear()
    dev = gate_rows(assistant, [q for q in questions if q.split == "dev"])
    probabilities = 1 / (1 + np.exp(-(dev.rows @ np.array(gate["coef"]) + gate["intercept"])))
    print("gate", json.dumps({k: gate[k] for k in ("coef", "intercept", "threshold", "C", "examples")}))
    print("train curve (held-out folds)", gate["train_curve_held_out"])
    print("dev curve", [(round(t, 2), round(outcome(probabilities, dev.labels, dev.answerable, t), 3)) for t in THRESHOLDS])


if __name__ == "__main__":
    main()
