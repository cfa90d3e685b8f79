"""Pure metric functions over per-question results."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from eval.dataset import EvalQuestion, Gold
from ingest.normalize import repair_chars


@dataclass(frozen=True)
class Cited:
    doc: str
    clause_path: str
    quote: str
    clause_text: str
    source: str = ""  # file name the document was ingested from


@dataclass(frozen=True)
class Result:
    """What one system did with one question."""

    question: EvalQuestion
    answer: str
    refused: bool
    citations: tuple[Cited, ...]
    retrieved: tuple[Cited, ...]  # ranked evidence (quote = the clause or chunk text)
    seconds: float
    confidence: float = 1.0  # the answering layer's calibrated support score


def comparable(text: str) -> str:
    """Text as answers and gold strings are compared: ingest's character repair (half-width digits,
    radicals as ideographs), no whitespace — the writers copied from raw extracts that keep ６ and
    line-break spaces, while answers quote the repaired text."""
    return re.sub(r"\s+", "", repair_chars(text))


def _same_document(item: Cited, gold: Gold) -> bool:
    if gold.source and item.source:
        return item.source == gold.source
    return item.doc == gold.doc


def matches_gold(item: Cited, gold: tuple[Gold, ...]) -> bool:
    return any(_same_document(item, g) and (item.clause_path == g.clause_path or item.clause_path.endswith(g.clause_path)
                                            or comparable(g.quote) in comparable(item.clause_text)) for g in gold)


def answer_correct(result: Result) -> bool:
    q = result.question
    if not q.answerable:
        return result.refused
    if result.refused:
        return False
    answer = comparable(result.answer)
    return (all(comparable(s) in answer for s in q.must_contain)
            and not any(comparable(s) in answer for s in q.must_not_contain))


def gold_rank(result: Result) -> int | None:
    for rank, item in enumerate(result.retrieved, start=1):
        if matches_gold(item, result.question.gold):
            return rank
    return None


def quotes_verbatim(result: Result) -> bool:
    return all(c.quote and c.quote in c.clause_text for c in result.citations)


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def summarize(results: list[Result]) -> dict:
    answerable = [r for r in results if r.question.answerable]
    unanswerable = [r for r in results if not r.question.answerable]
    ranks = [gold_rank(r) for r in answerable]
    answered = [r for r in answerable if not r.refused and r.citations]
    cited = [c for r in answered for c in r.citations]
    latencies = sorted(r.seconds for r in results)
    return {
        "questions": len(results),
        "accuracy": _share([answer_correct(r) for r in results]),
        "answerable_accuracy": _share([answer_correct(r) for r in answerable]),
        "hit@1": _share([rank == 1 for rank in ranks]),
        "hit@5": _share([rank is not None and rank <= 5 for rank in ranks]),
        "mrr": (sum(1 / rank for rank in ranks if rank) / len(ranks)) if ranks else None,
        "first_citation_gold": _share([bool(r.citations) and matches_gold(r.citations[0], r.question.gold)
                                       for r in answerable]),
        "citation_precision": _share([matches_gold(c, r.question.gold) for r in answered for c in r.citations]),
        "quotes_verbatim": _share([quotes_verbatim(r) for r in results if r.citations]) if cited or results else None,
        "refusal_rate_unanswerable": _share([r.refused for r in unanswerable]),
        "false_refusal_rate": _share([r.refused for r in answerable]),
        "median_answer_chars": statistics.median(len(r.answer) for r in results) if results else None,
        "latency_median_ms": 1000 * statistics.median(latencies) if latencies else None,
        "latency_p95_ms": 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else None,
    }


def refusal_curve(results: list[Result], thresholds=tuple(t / 20 for t in range(1, 20))) -> list[dict]:
    """What refusing every answer whose confidence is below t would give: refusal precision (refused
    questions that were unanswerable), refusal recall (unanswerable questions refused), accuracy."""
    curve = []
    unanswerable = sum(not r.question.answerable for r in results)
    for t in thresholds:
        refused = [r for r in results if r.refused and r.confidence == 0.0 or r.confidence < t]
        right_refusals = sum(not r.question.answerable for r in refused)
        kept = [r for r in results if r not in refused]
        correct = right_refusals + sum(answer_correct(r) for r in kept if r.question.answerable)
        curve.append({"threshold": t, "precision": right_refusals / len(refused) if refused else None,
                      "recall": right_refusals / unanswerable if unanswerable else None,
                      "accuracy": correct / len(results) if results else None})
    return curve
