"""Candidate answers and their ranking.

A candidate is one sentence of a retrieved clause (its text is a substring of the clause, so it can
be quoted as it is), with the typed spans found in it. Features that generalize across documents:
dense similarity of the question to the sentence's clause, IDF-weighted overlap with the sentence and with
the clause and its headings, whether the sentence holds the type of answer asked for, the clause's
retrieval rank. The weights are a logistic regression fitted on the TRAIN split by `rag/fit.py`
and stored in `rag/ranker.json` with the features' names and a version; nothing here is hand-set
except the fallback weights used before a fit exists.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.normalize import MARKER_START
from rag.extract import Span, find_all
from rag.models import Evidence
from rag.question import Question, bigrams

WEIGHTS_FILE = Path(__file__).with_name("ranker.json")
FEATURES = ("dense", "overlap_sentence", "overlap_clause", "answer_type", "retrieval", "heading", "rare_terms")
_FALLBACK = {"version": "fallback", "coef": [3.0, 3.0, 1.5, 1.5, 1.0, 0.5, 1.0], "intercept": -4.0}
_SENTENCE = re.compile(r"[^。！？；\n]+(?:[。！？；]+[”’）]*|\n|$)")
MAX_CLAUSES = 5
MAX_SENTENCES = 40
MAX_ENCODED = 120  # sentences an English question's own similarity is computed for (~0.3 s on 2 cores)


@dataclass(frozen=True)
class Candidate:
    evidence: Evidence
    rank: int  # retrieval rank of its clause (0 = best)
    sentence: str  # occurs character for character in evidence.clause.text
    spans: tuple[Span, ...]
    features: tuple[float, ...] = ()
    score: float = 0.0  # fitted probability that this sentence answers the question

    def typed(self, types: tuple[str, ...]) -> tuple[Span, ...]:
        return tuple(s for s in self.spans if not types or s.kind in types)


class Weighting(Protocol):
    """Where bigram weights come from: the catalog's stored counts (`StoredTermWeights`) or
    `FrequencyWeights` over given texts; both use log((N + 1) / (df + 0.5))."""

    def idf(self, gram: str) -> float: ...
    def known(self, gram: str) -> bool: ...


class FrequencyWeights:
    """Bigram weights from document frequencies counted in memory (tests, small ad-hoc sets)."""

    def __init__(self, document_frequency: dict[str, int], total: int):
        self._df = document_frequency
        self._total = max(total, 1)

    @classmethod
    def of_texts(cls, texts: list[str]) -> FrequencyWeights:
        frequency: dict[str, int] = {}
        for text in texts:
            for gram in bigrams(text):
                frequency[gram] = frequency.get(gram, 0) + 1
        return cls(frequency, len(texts))

    def idf(self, gram: str) -> float:
        return math.log((self._total + 1) / (self._df.get(gram, 0) + 0.5))

    def known(self, gram: str) -> bool:
        return gram in self._df


class TermStats:
    """Inverse document frequency of character bigrams, from the index's per-term statistics."""

    def __init__(self, weights: Weighting):
        self._weights = weights

    def idf(self, gram: str) -> float:
        return self._weights.idf(gram)

    def known(self, gram: str) -> bool:
        return self._weights.known(gram)

    def overlap(self, grams: frozenset[str], text_grams: frozenset[str]) -> float:
        """Share of the question's (known) bigram weight found in the text."""
        grams = frozenset(g for g in grams if self.known(g))
        if not grams:
            return 0.0
        return sum(self.idf(g) for g in grams & text_grams) / sum(self.idf(g) for g in grams)


def _is_heading(sentence: str, clause) -> bool:
    """The sentence is only the clause's marker and heading: 第五条（积分指标体系）, （九）革命老区。"""
    rest = MARKER_START.sub("", sentence.strip()).strip("。；：:（）() ")
    heading = (clause.heading or "").strip("。；：:（）() ")
    return not rest or (bool(heading) and rest == heading)


# A table printed line by line (专栏 1): a row whose label wraps over lines ends at the line holding its values.
_VALUES_LINE = re.compile(r"\d[^\n]*$", re.MULTILINE)
# Its label's last line ends with the unit (占营业收入比重（%）); a category line (规模总量) does not.
_WRAPPED_ROW = re.compile(r"(?:^|(?<=\n))(?:[^\n\d。；！？：:]+\n){0,2}[^\n\d。；！？：:]*[）)]\n+[^\n。；！？]*\d[^\n]*")
_BARE_ITEM = 6  # characters: a list item this short is a name, not a statement
_TABLE_ROWS = 3  # lines ending in a value that make a clause a table
# A full printed line (24+ characters) that ends without a sentence's punctuation was wrapped, not ended;
# a heading (一、总体要求, （一）大力承接绿色低碳产业) is shorter.
# A line ending in a mark no sentence ends with (稳定住所、⏎稳定就业) goes on, however short.
_WRAPPED_LINE = re.compile(r"[^\n]{24,}(?<![。！？；：:”’）)…])\n$|[、，“‘（(《]\n$")


