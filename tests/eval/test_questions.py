"""The evaluation set itself: well-formed, big enough, split honestly, and every gold quote is in the
text ingest makes of its document (so a lost clause or a mangled character shows up here)."""

import json
from collections import Counter
from pathlib import Path


from eval.dataset import load_questions
from eval.metrics import comparable
from ingest.pipeline import parse_document
from ingest.settings import Settings
from tests.helpers import CORPUS, REALDOCS, needs_realdocs

QUESTIONS = [json.loads(line) for line in
             (Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
KINDS = {"date", "duration", "units", "amount", "list", "definition", "yesno", "docfact", "compare", "lookup",
         "followup", "unanswerable"}


def test_size_kinds_and_splits():
    categories = Counter(q["category"] for q in QUESTIONS)
    assert len(QUESTIONS) >= 400 and set(categories) == KINDS
    assert min(categories.values()) >= 15, categories
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    assert {q["split"] for q in QUESTIONS} == {"train", "dev", "test"}
    assert {q["collection"] for q in QUESTIONS if q["split"] == "test"} == {"corpus", "realdocs"}
    assert len(load_questions()) == len(QUESTIONS)


def test_some_realdocs_appear_only_in_test():
    sources = lambda split: {g["source"] for q in QUESTIONS if q["split"] == split and q["collection"] == "realdocs"
                             for g in q["gold"]}
    only_test = sources("test") - sources("train") - sources("dev")
    assert len(only_test) >= 2, only_test


def test_follow_ups_follow_a_question_of_the_same_split():
    by_text = {q["question"]: q for q in QUESTIONS}
    for question in QUESTIONS:
        if question.get("follows"):
            assert by_text[question["follows"]]["split"] == question["split"], question["id"]


def test_answerable_questions_have_gold_and_must_contain():
    for question in QUESTIONS:
        assert question["answerable"] == bool(question["gold"]) == bool(question["must_contain"]), question["id"]


def _texts(folder: Path) -> dict[str, str]:
    return {path.name: comparable("\n".join(c.text for c in parse_document(path, Settings()).clauses))
            for path in sorted(folder.iterdir()) if path.is_file() and path.name.lower() != "readme.md"}


def _found_share(collection: str, texts: dict[str, str]) -> tuple[float, list]:
    missing, total = [], 0
    for question in QUESTIONS:
        if question["collection"] != collection:
            continue
        for gold in question["gold"]:
            total += 1
            if comparable(gold["quote"]) not in texts[gold["source"]]:
                missing.append((question["id"], gold["quote"][:30]))
    return 1 - len(missing) / total, missing


def test_corpus_gold_quotes_are_in_the_ingested_text():
    share, missing = _found_share("corpus", _texts(CORPUS))
    assert share == 1.0, missing


@needs_realdocs
def test_realdocs_gold_quotes_are_in_the_ingested_text():
    """Quotes were checked by their writers against the raw files; ingest must keep them (furniture
    removal, radical repair, line joining). A few right-edge-cut PDF lines are the file's own damage."""
    share, missing = _found_share("realdocs", _texts(REALDOCS))
    print(f"\nrealdocs gold quotes found: {share:.3f}; missing: {missing}")
    assert share >= 0.95, missing
