"""The evaluation in CI, over the corpus and the realdocs: gates on the TEST split (never tuned on).

Thresholds sit just under the numbers measured when the test split was committed (README, "Numbers"):
they catch regressions, and they are honest about where version 1's answering layer stands on
questions it was not written for. A failing question is listed by id.
"""

import json

import pytest

from eval.dataset import load_questions
from eval.report import write
from eval.runner import evaluate
from eval.baselines import FixedChunkDense, run_bm25
from tests.helpers import CORPUS, REALDOCS, needs_realdocs

# Test split as measured when the answering layer was rebuilt (README, "Evaluation"): corpus 0.555
# accuracy, hit@5 0.898, first citation 0.684; realdocs 0.413, 0.653, 0.493. Floors sit 3–6 points under.
TEST_THRESHOLDS = {
    "corpus": {"accuracy": 0.50, "hit@5": 0.85, "first_citation_gold": 0.62, "quotes_verbatim": 1.0},
    "realdocs": {"accuracy": 0.37, "hit@5": 0.62, "first_citation_gold": 0.45, "quotes_verbatim": 1.0},
}


@pytest.fixture(scope="module")
def full_assistant(tmp_path_factory, model_cache, embedder):
    """Corpus and realdocs in one index, as a user who adds their own files would have it."""
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest
    from ingest.settings import Settings
    from rag.assistant import Assistant

    settings = Settings(data_dir=tmp_path_factory.mktemp("full-index"), cache_dir=model_cache)
    index = PolicyIndex(settings, create=True)
    report = ingest([CORPUS, REALDOCS], settings, index, embedder)
    assert report.count("added") == 16, [(o.name, o.reason) for o in report.skipped]
    return Assistant(settings, index=index, embedder=embedder)


@pytest.mark.slow
@needs_realdocs
def test_evaluation_meets_thresholds_on_the_test_split(full_assistant, tmp_path):
    report = evaluate(full_assistant, load_questions(), baselines=False)
    splits = report["system"]["splits"]
    print("\nfailed questions:", " ".join(report["failed"]) or "none")
    below = {}
    for collection, thresholds in TEST_THRESHOLDS.items():
        metrics = splits[f"test/{collection}"]
        print(collection, json.dumps({k: metrics[k] for k in list(thresholds) + ["false_refusal_rate",
                                                                               "refusal_rate_unanswerable"]}))
        below.update({f"{collection} {k}": round(metrics[k], 3) for k, floor in thresholds.items() if metrics[k] < floor})
    assert not below, f"below thresholds: {below}"
    write(report, tmp_path)
    assert (tmp_path / "report.md").exists() and (tmp_path / "accuracy.png").stat().st_size > 1000
    regressed = write(report, tmp_path)  # a second run compares with the first
    assert regressed == [] and (tmp_path / "report.previous.json").exists()


def test_baselines_run_on_the_same_questions(assistant):
    questions = [q for q in load_questions() if q.collection == "corpus"][:6]
    bm25 = run_bm25(assistant.retriever, questions)
    dense = FixedChunkDense(assistant.retriever, size=300).run(questions)
    assert len(bm25) == len(dense) == 6 and all(r.answer for r in bm25 + dense)
