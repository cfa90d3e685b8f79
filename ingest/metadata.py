"""Document metadata found in the text itself: title, 文号, issuers, dates, kind, status, addressees.

Each fact has an ordered list of places a document states it (a 红头 notice, a law's 公布 note, a
joint signature block, a re-poster's lead-in); the first place that has it wins. Page furniture
(ingest.furniture) is never a title, but its lines may still carry the 文号 or a crawler's fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.furniture import Furniture
from ingest.lexicon import (DOC_KINDS, DRAFT_WORDS, ISSUER_SUFFIXES, KIND_BASES, KIND_LABELS, NOT_IN_DOC_NUMBER_CODE,
                            NOT_IN_FORCE)
from ingest.normalize import DATE_LINE, DOC_NUMBER_LINE, Paragraph, split_outside_brackets

_CN_NUM = "一二三四五六七八九十百零〇"
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,4})\s*号")
_ORDER_NUMBER = re.compile(rf"(?:中华人民共和国)?([\u4e00-\u9fff]{{1,8}}令)\s*第\s*([\d{_CN_NUM}]{{1,6}})\s*号")
_SUFFIX = "|".join(ISSUER_SUFFIXES)
_ORG = rf"[\u4e00-\u9fff（）]{{2,30}}?(?:{_SUFFIX})"
_ORG_LINE = re.compile(rf"^{_ORG}$")
_PRINTED = re.compile(r"关于印发《?([^《》。，；]{2,60}?)》?的通知")
_KINDS = "|".join(sorted(DOC_KINDS, key=len, reverse=True))
_ABOUT = re.compile(rf"^({_ORG})?(关于.+?(?:{_KINDS}))$")
_TITLE_LINE = re.compile(rf"^(.{{2,60}}?(?:{_KINDS}))((?:[（(][^（）()]{{1,20}}[）)])*)$")
_DRAFT = re.compile("|".join(DRAFT_WORDS))
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_PASSED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^（）()。]{0,60}?(通过|修订|修正|批准|公布|发布|印发)")
_EFFECTIVE = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*起\s*(?:施行|实施|执行|生效)")
_CONGRESS = re.compile(rf"(?:\d{{1,2}}日)?((?:[\u4e00-\u9fff]{{2,10}}?(?:省|自治区|市|州|县|区))?)(?:第[{_CN_NUM}]+届)?(全国)?人民代表大会常务委员会[^。]{{0,20}}?通过")
_PLACE_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,8}?)(省|自治区|市|州|县|区)")
_MAX_TITLE = 80


@dataclass(frozen=True)
class Metadata:
    title: str
    doc_number: str | None
    issuers: tuple[str, ...]
    date: str | None  # date of issue (成文/公布), ISO
    effective_date: str | None  # date of effect (施行), ISO
    kind: str | None  # 法律, 条例, 办法, 实施意见, 方案, 通知 …
    status: str  # final | draft
    status_word: str | None  # what the document calls itself: 征求意见稿, 草案, 试行 …
    level: str | None
    addressees: tuple[str, ...]

    @property
    def issuer(self) -> str | None:
        return "、".join(self.issuers) or None


def canonical_doc_number(text: str) -> str | None:
    """川办发〔２０２２〕６７ 号 / 川办发[2022]67号 → 川办发〔2022〕67号; 中华人民共和国国务院令 第663号 → 国务院令第663号."""
    if match := _DOC_NUMBER.search(text):
        code = re.split(f"[{NOT_IN_DOC_NUMBER_CODE}]", match.group(1))[-1] or match.group(1)
        return f"{code}〔{match.group(2)}〕{int(match.group(3))}号"
    if match := _ORDER_NUMBER.search(text):
        return f"{match.group(1)}第{match.group(2)}号"
    return None


def _iso(year, month, day) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def place_prefix(name: str | None) -> tuple[str, str, str] | None:
    """四川省人民政府办公厅 → ("四川", "省", "province"); 达州市… → ("达州", "市", "city")."""
    match = _PLACE_PREFIX.match(name or "")
    if not match:
        return None
    level = {"省": "province", "自治区": "province", "市": "city", "州": "city"}.get(match.group(2), "county")
    return match.group(1), match.group(2), level


_NATIONAL = ("中华人民共和国", "全国", "国务院", "国家", "中共中央")


def _level(name: str | None) -> str | None:
    if name and name.startswith(_NATIONAL):
        return "national"
    found = place_prefix(name)
    return found[2] if found else None


def _header(paragraphs: list[Paragraph]) -> list[str]:
    """Paragraphs before the body: up to the first that opens a clause (the notice that prints a
    document, its signature and the printed document's own title all belong to the header)."""
    header: list[str] = []
    for paragraph in paragraphs[:25]:
        text = paragraph.text
        if re.match(r"^(一、|第一章|第一条|（一）)", text):
            break
        header.append(text)
    return header


def _title(header: list[str], fallback: str) -> str:
    joined = "".join(header)
    if printed := _PRINTED.search(joined):
        return printed.group(1)
    for index, text in enumerate(header):
        line = text.strip("《》 ")
        if len(line) > 60 or re.search("[，。；：:]", line):
            continue
        if index and line.startswith("关于") and _ORG_LINE.match(header[index - 1]):
            line = header[index - 1] + line  # 四川省人民政府办公厅 / 关于…的实施意见, on two lines
        if about := _ABOUT.match(line):
            return (about.group(1) or "") + about.group(2)
        if titled := _TITLE_LINE.match(line):
            return titled.group(1)
    # A short line that is not the issuer, the addressees or a date: an issuer line is not a title.
    short = [t for t in header if 4 <= len(t) <= 40 and not re.search("[，。；：:]", t)
             and not _ORG_LINE.match(t) and not DATE_LINE.match(t)]
    return short[0] if short else fallback[:_MAX_TITLE]


def _doc_number(header: list[str], furniture: Furniture) -> str | None:
    for text in header:
        if DOC_NUMBER_LINE.match(text.replace(" ", "")):
            return canonical_doc_number(text)
    for text in [*header, "".join(header), *furniture.lines]:
        if found := canonical_doc_number(text):
            return found
    return None


def _signature_issuers(paragraphs: list[Paragraph]) -> tuple[str, ...]:
    """The organisation lines just above the first standalone date (several for a joint issue)."""
    for index, paragraph in enumerate(paragraphs):
        if not DATE_LINE.match(paragraph.text):
            continue
        issuers: list[str] = []
        back = index - 1
        while back >= 0 and _ORG_LINE.match(paragraphs[back].text) and len(issuers) < 12:
            issuers.insert(0, paragraphs[back].text)
            back -= 1
        if issuers:
            return tuple(issuers)
    return ()


def _issuers(paragraphs: list[Paragraph], header: list[str], furniture: Furniture) -> tuple[str, ...]:
    if signed := _signature_issuers(paragraphs):
        return signed
    if line := next((t for t in header if _ORG_LINE.match(t)), None):
        return (line,)
    head = "".join(header)
    if congress := _CONGRESS.search(head):
        place = "全国" if congress.group(2) else congress.group(1)
        return (f"{place}人民代表大会常务委员会",)
    if order := _ORDER_NUMBER.search(head):
        return (order.group(1)[:-1],) if order.group(1) != "主席令" else ("中华人民共和国主席",)
    for key in ("发布机构", "发文机关", "发文单位"):
        if furniture.fields.get(key):
            return (furniture.fields[key],)
    return ()


def _date(paragraphs: list[Paragraph], header: list[str]) -> str | None:
    if line := next((p.text for p in paragraphs if DATE_LINE.match(p.text)), None):
        return _iso(*DATE_LINE.match(line).groups())
    passed = [m for m in _PASSED.finditer("".join(header))]
    if passed:  # the latest of 通过 / 修订 / 公布: the text as it stands now
        return max(_iso(*m.groups()[:3]) for m in passed)
    return None


def _effective_date(paragraphs: list[Paragraph]) -> str | None:
    for paragraph in paragraphs:
        if match := _EFFECTIVE.search(paragraph.text):
            return _iso(*match.groups())
    return None


def _kind(title: str) -> str | None:
    for kind in sorted(KIND_BASES, key=len, reverse=True):
        if title.endswith(kind):
            return KIND_LABELS.get(kind, kind)
    return None


def _addressees(paragraphs: list[Paragraph]) -> tuple[str, ...]:
    for paragraph in paragraphs[:20]:
        if match := re.match(r"^(各[^：:。]{2,300})[：:]", paragraph.text):
            # Addressees are separated by ，/；; a 、 joins parts of one (市政府各委、办、局).
            return tuple(split_outside_brackets(match.group(1), "，,；;"))
    return ()


def extract_metadata(paragraphs: list[Paragraph], fallback_title: str, furniture: Furniture | None = None) -> Metadata:
    furniture = furniture or Furniture()
    header = _header(paragraphs)
    title = _title(header, fallback_title)
    words = _DRAFT.findall("".join(p.text for p in paragraphs[:4]))
    status_word = words[0] if words else None
    title = re.sub(rf"[（(](?:{'|'.join(DRAFT_WORDS)})[）)]$", "", title).strip("《》 ")[:_MAX_TITLE]
    issuers = _issuers(paragraphs, header, furniture)
    issuer = issuers[0] if issuers else None
    return Metadata(
        title=title or fallback_title[:_MAX_TITLE],
        doc_number=_doc_number(header, furniture),
        issuers=issuers,
        date=_date(paragraphs, header),
        effective_date=_effective_date(paragraphs),
        kind=_kind(title),
        status="draft" if status_word in NOT_IN_FORCE else "final",
        status_word=status_word,
        level=_level(issuer) or _level(title),
        addressees=_addressees(paragraphs),
    )

