"""Page furniture: what a printed or saved page carries that is not the document.

Two general detectors, no site names:
- lines that repeat near the top or bottom of most pages (running headers, footers, print
  timestamps with the page URL, "打开…APP" banners), compared with their digits masked so that
  `2/9` and `3/9` are the same footer;
- web chrome: URLs, print timestamps, page counters, breadcrumbs, navigation menus, the words of
  page controls (lexicon.CHROME_PHRASES), a re-poster's lead-in, a table of contents, a crawler's
  `**key**: value` front matter (kept aside as fields: the page may name the issuer or date).
A line that opens a clause (一、 第三条 …) is never furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.lexicon import CHROME_LINES, CHROME_PHRASES, EDITOR_NOTES

_URL = re.compile(r"^(?:[-*]\s*)?(?:https?://|www\.)\S+(?:\s+\d+\s*/\s*\d+)?$")
_LINK_ONLY = re.compile(r"^(?:[-*]\s*)?\[[^\]]*\]\([^)]*\)\s*$")
_PRINT_STAMP = re.compile(r"^\d{4}/\d{1,2}/\d{1,2}\s+\d{1,2}:\d{2}\b")
_PAGE_COUNTER = re.compile(r"^(?:第\s*\d+\s*页\s*[/／,，]?\s*共\s*\d+\s*页|\d+\s*/\s*\d+|共\s*\d+\s*页)$")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_SENTENCE = re.compile(r"[，。；！？]")
_FRONT_MATTER = re.compile(r"^\*\*([^*]{2,10})\*\*\s*[:：]\s*(.*)$")
_RULE = re.compile(r"^[-=*_]{2,}$")
_TOC = re.compile(r"^目\s*录$")
_OPENS_CLAUSE = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.．、](?!\d))"
)
_HEADING_LIKE = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+[章节]|[一二三四五六七八九十]+、|附\s*则|附件)")


@dataclass
class Furniture:
    """What was taken out, for the record and for metadata the page itself states."""

    lines: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # crawler front matter: 发布日期, 发布机构, …


def _squash(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _mask(line: str) -> str:
    return re.sub(r"\d+", "#", _squash(line))


def _is_nav_menu(line: str) -> bool:
    """A row of short links: 国务院 新闻 专题 政策 服务 / 手机版 | 微信 | 智能问答."""
    if _SENTENCE.search(line) or _OPENS_CLAUSE.match(_squash(line)):
        return False
    bars = re.split(r"\s*[|｜]\s*", line.strip())
    if len(bars) >= 3 and sum(len(_squash(b)) <= 12 for b in bars) >= 2 * len(bars) / 3:
        return True
    tokens = line.split()
    return len(tokens) >= 4 and all(len(t) <= 8 for t in tokens) and not re.search(r"\d", line)


def _is_breadcrumb(line: str) -> bool:
    parts = re.split(r"\s*[>＞›»]\s*", line.strip())
    return len(parts) >= 3 and all(len(_squash(p)) <= 12 for p in parts)


def is_chrome(line: str, web_page: bool) -> bool:
    """One line of web chrome. `web_page`: the document shows it was printed or saved from a site,
    which lets the looser rules (menus, time stamps) apply."""
    text = line.strip()
    squashed = _squash(text)
    if not squashed or _OPENS_CLAUSE.match(squashed):
        return False
    if _URL.match(text) or _LINK_ONLY.match(text) or _PRINT_STAMP.match(text) or _PAGE_COUNTER.match(squashed):
        return True
    if squashed in CHROME_LINES or _RULE.match(squashed):
        return True
    short = len(squashed) <= 80 and not re.search("[。！？]", text)
    if short and any(phrase in squashed for phrase in CHROME_PHRASES):
        return True
    if web_page and short and (_is_nav_menu(text) or _is_breadcrumb(text)):
        return True
    # A publish stamp such as "2019-03-29 11:14 某某局" or "来源：… 14:36": a clock time outside any sentence.
    return web_page and short and not _SENTENCE.search(text) and bool(_CLOCK.search(text))


def looks_like_web_page(pages: list[list[str]]) -> bool:
    lines = [line.strip() for page in pages for line in page]
    signs = sum(bool(_URL.match(l) or _PRINT_STAMP.match(l) or _LINK_ONLY.match(l)) for l in lines)
    signs += sum(any(p in _squash(l) for p in CHROME_PHRASES) for l in lines)
    return signs >= 2


def _repeated(pages: list[list[str]], edge: int = 4) -> set[str]:
    """Masked lines found within `edge` lines of a page's top or bottom on most pages."""
    if len(pages) < 2:
        return set()
    # Top and bottom are counted apart: a 红头 issuer at the top of page 1 and the same name signing
    # at the bottom of the last page is the document, not a running header.
    tops: dict[str, int] = {}
    bottoms: dict[str, int] = {}
    for page in pages:
        lines = [l for l in page if l.strip()]
        for counts, part in ((tops, lines[:edge]), (bottoms, lines[-edge:])):
            for key in {_mask(l) for l in part}:
                counts[key] = counts.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    return {key for counts in (tops, bottoms) for key, count in counts.items() if count >= need and len(key) >= 2}


def _table_of_contents(lines: list[str]) -> set[int]:
    """Indexes of a 目录 line and the chapter headings listed under it (they recur in the body)."""
    drop: set[int] = set()
    for start, line in enumerate(lines):
        if not _TOC.match(_squash(line)):
            continue
        entries: list[str] = []
        index = start + 1
        while index < len(lines):
            text = lines[index].strip()
            if not text:
                index += 1
                continue
            if _HEADING_LIKE.match(text) and not _SENTENCE.search(text) and _squash(text) not in entries:
                entries.append(_squash(text))
                index += 1
                continue
            break
        if len(entries) >= 2:
            drop.update(range(start, index))
    return drop


def _editor_notes(lines: list[str]) -> set[int]:
    """A re-poster's lead-in (导语 …): from its first line to the line that ends its sentence."""
    drop: set[int] = set()
    index = 0
    while index < len(lines):
        if _squash(lines[index]).startswith(EDITOR_NOTES):
            end = index
            while end < len(lines) and not re.search("[。！？]$", lines[end].strip()) and end - index < 8:
                end += 1
            drop.update(range(index, min(end, len(lines) - 1) + 1))
            index = end
        index += 1
    return drop


def strip_furniture(pages: list[list[str]]) -> tuple[list[list[str]], Furniture]:
    """Pages of (character-repaired) lines → the same pages without furniture, and what was removed."""
    furniture = Furniture()
    web_page = looks_like_web_page(pages)
    repeated = _repeated(pages)
    flat = [(number, line) for number, page in enumerate(pages) for line in page]
    texts = [line for _, line in flat]
    drop = _table_of_contents(texts) | (_editor_notes(texts) if web_page else set())
    kept: list[list[str]] = [[] for _ in pages]
    for index, (number, line) in enumerate(flat):
        text = line.strip()
        if front := _FRONT_MATTER.match(text):
            furniture.fields.setdefault(front.group(1).strip(), front.group(2).strip())
            furniture.lines.append(text)
            continue
        remove = index in drop or (text and not _OPENS_CLAUSE.match(_squash(text)) and _mask(text) in repeated)
        if remove or is_chrome(text, web_page):
            furniture.lines.append(text)
            continue
        kept[number].append(line)
    return kept, furniture
