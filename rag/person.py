"""People's names in policy text: only where a title stands right next to one (总理 李克强,
联系人：张三), since a Chinese name cannot be told from other words on its own."""

from __future__ import annotations

import re

from rag.extract import Span
from rag.lexicon import ORG_SUFFIXES, PERSON_TITLES

_TITLES = "|".join(sorted(PERSON_TITLES, key=len, reverse=True))
# 联系人：市经信局毛凡晓0818—3090933 — a contact line names the person's unit first
_UNIT = rf"(?:[\u4e00-\u9fff]{{1,12}}?(?:{'|'.join(sorted(ORG_SUFFIXES, key=len, reverse=True))}))?"
_AFTER_TITLE = re.compile(rf"(?:{_TITLES})[：:\s]*{_UNIT}([\u4e00-\u9fff]{{2,3}})(?=[\s，。；、（(\d]|$)")


def find_person(text: str) -> list[Span]:
    spans = []
    for match in _AFTER_TITLE.finditer(text):
        start, end = match.span(1)
        spans.append(Span("person", start, end, text[start:end], text[start:end], None))
    return spans
