"""Runs the assistant (and the baselines) over the question set; models are loaded once."""

from __future__ import annotations

import time
from pathlib import Path
from collections import defaultdict

from eval.baselines import FixedChunkDense, run_bm25
from eval.dataset import EvalQuestion
from eval.metrics import Cited, Result, answer_correct, gold_rank, refusal_curve, summarize
from rag.refusal import gate as _gate


def run_assistant(assistant, questions: list[EvalQuestion], progress=None) -> list[Result]:
    assistant.ask("百日攻坚第三季什么时候结束？")  # warm-up: first-call costs are not latency
    results = []
    for number, question in enumerate(questions, start=1):
        conversation = None
        if question.follows:  # a follow-up is asked in the chat where its first question was asked
            _, conversation = assistant.ask(question.follows)
        started = time.perf_counter()
        answer, _ = assistant.ask(question.question, conversation)
        seconds = time.perf_counter() - started
        citations = tuple(Cited(c.document.title, c.clause.path, c.quote, c.clause.text, Path(c.document.source).name)
                          for c in answer.citations)
        retrieved = tuple(Cited(e.document.title, e.clause.path, e.chunk_text, e.clause.text, Path(e.document.source).name)
                          for e in answer.evidence)
        if not retrieved:
            retrieved = citations
        results.append(Result(question, answer.text, answer.refused, citations, retrieved, seconds, answer.confidence))
        if progress:
            progress(number, len(questions))
    return results


def breakdown(results: list[Result]) -> dict:
    by_split, by_category = defaultdict(list), defaultdict(list)
    for result in results:
        by_split[result.question.split].append(result)
        by_split[f"{result.question.split}/{result.question.collection}"].append(result)
        by_category[result.question.category].append(result)
    return {
        "all": summarize(results),
        "splits": {name: summarize(items) for name, items in sorted(by_split.items())},
        "categories": {name: summarize(items) for name, items in sorted(by_category.items())},
    }


def per_question(results: list[Result]) -> list[dict]:
    return [{
        "id": r.question.id, "category": r.question.category, "split": r.question.split,
        "question": r.question.question, "correct": answer_correct(r), "refused": r.refused,
        "confidence": round(r.confidence, 3),
        "gold_rank": gold_rank(r), "answer": r.answer,
        "citations": [f"{c.doc} {c.clause_path}" for c in r.citations], "ms": round(1000 * r.seconds, 1),
    } for r in results]


def evaluate(assistant, questions: list[EvalQuestion], baselines: bool = True, progress=None) -> dict:
    results = run_assistant(assistant, questions, progress)
    report = {"system": breakdown(results), "questions": per_question(results), "baselines": {},
              "refusal_curve": {split: refusal_curve([r for r in results if r.question.split == split])
                                for split in sorted({r.question.split for r in results})},
              "refusal_threshold": refusal_threshold()}
    if baselines:
        report["baselines"]["bm25"] = breakdown(run_bm25(assistant.retriever, questions))
        report["baselines"]["fixed_dense"] = breakdown(FixedChunkDense(assistant.retriever).run(questions))
    report["failed"] = [q["id"] for q in report["questions"] if not q["correct"]]
    return report


def refusal_threshold() -> float:
    return float(_gate()["threshold"])
