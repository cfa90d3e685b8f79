"""An English question read through the Chinese words the rest of the assistant knows.

The documents are Chinese and the kinds, the document-fact facets and the typed refusal rules read
Chinese question words. An English question's question words are mapped to those words (its `cues`:
"When does it take effect?" → 什么时候施行), its clause references are written as the documents number
their clauses (Article 62 → 第六十二条), and its content is left to the multilingual dense model.
The word lists live in rag.lexicon.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag import lexicon as lx
from rag.numerals import to_chinese

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), words) for pattern, words in lx.ENGLISH_QUESTION_WORDS.items())


def _claimed(text: str, patterns: tuple[tuple[re.Pattern, str], ...]) -> list[tuple[int, str]]:
    """(position, words) of each pattern's matches; a pattern earlier in the list claims its words
    first, and claimed words are not read again by a later one (kept in place, blanked)."""
    found: list[tuple[int, str]] = []
    for pattern, words in patterns:
        found += [(match.start(), words) for match in pattern.finditer(text)]
        text = pattern.sub(lambda m: "\0" * len(m.group(0)), text)
    return found


def english_cues(text: str) -> str:
    """The Chinese question words an English question's words map to, in the order it asks them
    ('' when none does). In "how many days", the duration's words are not read again as a count."""
    # A question particle closes the question, as in Chinese: Would it count as …? → 是指什么条件可以吗
    ordered = sorted(_claimed(text, _patterns()), key=lambda item: (item[1].endswith("吗"), item[0]))
    return "".join(dict.fromkeys(words for _, words in ordered))


@lru_cache(maxsize=1)
def _content_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(rf"\b(?:{pattern})", re.IGNORECASE), words) for pattern, words in lx.ENGLISH_CONTENT_WORDS.items())


def chinese_terms(text: str) -> str:
    """The Chinese words of policy texts an English question's content words stand for, space-separated
    ('' when none does): "maternity leave for a female employee" → 产假 女职工 (maternity leave is not
    read again as maternity)."""
    found = sorted(_claimed(text, _content_patterns()))
    return " ".join(dict.fromkeys(word for _, words in found for word in words.split()))


_CLAUSE_REF = re.compile(r"\b(" + "|".join(lx.ENGLISH_CLAUSE_UNITS) + r")\s+(\d{1,3})\b", re.IGNORECASE)
_ANNEX_REF = re.compile(r"\b(?:" + "|".join(lx.ENGLISH_ANNEX_WORDS) + r")\s+(\d{1,2})\b", re.IGNORECASE)


def chinese_references(text: str) -> str:
    """Article 62 → 第六十二条, Chapter 3 → 第三章, Annex 2 → 附件2: as the documents number them."""
    text = _CLAUSE_REF.sub(lambda m: f"第{to_chinese(int(m.group(2)))}{lx.ENGLISH_CLAUSE_UNITS[m.group(1).lower()]}", text)
    return _ANNEX_REF.sub(lambda m: f"附件{m.group(1)}", text)


def without_english(text: str) -> str:
    """The Chinese (and numbered) part of a mixed question, its English words dropped, clause
    references first written the Chinese way: "What does Article 62 of the Labour Law (劳动法) say"
    → "第六十二条，（劳动法）"."""
    # An English word leaves a comma: 第七条 (from item 7) and the 文号 after it stay two names.
    text = _LATIN_WORD.sub("，", chinese_references(text))
    text = re.sub(r"[\s，,]*，[\s，,]*", "，", text)
    return text.strip(" -—–,，.?!:;'\"")


def leans_back(text: str) -> bool:
    """A short English question that leans on the previous answer (And the wrap-up stage?)."""
    return len(_LATIN_WORD.findall(text)) <= lx.ENGLISH_ANAPHORA_WORDS and bool(lx.ENGLISH_ANAPHORA.search(text.strip()))
