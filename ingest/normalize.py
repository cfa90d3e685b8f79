"""Repair text extracted from Chinese policy PDFs. Pure functions, no I/O.

The damage is known and repaired deliberately, character by character; plain NFKC is not
used because it would turn Chinese punctuation (，：（）) into ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.furniture import Furniture, strip_furniture
from ingest.lexicon import ISSUER_SUFFIXES
from ingest.radicals import RADICAL_TO_IDEOGRAPH

# Glyphs some PDF fonts map Chinese punctuation to (Yi syllables, guillemets).
_CHAR_FIXES = {
    "ꎬ": "，",
    "ꎮ": "。",
    "ꎻ": "；",
    "ꎰ": "：",
    "ꎯ": "、",
    "ꎭ": "！",
    "ꎽ": "？",
    "«": "《",
    "»": "》",
    "\u3000": " ",
    "\u00a0": " ",
    "\u200b": "",
    "\ufeff": "",
    "\u00ad": "",
}
# Full-width ASCII variants (digits, Latin letters, + - % . / = < >) become half-width;
# full-width Chinese punctuation （，：；）stays.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"＋": "+", "－": "-", "％": "%", "．": ".", "／": "/", "＝": "=", "＜": "<", "＞": ">"})
_TRANSLATE = str.maketrans({**_CHAR_FIXES, **_FULLWIDTH, **RADICAL_TO_IDEOGRAPH})

ILLEGIBLE_NOTICE = "（此处原文无法辨认）"

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〔〕【】—…·"
_CJK_OR_PUNCT = f"[{_CJK}{_CJK_PUNCT}]"
_PAGE_NUMBER = re.compile(r"^[-—–]\s*\d{1,4}\s*[-—–]$|^第\s*\d{1,4}\s*页(\s*共\s*\d+\s*页)?$")
_MARKDOWN_PREFIX = re.compile(r"^(#{1,6}\s*|>\s+|[-*+]\s+(?=\S))")
_TABLE_CELL = re.compile(r"^[-+]?[\d.,*%【】\[\]]+$|^全省平均$|^-$")


def repair_chars(text: str) -> str:
    """Character-level repairs: wrong glyphs, radicals for ideographs, full-width digits and letters, [illegible]."""
    text = text.translate(_TRANSLATE)
    text = re.sub(r"\[\s*illegible\s*\]", ILLEGIBLE_NOTICE, text, flags=re.IGNORECASE)
    return text


def _is_table_row(line: str) -> bool:
    """A row of a flattened table: several cells, at least two of them numbers, no prose."""
    if "\t" in line:
        return True
    cells = line.split()
    numeric = sum(bool(_TABLE_CELL.match(c)) for c in cells)
    has_label = any(len(re.findall(f"[{_CJK}]", c)) >= 2 for c in cells)
    return len(cells) >= 3 and numeric >= 2 and has_label and not re.search("[，、。；]", line)


def _fullwidth_punct(line: str) -> str:
    """ASCII , : ; ( ) next to Chinese become their Chinese forms; 5:30 and (a) stay."""
    line = re.sub(rf"(?<={_CJK_OR_PUNCT})\s*,\s*", "，", line)
    line = re.sub(rf"(?<={_CJK_OR_PUNCT})\s*;\s*", "；", line)
    line = re.sub(rf"(?<={_CJK_OR_PUNCT})\s*:\s*(?!\d)", "：", line)

    def paren(match: re.Match) -> str:
        inner = match.group(1)
        if re.search(f"[{_CJK}]", inner) or re.fullmatch(r"\s*\d{1,2}\s*", inner):
            return f"（{inner.strip()}）"
        return match.group(0)

    return re.sub(r"\(([^()]{0,80})\)", paren, line)


def fix_spacing(line: str) -> str:
    """Remove spaces that PDF extraction put inside Chinese words and numbers (６７ 号 → 67号)."""
    if _is_table_row(line):
        return re.sub(r"[ ]{2,}", " ", line)
    line = re.sub(rf"(?<={_CJK_OR_PUNCT})[ \t]+(?={_CJK_OR_PUNCT})", "", line)
    line = re.sub(rf"(?<=[\d%])[ \t]+(?=[{_CJK}〕】）%])", "", line)
    line = re.sub(rf"(?<={_CJK_OR_PUNCT})[ \t]+(?=[\d【\[])", "", line)
    line = re.sub(rf"(?<=[A-Za-z])[ \t]+(?=[{_CJK}])", "", line)
    line = re.sub(rf"(?<=[{_CJK}])[ \t]+(?=[A-Za-z])", "", line)
    line = re.sub(r"(?<=\d)[ \t]+(?=\d{3}号)", "", line)
    line = re.sub(rf"(?<=[{_CJK}”])[ \t]*([+＋])[ \t]*(?=[{_CJK}“])", r"\1", line)
    return re.sub(r"[ \t]{2,}", " ", line)


@dataclass(frozen=True)
class Line:
    text: str
    page: int | None
    standalone: bool = False  # a markdown heading or similar: never joined with neighbours
    blank_before: bool = False
    indented: bool = False  # began with an indent: in texts that indent paragraphs, a new paragraph
    ocr: bool = False  # read by OCR from a scanned page


def clean_line(raw: str) -> str | None:
    """One extracted line → repaired line, or None for lines that carry no text (page numbers)."""
    line = repair_chars(raw).strip()
    if _PAGE_NUMBER.match(line):
        return None
    line = _MARKDOWN_PREFIX.sub("", line)
    line = line.replace("**", "").replace("__", "").strip()
    line = re.sub(r"^#+\s*", "", line)
    if not line or _PAGE_NUMBER.match(line):
        return None
    line = _fullwidth_punct(line)
    return fix_spacing(line).strip() or None


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None  # page where the paragraph starts (PDF), else None
    page_end: int | None
    ocr: bool = False  # some of it was read by OCR


_SENTENCE_END = ("。", "！", "？", "；", "。”", "！”", "？”", "；”", "。）", "）。")
# Clause markers that always open a paragraph (see ingest.clauses for their meaning).
MARKER_START = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条]"
    r"|[一二三四五六七八九十]+、"
    r"|（[一二三四五六七八九十]+）"
    r"|（\d{1,2}）"
    r"|\d{1,2}[.．、](?!\d)"
    r"|专栏\s*\d+"
    r"|附件\s*\d*\s*$|附件\s*\d+\s"
    r"|备\s*注\s*[:：]?"
    r"|抄送[:：]|信息公开选项)"
)
DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号$")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _is_standalone(line: str) -> bool:
    return bool(DOC_NUMBER_LINE.match(line) or DATE_LINE.match(line) or _is_table_row(line))


def _is_heading_line(line: str) -> bool:
    """A short marker line with no sentence in it, e.g. 一、总体要求 or 专栏 1 主要指标."""
    return bool(MARKER_START.match(line)) and len(line) <= 40 and not re.search("[。；！？]", line)


def _finish(text: str) -> str:
    # Brackets and spaces that spanned a line break are only repairable once lines are joined.
    return text if _is_table_row(text) else fix_spacing(_fullwidth_punct(text))


_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）]{{2,30}}?(?:{'|'.join(ISSUER_SUFFIXES)})$")


_ADDRESSEES = re.compile(r"^各[^。；！？]{1,300}[：:]$")  # 各乡镇人民政府，县级各部门：


def _signature_blocks(lines: list[Line]) -> set[int]:
    """Indexes of organisation lines stacked above a date line: the (joint) signature, one body a line."""
    marks: set[int] = set()
    for index, line in enumerate(lines):
        if DATE_LINE.match(line.text):
            back = index - 1
            while back >= 0 and _ORG_LINE.match(lines[back].text):
                marks.add(back)
                back -= 1
    return marks


def join_lines(lines: list[Line]) -> list[Paragraph]:
    """Rebuild paragraphs from lines broken at the PDF's line width.

    A line continues the previous one unless the previous ended a sentence, was a heading, a
    short last line or a standalone line (文号, date, table row), or the line itself opens a
    clause. Blank lines separate paragraphs only where they are not between every line.
    """
    lengths = sorted(len(l.text) for l in lines if len(l.text) >= 8)
    typical = lengths[len(lengths) // 2] if lengths else 0
    wrapped = 0 < typical <= 45  # lines were broken at a page width, not at paragraph ends
    blanks_mean_breaks = sum(l.blank_before for l in lines) < 0.5 * max(len(lines), 1)
    # Printed laws indent each paragraph (款) and wrap the rest flush left: the indent is the break.
    indents_mean_breaks = 0.03 * len(lines) < sum(l.indented for l in lines) < 0.8 * max(len(lines), 1)

    paragraphs: list[Paragraph] = []
    buffer: list[str] = []
    pages: list[int | None] = [None, None]
    ocr = [False]
    previous: Line | None = None

    def flush() -> None:
        if buffer:
            paragraphs.append(Paragraph(_finish("".join(buffer)), pages[0], pages[1], ocr[0]))
            buffer.clear()
            ocr[0] = False

    signature = _signature_blocks(lines)
    in_header = True  # before the first clause: issuer, title and addressees stand on their own lines
    for number, line in enumerate(lines):
        text = line.text
        prev = previous.text if previous else ""
        in_header = in_header and not MARKER_START.match(text)
        breaks = (
            previous is None
            or previous.standalone
            or line.standalone
            or number in signature
            or number - 1 in signature
            or (blanks_mean_breaks and line.blank_before)
            or (indents_mean_breaks and line.indented)
            or prev.endswith(_SENTENCE_END)
            or (_is_heading_line(prev) and len(buffer) == 1)
            or (wrapped and len(prev) < 0.6 * typical and not prev.endswith(("，", "、")))
            or _is_standalone(prev)
            or _is_standalone(text)
            or MARKER_START.match(text)
            or (in_header and _ORG_LINE.match(prev))
            or _ADDRESSEES.match(text)
        )
        if breaks:
            flush()
            pages[0] = line.page
        pages[1] = line.page
        ocr[0] = ocr[0] or line.ocr
        if buffer and re.search(r"[A-Za-z0-9]$", buffer[-1]) and re.match(r"[A-Za-z0-9]", text):
            text = " " + text  # keep words and numbers apart across a line break
        buffer.append(text)
        previous = line
    flush()
    return paragraphs


@dataclass(frozen=True)
class NormalizedText:
    paragraphs: list[Paragraph]
    furniture: Furniture  # page furniture taken out (navigation, headers, footers, front matter)


_INDENT = re.compile(r"^[ \t]{2,}")


def normalize_document(pages: list[str], paged: bool, ocr_pages: frozenset[int] = frozenset()) -> NormalizedText:
    """Extracted pages → repaired paragraphs with their page numbers (None for plain text),
    page furniture removed and kept aside."""
    repaired = [[repair_chars(raw) for raw in page_text.splitlines()] for page_text in pages]
    kept, furniture = strip_furniture(repaired)
    lines: list[Line] = []
    for number, page_lines in enumerate(kept, start=1):
        blank = False
        for raw in page_lines:
            text = clean_line(raw)
            if text is None:
                blank = blank or not raw.strip()
                continue
            heading = raw.lstrip().startswith("#")
            lines.append(Line(text, number if paged else None, heading, blank, bool(_INDENT.match(raw)),
                              number in ocr_pages))
            blank = False
    return NormalizedText(join_lines(lines), furniture)


def normalize_pages(pages: list[str], paged: bool) -> list[Paragraph]:
    return normalize_document(pages, paged).paragraphs


def normalize_for_matching(text: str) -> str:
    """A looser form for matching user input against the text: no spaces, ASCII brackets unified."""
    text = repair_chars(text)
    text = text.replace("(", "（").replace(")", "）").replace("[", "〔").replace("]", "〕")
    text = text.replace("［", "〔").replace("］", "〕")
    return re.sub(r"\s+", "", text)


def split_outside_brackets(text: str, separators: str) -> list[str]:
    """Split at separators that are not inside brackets: 各县（市、区）人民政府 stays whole."""
    parts, depth, current = [], 0, []
    for char in text:
        if char in "（(〔[【":
            depth += 1
        elif char in "）)〕]】":
            depth = max(depth - 1, 0)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]
