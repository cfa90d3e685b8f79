"""Clause structure of a policy text: 一、/（一）/1./（1）, 第X章/第X条, 专栏 N, 附件 N, 备注.

A numbered marker counts only when its number continues the numbering at its level (or starts
it at 1); that keeps list items inside boxes and line-initial numbers in prose from being
mistaken for clauses. Boxes, annexes and notes are kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.models import Clause
from ingest.normalize import DATE_LINE, Paragraph, split_outside_brackets

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digits pass through."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_CN = "一二三四五六七八九十百零〇"
# (level, regex, label) — lower level is higher in the hierarchy.
_NUMBERED = [
    ("chapter", 0, re.compile(rf"^第([{_CN}\d]+)章\s*"), "第{}章"),
    ("section", 1, re.compile(rf"^第([{_CN}\d]+)节\s*"), "第{}节"),
    ("article", 2, re.compile(rf"^第([{_CN}\d]+)条\s*"), "第{}条"),
    ("l1", 3, re.compile(r"^([一二三四五六七八九十]+)、\s*"), "{}、"),
    ("l2", 4, re.compile(r"^（([一二三四五六七八九十]+)）\s*"), "（{}）"),
    ("l3", 5, re.compile(r"^(\d{1,2})[.．、](?!\d)\s*"), "{}."),
    ("l4", 6, re.compile(r"^（(\d{1,2})）\s*"), "（{}）"),
]
_BOX = re.compile(r"^专栏\s*(\d+)\s*")
_ANNEX = re.compile(r"^附件\s*(\d*)\s*$|^附件\s*(\d+)\s+(?![：:])|^附\s*[：:](?=\s*\S{2,40}$)")
_NOTE = re.compile(r"^备\s*注\s*[:：]?\s*")
_ENDMATTER = re.compile(r"^(抄送[:：]|信息公开选项|印发[:：])")

_UNITS_OPEN = re.compile(r"[（〔(]\s*(?:牵头|责任)单位\s*[:：]")
LEAD_RULE = re.compile(r"列(?:首位|第一位)的?为牵头(?:部门|单位)")
_STANDING_RULE = re.compile(r"(各项工作均需[^。；]+?落实)")


@dataclass(frozen=True)
class UnitsBlock:
    units: tuple[str, ...]
    declares_lead: bool
    standing_rule: str | None


def find_units(text: str) -> UnitsBlock | None:
    """Parse a （责任单位：A、B，C。列首位的为牵头部门…） block, brackets nested or not."""
    match = _UNITS_OPEN.search(text)
    if not match:
        return None
    depth, end = 1, len(text)
    for index in range(match.end(), len(text)):
        char = text[index]
        if char in "（(〔":
            depth += 1
        elif char in "）)〕":
            depth -= 1
            if depth == 0:
                end = index
                break
    body = text[match.end():end]
    listing = re.split(r"[。；]", body, maxsplit=1)[0]
    units = tuple(u for u in split_outside_brackets(listing, "、，,") if len(u) >= 2)
    standing = _STANDING_RULE.search(body)
    return UnitsBlock(units, bool(LEAD_RULE.search(body)), standing.group(1) if standing else None)


@dataclass
class _Open:
    """A clause being collected."""

    segments: list[str]
    kind: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def path(self) -> str:
        return render_path(self.segments)


_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条$")
_PART = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[章节编]$")


def render_path(segments: list[str]) -> str:
    """['三、', '（一）'] → 三、（一）; ['附件 2', '备注'] → 附件 2 备注; ['第二章', '第十条', '（三）'] →
    第十条（三）: articles are numbered through the whole text and cited without their chapter."""
    if any(_ARTICLE.match(s) for s in segments):
        segments = [s for s in segments if not _PART.match(s)]
    out = ""
    for segment in segments:
        named = segment.startswith(("专栏", "附件", "备注", "前言", "文末"))
        if out and (named or out.endswith(tuple("0123456789注言末"))):
            out += " "
        out += segment
    return out


def _heading(rest: str, whole_line: bool) -> str:
    """The heading after a marker: the whole short line, or the first short sentence."""
    rest = rest.strip()
    if whole_line:
        return rest
    first = re.split(r"(?<=[。；：:])", rest, maxsplit=1)[0].rstrip("。；：:")
    return first if len(first) <= 40 else ""


class ClauseParser:
    """Walks paragraphs once, keeping the open numbering at each level."""

    def __init__(self) -> None:
        self.clauses: list[_Open] = []
        self.stack: list[tuple[int, str, str]] = []  # (level, segment, heading) of open numbered clauses
        self.last_number: dict[str, int] = {}
        self.container: _Open | None = None  # open box / annex / note
        self.current = _Open(["前言"], "preamble", "")
        self.clauses.append(self.current)

    def _numbered(self, text: str):
        for name, level, pattern, label in _NUMBERED:
            match = pattern.match(text)
            if not match:
                continue
            number = chinese_number(match.group(1))
            if number is None:
                continue
            previous = self.last_number.get(name)
            continues = previous is not None and number == previous + 1
            starts = number == 1
            if self.container is not None:
                # Inside a box or annex only a continuation of the enclosing numbering ends it.
                if not continues or not any(l == level for l, _, _ in self.stack):
                    return None
            elif not (continues or starts):
                return None
            return name, level, label.format(match.group(1)), match, number
        return None

    def _open(self, segments: list[str], kind: str, heading: str) -> None:
        self.current = _Open(segments, kind, heading)
        self.clauses.append(self.current)

    def feed(self, paragraph: Paragraph, signature: bool = False) -> None:
        text = paragraph.text
        if signature and self.current.kind != "preamble":
            if self.current.kind != "endmatter":
                self.container = None
                self._open(["文末"], "endmatter", "")
        elif _ENDMATTER.match(text):
            self.container = None
            if self.current.kind != "endmatter":
                self._open(["文末"], "endmatter", "")
        elif box := _BOX.match(text):
            self.container = _Open([f"专栏 {int(box.group(1))}"], "box", text[box.end():].strip())
            self._open(self.container.segments, "box", self.container.heading)
        elif annex := _ANNEX.match(text):
            number = annex.group(1) or annex.group(2) or ""
            segment = f"附件 {int(number)}" if number else ("附" if text.startswith("附") and not text.startswith("附件") else "附件")
            self.container = _Open([segment], "annex", text[annex.end():].strip())
            self._open(self.container.segments, "annex", self.container.heading)
        elif _NOTE.match(text):
            base = self.container.segments if self.container else self.current.segments
            base = [s for s in base if s != "备注"]
            self._open(base + ["备注"], "note", "备注")
        elif found := self._numbered(text):
            name, level, segment, match, number = found
            self.container = None
            # Numbers are never reset by a higher level: tasks 1.–20. and items （一）… often run on
            # across sections, and a restart at 1 is accepted anyway.
            self.last_number[name] = number
            self.stack = [entry for entry in self.stack if entry[0] < level]
            rest = text[match.end():]
            if name == "article":  # articles have no heading, unless one is given in brackets: 第一条（目的）
                bracket = re.match(r"^[（(]([^（）()]{1,20})[）)]", rest.strip())
                heading = bracket.group(1) if bracket else ""
            else:
                heading = _heading(rest, whole_line=not re.search("[。；！？]", rest) and len(rest) <= 40)
            self.stack.append((level, segment, heading))
            self._open([s for _, s, _ in self.stack], "clause", heading)
        elif len(self.current.paragraphs) == 1 and self.current.kind in ("box", "annex") and not self.current.heading:
            self.current.heading = text[:40]
        self.current.paragraphs.append(paragraph)

_SIGNATURE = re.compile(r"^[\u4e00-\u9fff（）]{2,30}(办公室|办公厅|人民政府|委员会|管委会|局|厅|委)$")


def _signature_lines(paragraphs: list[Paragraph]) -> set[int]:
    """Issuer-and-date blocks (达州市人民政府办公室 / 2023年2月17日) that end a text body."""
    marks: set[int] = set()
    for index, paragraph in enumerate(paragraphs):
        if DATE_LINE.match(paragraph.text):
            marks.add(index)
            if index and _SIGNATURE.match(paragraphs[index - 1].text):
                marks.add(index - 1)
    return marks


def parse_clauses(paragraphs: list[Paragraph]) -> list[Clause]:
    """Paragraphs of one document → its clauses, in document order, with responsible units."""
    parser = ClauseParser()
    signature = _signature_lines(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        parser.feed(paragraph, signature=index in signature)

    clauses: list[Clause] = []
    lead_rule = False
    standing_rule: str | None = None
    seen: dict[str, int] = {}
    taken: set[str] = set()  # paths given out so far: unique by construction
    raw_paths = {c.path for c in parser.clauses if c.paragraphs}  # a suffix must not take a later clause's path
    for open_clause in parser.clauses:
        if not open_clause.paragraphs:
            continue
        text = "\n".join(p.text for p in open_clause.paragraphs)
        block = find_units(text)
        units: tuple[str, ...] = ()
        if block:
            units = block.units
            lead_rule = lead_rule or block.declares_lead
            standing_rule = block.standing_rule or standing_rule
        path = open_clause.path
        if path in taken:  # a repeated path (two 备注 in one box) gets a suffix no other clause has
            seen[path] = seen.get(path, 1) + 1
            while f"{path}（{seen[path]}）" in taken or f"{path}（{seen[path]}）" in raw_paths:
                seen[path] += 1
            path = f"{path}（{seen[path]}）"
        taken.add(path)
        pages = [p.page for p in open_clause.paragraphs if p.page is not None]
        pages += [p.page_end for p in open_clause.paragraphs if p.page_end is not None]
        clauses.append(
            Clause(
                path=path,
                heading=open_clause.heading,
                text=text,
                page_start=min(pages) if pages else None,
                page_end=max(pages) if pages else None,
                units=units,
                lead_unit=units[0] if units and lead_rule else None,
                standing_rule=standing_rule if units else None,
                kind=open_clause.kind,
                ocr=any(p.ocr for p in open_clause.paragraphs),
            )
        )
    return clauses
