"""Document metadata found in the text itself: title, 文号, issuer, date, addressees, status."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import DATE_LINE, DOC_NUMBER_LINE, Paragraph, split_outside_brackets

_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,4})\s*号")
_ORG = r"[\u4e00-\u9fff（）]{2,30}?(?:办公厅|办公室|人民政府|委员会|管委会|局|厅)"
_ISSUER_LINE = re.compile(rf"^{_ORG}$")
_PRINTED = re.compile(r"关于印发《?(.+?)》?的通知")
_DOC_KIND = r"(?:实施意见|指导意见|意见|通知|办法|规定|实施方案|工作方案|方案|决定|批复|规划|细则|措施|计划)"
_ABOUT = re.compile(rf"^({_ORG})?(关于.+?{_DOC_KIND})")
_DRAFT = re.compile(r"征求意见稿|送审稿|讨论稿|草案|草稿")
_DRAFT_SUFFIX = re.compile(r"[（(](?:征求意见稿|送审稿|讨论稿|草案|草稿)[）)]")


@dataclass(frozen=True)
class Metadata:
    title: str
    doc_number: str | None
    issuer: str | None
    date: str | None
    status: str
    level: str | None
    addressees: tuple[str, ...]


def canonical_doc_number(text: str) -> str | None:
    """川办发〔２０２２〕６７ 号 / 川办发[2022]67号 → 川办发〔2022〕67号."""
    match = _DOC_NUMBER.search(text)
    if not match:
        return None
    return f"{match.group(1)}〔{match.group(2)}〕{int(match.group(3))}号"


def _header(paragraphs: list[Paragraph]) -> list[str]:
    """Paragraphs before the body: up to the first that reads as prose or opens a clause."""
    header: list[str] = []
    for paragraph in paragraphs[:12]:
        text = paragraph.text
        if re.match(r"^(一、|第一章|第一条|（一）)", text) or "。" in text or text.endswith("："):
            break
        header.append(text)
    return header


def _iso_date(text: str) -> str:
    match = DATE_LINE.match(text)
    assert match
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


_PLACE_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,8}?)(省|自治区|市|州|县|区)")


def place_prefix(name: str | None) -> tuple[str, str, str] | None:
    """四川省人民政府办公厅 → ("四川", "省", "province"); 达州市… → ("达州", "市", "city")."""
    match = _PLACE_PREFIX.match(name or "")
    if not match:
        return None
    level = {"省": "province", "自治区": "province", "市": "city", "州": "city"}.get(match.group(2), "county")
    return match.group(1), match.group(2), level


def _level(name: str | None) -> str | None:
    found = place_prefix(name)
    return found[2] if found else None


def extract_metadata(paragraphs: list[Paragraph], fallback_title: str) -> Metadata:
    header = [t for t in _header(paragraphs) if not DOC_NUMBER_LINE.match(t.replace(" ", ""))]
    joined = "".join(header)
    first_lines = [p.text for p in paragraphs[:15]]

    doc_number = next(
        (canonical_doc_number(t) for t in first_lines if DOC_NUMBER_LINE.match(t.replace(" ", ""))), None
    )
    issuer = next((t for t in header if _ISSUER_LINE.match(t)), None)
    dates = [p.text for p in paragraphs if DATE_LINE.match(p.text)]
    date = _iso_date(dates[0]) if dates else None
    if issuer is None and dates:  # the signature above the date at the end of the text
        index = next(i for i, p in enumerate(paragraphs) if p.text == dates[0])
        if index and _ISSUER_LINE.match(paragraphs[index - 1].text):
            issuer = paragraphs[index - 1].text

    if printed := _PRINTED.search(joined):
        title = printed.group(1)
    elif about := _ABOUT.search(joined):
        title = (about.group(1) or "") + about.group(2)
    elif header:
        title = _DRAFT_SUFFIX.sub("", header[0]).strip()
    else:
        title = fallback_title
    title = title.strip("《》 ")

    addressees: tuple[str, ...] = ()
    for text in first_lines:
        if match := re.match(r"^(各[^：:。]{2,200})[：:]", text):
            addressees = tuple(split_outside_brackets(match.group(1), "，、,；"))
            break

    head_text = "".join(first_lines[:4])
    status = "draft" if _DRAFT.search(head_text) else "final"
    return Metadata(
        title=title or fallback_title,
        doc_number=doc_number,
        issuer=issuer,
        date=date,
        status=status,
        level=_level(issuer) or _level(title),
        addressees=addressees,
    )
