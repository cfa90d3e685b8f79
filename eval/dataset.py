"""The question set: eval/questions.jsonl, one question per line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_QUESTIONS = Path(__file__).with_name("questions.jsonl")


@dataclass(frozen=True)
class Gold:
    doc: str  # document title
    clause_path: str
    quote: str
    source: str = ""  # file name of the document (realdocs and corpus); matched before the title


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    category: str
    split: str  # train | dev | test (test is never used for tuning)
    question: str
    answer: str
    must_contain: tuple[str, ...]
    must_not_contain: tuple[str, ...]
    gold: tuple[Gold, ...]
    answerable: bool
    follows: str | None = None  # a follow-up: the question asked just before, in the same chat
    writer: str = ""
    collection: str = "corpus"  # corpus (the five documents in corpus/) | realdocs (../shared/realdocs)


def load_questions(path: Path = DEFAULT_QUESTIONS) -> list[EvalQuestion]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            questions.append(EvalQuestion(
                id=raw["id"], category=raw["category"], split=raw.get("split", "dev"), question=raw["question"],
                answer=raw.get("answer", ""), must_contain=tuple(raw.get("must_contain", ())),
                must_not_contain=tuple(raw.get("must_not_contain", ())),
                gold=tuple(Gold(g["doc"], g["clause_path"], g["quote"], g.get("source", ""))
                           for g in raw.get("gold", ())),
                answerable=bool(raw.get("answerable", True)), follows=raw.get("follows"),
                writer=raw.get("writer", ""), collection=raw.get("collection", "corpus"),
            ))
        except (ValueError, KeyError) as error:
            raise ValueError(f"{path}:{number}: not a question record ({error})") from error
    return questions


def test_split_hash(path: Path = DEFAULT_QUESTIONS) -> str:
    """Fingerprint of the test split as committed: reported with every evaluation."""
    import hashlib

    digest = hashlib.sha256()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and json.loads(line).get("split") == "test":
            digest.update(line.encode("utf-8"))
    return digest.hexdigest()[:16]
