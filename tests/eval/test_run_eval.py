"""The evaluation on the corpus, in CI: fails below thresholds set from measured numbers.

Measured at the time of writing (full set, 115 questions): accuracy 0.904, hit@1 0.897, hit@5 0.979,
first citation gold 0.928, refusal of unanswerable 0.667, false refusals 0.000, quotes verbatim 1.000.
Thresholds sit just under those; a failing question is listed by id.
"""

import json

from eval.dataset import load_questions
from eval.report import write
from eval.runner import evaluate
from eval.baselines import FixedChunkDense, run_bm25

THRESHOLDS = {
    "accuracy": 0.88,
    "hit@1": 0.87,
    "hit@5": 0.95,
    "first_citation_gold": 0.90,
    "quotes_verbatim": 1.0,
    "refusal_rate_unanswerable": 0.6,
}
MAX_FALSE_REFUSALS = 0.04


def test_evaluation_meets_thresholds(assistant, tmp_path):
    report = evaluate(assistant, load_questions(), baselines=False)
    metrics = report["system"]["all"]
    print("\nfailed questions:", " ".join(report["failed"]) or "none")
    print(json.dumps({k: metrics[k] for k in list(THRESHOLDS) + ["false_refusal_rate", "latency_median_ms"]}, indent=1))
    below = {k: round(metrics[k], 3) for k, floor in THRESHOLDS.items() if metrics[k] < floor}
    assert not below, f"below thresholds: {below}; failed questions: {report['failed']}"
    assert metrics["false_refusal_rate"] <= MAX_FALSE_REFUSALS, report["failed"]
    write(report, tmp_path)
    assert (tmp_path / "report.md").exists() and (tmp_path / "accuracy.png").stat().st_size > 1000
    regressed = write(report, tmp_path)  # a second run compares with the first
    assert regressed == [] and (tmp_path / "report.previous.json").exists()


def test_baselines_run_on_the_same_questions(assistant):
    questions = load_questions()[:6]
    bm25 = run_bm25(assistant.retriever, questions)
    dense = FixedChunkDense(assistant.retriever, size=300).run(questions)
    assert len(bm25) == len(dense) == 6 and all(r.answer for r in bm25 + dense)
