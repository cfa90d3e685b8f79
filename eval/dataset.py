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


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    category: str
    split: str  # dev | holdout (never used for tuning)
    question: str
    answer: str
    must_contain: tuple[str, ...]
    must_not_contain: tuple[str, ...]
    gold: tuple[Gold, ...]
    answerable: bool


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
                gold=tuple(Gold(g["doc"], g["clause_path"], g["quote"]) for g in raw.get("gold", ())),
                answerable=bool(raw.get("answerable", True)),
            ))
        except (ValueError, KeyError) as error:
            raise ValueError(f"{path}:{number}: not a question record ({error})") from error
    return questions
