"""Notes under a table: what a mark around or beside a value means.

Plans print targets as 【1500】 or [7] and explain the marks once, below the table (备注：1.【】内为5年
累计数；2.[ ]内为年均增速；3.带*为2019年数据). A value read from such a row means nothing without its
note, so the answer carries the note's words, quoted from the note itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOTE_START = re.compile(r"^\s*(?:备注|附注|注|说明)\s*[:：]")
# one explanation: a pair of brackets (【】, [ ]) or 带 + a symbol, then (内)为 and what it means
_ITEM = re.compile(r"(?P<mark>【\s*】|\[\s*\]|［\s*］|带\s*[*＊#＃△▲☆★])\s*内?\s*为\s*(?P<meaning>[^；;。\n]+)")
# how each mark sits on a value in a row: 【1500】, [7], 0.49*
_ON_VALUE = {
    "【】": r"【[^】\n]*\d[^】\n]*】",
    "[]": r"[\[［][^\]］\n]*\d[^\]］\n]*[\]］]",
}


@dataclass(frozen=True)
class Note:
    mark: str  # 【】, [] or the symbol after 带 (*)
    quote: str  # the explanation as printed: 【】内为5年累计数 (a substring of the note's clause)


def notes_in(text: str) -> list[Note]:
    """The explanations a note holds; none when the text is not a note."""
    if not _NOTE_START.match(text):
        return []
    notes = []
    for match in _ITEM.finditer(text):
        mark = re.sub(r"\s", "", match.group("mark")).replace("［］", "[]")
        notes.append(Note(mark.removeprefix("带"), match.group(0).strip()))
    return notes


def marks_on(sentence: str, notes: list[Note]) -> list[Note]:
    """The notes whose mark sits on a value in this sentence (a table row)."""
    found = []
    for note in notes:
        pattern = _ON_VALUE.get(note.mark) or (r"\d" + re.escape(note.mark) + r"(?!\d)")
        if re.search(pattern, sentence) and note not in found:
            found.append(note)
    return found
