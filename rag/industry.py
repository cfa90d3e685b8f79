"""Industry search for investors: every clause that names an industry, grouped by document and place.

`search_industry` matches the term anywhere in a sentence (锂 finds 锂电, 锂钾, 锂电池), and also the
words of the documents themselves that the embedding model places next to it (服装 ↔ 服饰). A
sentence's 地区 is a place name found in it (jieba's place-name tag, `ns`) or, failing that, the
area of the issuing government; never a fragment such as 条件的地区.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.chunking import sentences
from ingest.metadata import place_prefix
from ingest.models import Clause, Document
from ingest.normalize import repair_chars


@dataclass(frozen=True)
class IndustryHit:
    document: Document
    clause: Clause
    place: str
    sentence: str  # the sentence that names the industry, verbatim from the clause
    term: str = ""  # the searched word this sentence contains

    def row(self) -> dict:
        return {
            "文件": self.document.title,
            "文号": self.document.doc_number or (f"（无，{self.document.status_label}）" if self.document.is_draft else ""),
            "状态": self.document.status_label,
            "层级": {"province": "省", "city": "市", "county": "县"}.get(self.document.level or "", ""),
            "地区": self.place,
            "条款": self.clause.path,
            "原文": self.sentence,
        }


def places(sentence: str) -> list[str]:
    """Place names in a sentence, as jieba's dictionary tags them (`ns`), in order, each once."""
    import jieba.posseg

    found = []
    for token in jieba.posseg.cut(sentence):
        if token.flag == "ns" and len(token.word) >= 2 and token.word not in found:
            found.append(token.word)
    return found


def _place(sentence: str, document: Document) -> str:
    if named := places(sentence):
        return "、".join(named[:3])
    found = place_prefix(document.issuer) or place_prefix(document.title)
    if found:  # the whole area the issuing government covers
        return f"{found[0]}{found[1]}（全{found[1]}）"
    return "—"


COLUMNS = ["文件", "文号", "状态", "层级", "地区", "条款", "原文"]
# Cosine similarity (multilingual-e5-small, passage vectors) above which a word of the documents counts
# as related to the searched term. Measured on the corpus: 服装–服饰 0.973, 锂–锂电 0.980, 锂电–锂电池 0.986;
# words that only share a character stay below: 服装–装备 0.949, 无人机–机器人 0.954, 预制菜–预制 0.961.
RELATED_SIMILARITY = 0.97
_WORD = re.compile(r"[\u4e00-\u9fff]{2,6}")


@dataclass
class IndustrySearch:
    terms: tuple[str, ...]  # the term first, then the related words searched too
    hits: list[IndustryHit] = field(default_factory=list)


_vocabularies: dict[tuple, Counter] = {}
_vectors: dict[str, object] = {}


def vocabulary(catalog) -> Counter:
    """The documents' words (jieba) with their counts, built once per state of the library."""
    import jieba

    key = tuple(sorted((d.doc_id, d.content_hash) for d in catalog.documents()))
    if key not in _vocabularies:
        _vocabularies.clear()
        _vocabularies[key] = Counter(w for d in catalog.documents() for c in catalog.clauses(d.doc_id)
                                     for w in jieba.lcut(c.text) if _WORD.fullmatch(w))
    return _vocabularies[key]


def related_terms(catalog, term: str, embedder) -> list[str]:
    """Words of the documents sharing a character with `term` that the embedding model puts next to it,
    most similar first (vectors are cached per word)."""
    import numpy as np

    candidates = [w for w in vocabulary(catalog) if w != term and set(w) & set(term)]
    if not candidates or embedder is None:
        return []
    missing = [w for w in [term, *candidates] if w not in _vectors]
    if missing:
        for word, vector in zip(missing, embedder.embed_passages(missing)):
            _vectors[word] = vector
    query = _vectors[term]
    scored = sorted(((float(np.dot(_vectors[w], query)), w) for w in candidates), reverse=True)
    return [w for score, w in scored if score >= RELATED_SIMILARITY]


def search_industry(catalog, term: str, embedder=None) -> IndustrySearch:
    """Sentences naming `term` or a related word: a word containing the term needs no search of its own."""
    term = repair_chars(term or "").strip()
    if not term:
        return IndustrySearch(())
    words = vocabulary(catalog)
    longer = sorted((w for w in words if w.startswith(term) and w != term), key=lambda w: -words[w])[:6]
    extra = [w for w in related_terms(catalog, term, embedder) if term not in w]
    search = IndustrySearch((term, *longer, *extra))  # longer words only name what the term already matches
    matcher = re.compile("|".join(re.escape(t) for t in sorted(search.terms, key=len, reverse=True)))
    for document in sorted(catalog.documents(), key=lambda d: (d.level != "province", d.is_draft, d.title)):
        for clause in catalog.clauses(document.doc_id):
            if clause.kind in ("preamble", "endmatter") or not matcher.search(clause.text):
                continue
            for sentence in sentences(clause.text):
                if found := matcher.search(sentence):
                    search.hits.append(IndustryHit(document, clause, _place(sentence, document), sentence.strip(),
                                                   found.group(0)))
    return search


def find_industry(catalog, term: str) -> list[IndustryHit]:
    """Clauses whose text names `term` (锂电 finds 锂电池, 锂电材料), best documents first."""
    return search_industry(catalog, term).hits


def to_csv(hits: list[IndustryHit]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for hit in hits:
        writer.writerow(hit.row())
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 Chinese correctly
