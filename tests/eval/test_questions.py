"""The evaluation set itself: well-formed, big enough, and every gold quote is in the corpus."""

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.pipeline import parse_document
from ingest.settings import Settings
from tests.helpers import CORPUS

QUESTIONS = [json.loads(line) for line in
             (Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def clauses_by_title():
    table = {}
    for path in sorted(CORPUS.glob("*.txt")):
        parsed = parse_document(path, Settings())
        table[parsed.document.title] = {c.path: c.text for c in parsed.clauses}
    return table


def test_size_and_categories():
    categories = Counter(q["category"] for q in QUESTIONS)
    assert len(QUESTIONS) >= 100
    assert set(categories) == {"date", "units", "industry", "numeric", "docfact", "multi", "unanswerable"}
    assert min(categories.values()) >= 9
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    holdout = sum(q["split"] == "holdout" for q in QUESTIONS)
    assert 0.28 <= holdout / len(QUESTIONS) <= 0.4


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_gold_quotes_occur_in_the_cited_clause(clauses_by_title, question):
    assert question["answerable"] == bool(question["gold"])
    assert question["answerable"] == bool(question["must_contain"])
    for gold in question["gold"]:
        clauses = clauses_by_title[gold["doc"]]
        assert gold["clause_path"] in clauses, (gold["doc"], gold["clause_path"])
        assert gold["quote"] in clauses[gold["clause_path"]], gold
