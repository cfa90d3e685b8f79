"""Question kinds as a registry: one module per kind, one line here.

A kind says what an answer to it looks like (`answer_types`: the typed spans of rag.extract that can
answer it), gives labelled example questions, and may take over answering entirely (`answer`), as
document facts, lookups and comparisons do. Detection scores every kind: a character n-gram
logistic regression fitted on the kinds' own example questions (never on evaluation questions),
plus a bonus where a kind's cue words occur. Adding a kind is one file plus one line in KINDS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

CUE_BONUS = 0.35  # a cue word is strong evidence, but the classifier can still overrule it


@dataclass(frozen=True)
class Kind:
    name: str
    examples: tuple[str, ...]
    cues: str = ""  # regex of words that signal this kind
    answer_types: tuple[str, ...] = ()  # rag.extract span kinds that answer it; () = any sentence
    answer: Callable | None = None  # (context) -> Answer | None, for kinds that answer on their own

    @property
    def pattern(self) -> re.Pattern | None:
        return re.compile(self.cues) if self.cues else None


def _registry() -> dict[str, Kind]:
    from rag.kinds import (amount, compare, definition, docfact, documents, duration, frequency, listing, lookup, other,
                           person, when, where, who, yesno)

    kinds = [when.KIND, duration.KIND, frequency.KIND, where.KIND, who.KIND, amount.KIND, listing.KIND, definition.KIND, yesno.KIND,
             person.KIND, docfact.KIND, compare.KIND, documents.KIND, lookup.KIND, other.KIND]
    return {kind.name: kind for kind in kinds}


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    return _registry()


@lru_cache(maxsize=1)
def _classifier():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, labels = [], []
    for kind in kinds().values():
        texts += list(kind.examples)
        labels += [kind.name] * len(kind.examples)
    model = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, lowercase=True),
                          LogisticRegression(C=8.0, max_iter=2000))
    model.fit(texts, labels)
    patterns = {name: kind.pattern for name, kind in kinds().items()}
    return model, patterns


def classify(text: str) -> dict[str, float]:
    """Every kind's score for this question (higher is more likely)."""
    model, patterns = _classifier()
    probabilities = model.predict_proba([text])[0]
    scores = {name: float(p) for name, p in zip(model.classes_, probabilities)}
    for name, pattern in patterns.items():
        if pattern is not None and pattern.search(text):
            scores[name] = scores.get(name, 0.0) + CUE_BONUS
    return scores
