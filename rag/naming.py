"""Which documents a piece of text names: by 文号 (whole or `67号`), by exact title, by a quoted
nickname (“百日攻坚”) or by the longest distinctive piece of a title it shares."""

from __future__ import annotations

import re

from ingest.metadata import place_prefix
from ingest.models import Document
from ingest.normalize import normalize_for_matching
from rag.lookup import match_documents


def named_documents(question: str, documents: list[Document]) -> list[Document]:
    """Documents named by 文号 or by a distinctive piece of their title (百日攻坚, 十四五, 融圈强链)."""
    text = normalize_for_matching(question)
    named = [d for score, d in match_documents(documents, text) if score >= 6]
    if named:
        return named
    exact = [d for d in documents if normalize_for_matching(d.title) in text
             or normalize_for_matching(_without_place(d.title)) in text]
    if exact:
        return exact
    scored = []
    for document in documents:
        quoted = re.findall(r"“([^”]{2,12})”", document.title)
        hits = [term for term in quoted if term in text]
        distinctive = _longest_shared(text, _strip_generic(document.title))
        if hits or len(distinctive) >= 4:
            scored.append((max([len(t) + 2 for t in hits] + [len(distinctive)]), document))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [d for score, d in scored if score == best]


_GENERIC = ("人民政府", "办公厅", "办公室", "关于", "实施意见", "实施方案", "工作方案",
            "发展", "规划", "行动", "工作", "方案", "意见", "的")


def _without_place(title: str) -> str:
    """达州市承接…方案 → 承接…方案: the issuing place is shared by many titles."""
    found = place_prefix(title)
    return title[len(found[0]) + len(found[1]):] if found else title


def _strip_generic(title: str) -> str:
    title = "|" + _without_place(title)
    for word in _GENERIC:
        title = title.replace(word, "|")
    return title


def _longest_shared(text: str, title: str) -> str:
    best = ""
    for start in range(len(text)):
        for end in range(start + len(best) + 1, len(text) + 1):
            piece = text[start:end]
            if "|" in piece or piece not in title:
                break
            best = piece
    return best