def sentences(text: str) -> list[str]:
    """The clause's sentences, each a substring of it; in a table, each row with its whole label."""
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    if len(_VALUES_LINE.findall(text)) >= _TABLE_ROWS:
        rows = [(m.start(), m.end()) for m in _WRAPPED_ROW.finditer(text)]
        inside = lambda a, b: any(r0 <= a and len(text[:b].rstrip()) <= r1 for r0, r1 in rows)  # noqa: E731
        spans = sorted(rows + [(a, b) for a, b in spans if not inside(a, b)])
    else:  # a printed page's line broken off mid-sentence (…固定座椅内载一名十六周岁⏎以下的未成年人；) goes on
        joined: list[tuple[int, int]] = []
        for a, b in spans:
            if joined and _WRAPPED_LINE.search(text[joined[-1][0]:joined[-1][1]]) and not MARKER_START.match(text[a:b]):
                joined[-1] = (joined[-1][0], b)
            else:
                joined.append((a, b))
        spans = joined
    return [s for s in (text[a:b].strip() for a, b in spans) if len(s) >= 2]


@lru_cache(maxsize=1)
def ranker() -> dict:
    try:
        return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _FALLBACK


def probability(features: tuple[float, ...], model: dict | None = None) -> float:
    model = model or ranker()
    z = model["intercept"] + sum(w * x for w, x in zip(model["coef"], features))
    return 1.0 / (1.0 + math.exp(-z))


def sentence_similarities(question: Question, sentences: list[str], embedder) -> list[float]:
    """Cosine of the question with each sentence (the multilingual dense model): what an English
    question shares with a Chinese sentence, which no character bigram can show."""
    if not sentences:
        return []
    asked = question.text
    for document in question.documents:  # the 文号 says which document, not which sentence (its header line)
        if document.doc_number:
            asked = asked.replace(document.doc_number, " ")
    query = embedder.embed_query(asked.strip())
    return [float(v) for v in embedder.embed_passages(sentences) @ query]


def candidates(question: Question, evidence: list[Evidence], answer_types: tuple[str, ...], stats: TermStats,
               context: dict[tuple[str, str], str] | None = None, embedder=None) -> list[Candidate]:
    """Ranked candidate sentences from the best clauses; `context` maps (doc_id, path) to the
    headings of the clauses a clause sits in. With an `embedder` (given for an English question)
    each sentence's own dense similarity stands for it, not its clause's."""
    context = context or {}
    pool: list[tuple[int, Evidence, str]] = []
    bare: list[tuple[int, Evidence, str]] = []  # clauses that are only a bare item: the last resort
    for rank, item in enumerate(evidence[:MAX_CLAUSES]):
        found = sentences(item.clause.text)
        # a clause's own heading (（九）革命老区。) names it and answers nothing, unless the question names
        # it and it holds the very kind of value asked for (动员部署阶段（5月25日至5月31日）answers when)
        body = [s for s in found if not _is_heading(s, item.clause)
                or (answer_types and bigrams(item.clause.heading) & question.grams
                    and any(span.kind in answer_types for span in find_all(s)))] or found
        # a bare list item (（一）电动自行车；) names a thing and says nothing of it: read alone it answers nothing
        # but a question asking for that very kind of value
        stated = [s for s in body if len(MARKER_START.sub("", s).strip("。；，：:、 ")) > _BARE_ITEM
                  or (answer_types and any(span.kind in answer_types for span in find_all(s)))]
        (pool if stated else bare).extend((rank, item, sentence) for sentence in stated or body)
    pool = pool or bare
    own = dict(zip(range(len(pool)), sentence_similarities(question, [entry[2] for entry in pool[:MAX_ENCODED]], embedder))) \
        if embedder is not None else {}
    pool = [entry + (own.get(i),) for i, entry in enumerate(pool)]
    if len(pool) > MAX_SENTENCES:
        # Sentences that share no wording with the question and hold no typed span of the asked kind
        # rarely answer it (the fitted weights say so); they are dropped before the encoder runs.
        def promising(entry) -> float:
            grams = bigrams(entry[2])
            typed = any(s.kind in answer_types for s in find_all(entry[2])) if answer_types else False
            shared = stats.overlap(question.grams, grams) if entry[3] is None else entry[3]
            return shared + 0.3 * typed - 0.05 * entry[0]
        pool = sorted(pool, key=lambda entry: -promising(entry))[:MAX_SENTENCES]
    if not pool:
        return []
    # Dense similarity is the clause's (its best chunk's cosine from retrieval): encoding every candidate
    # sentence at query time costs ~40 MFLOP a token, seconds per question on 2 cores. An English
    # question, which shares no characters with any sentence, pays it: its own similarity is all it has.
    dense = [item.dense if own is None else own for _, item, _, own in pool]
    rare = [g for g in question.grams if stats.known(g) and stats.idf(g) >= math.log(20)]
    scored = []
    for (rank, item, sentence, _), similarity in zip(pool, dense):
        spans = tuple(find_all(sentence))
        clause_text = item.clause.text + item.clause.heading + context.get((item.document.doc_id, item.clause.path), "")
        # A sentence is read under its clause's heading: the heading it no longer stands in says what it is about.
        sentence_grams = bigrams(sentence) | bigrams(item.clause.heading or "")
        clause_grams = bigrams(clause_text + item.document.title)
        features = (
            float(similarity),
            stats.overlap(question.grams, sentence_grams),
            stats.overlap(question.grams, clause_grams),
            1.0 if any(s.kind in answer_types for s in spans) or not answer_types else 0.0,
            1.0 / (1 + rank),
            stats.overlap(question.grams, bigrams(item.clause.heading + context.get((item.document.doc_id, item.clause.path), ""))),
            (sum(g in clause_grams for g in rare) / len(rare)) if rare else 1.0,
        )
        scored.append(Candidate(item, rank, sentence, spans, features, probability(features)))
    return sorted(scored, key=lambda c: -c.score)


def feature_matrix(items: list[Candidate]) -> np.ndarray:
    return np.array([c.features for c in items], dtype=np.float64)
