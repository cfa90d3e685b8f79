"""Places an English question names, read from the documents themselves.

Every place a document is issued for (达州市人民政府办公室 → 达州) is known from its issuer or title;
an English question writes it in pinyin (Dazhou, Shijiazhuang). No place name lives in code: the
pinyin is computed from the documents in the library, so a new city's documents are found the
same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.metadata import place_prefix
from ingest.models import Document


@lru_cache(maxsize=1024)
def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).lower()


@lru_cache(maxsize=65536)  # asked of every document for every question (naming, evidence order)
def place_of(document: Document) -> str | None:
    """The place a document is issued for (四川, 达州, 上海), from its issuer or else its title."""
    for name in (document.issuer, document.title):
        found = place_prefix(name)
        if found:
            return found[0]
    return None


def documents_of_places_named(text: str, documents: list[Document]) -> list[Document]:
    """The documents of every place the English text names in pinyin (Dazhou's plan, in Sichuan)."""
    words = {word.lower() for word in re.findall(r"[A-Za-z]+", text)}
    if not words:
        return []
    return [d for d in documents if (place := place_of(d)) and _pinyin(place) in words]
