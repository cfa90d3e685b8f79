"""Typed spans in clause text: the candidate answers an answering layer chooses from. Pure functions,
no I/O; patterns are compiled once, words come from rag.lexicon, numerals from rag.numerals.

Every span keeps `text == source[start:end]`, so a quote built from it is found character for
character in its clause. `value` is normalised: dates ISO (2023-05-25; XXXX for a year not written,
2023-05-25/2023-09-05 for a range), a quantity its number (200万元 → 200, unit 万元), a range
"low-high" in one unit ("6-12", unit 个月, for 六个月以上一年以下). A percentage is an amount with
unit "%" (60%, 60％, 百分之六十 alike); `find_percent` filters them and is no kind of its own, so
`find_all` lists each once.

Dates, durations, amounts and phone numbers compete for characters (5月25日 holds 25日, 3个月 holds
3个, 16周岁 holds 16周): a span that holds another wins, else phone > date > duration > amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from rag import lexicon as lx
from rag.numerals import (
    ARABIC, ARABIC_WITH_MULTIPLIER, CHINESE, CHINESE_NUMERAL_CHARS, DAY, MONTH, format_number, to_number,
)


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    text: str  # always source[start:end]
    value: float | str | None
    unit: str | None = None


def _span(source: str, kind: str, start: int, end: int, value=None, unit: str | None = None) -> Span:
    return Span(kind, start, end, source[start:end], value, unit)


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _by_last_char(words: Iterable[str]) -> dict[str, list[str]]:
    """Words by their last character, longest first: a cheap look at what ends at a point."""
    return {c: sorted((w for w in words if w[-1] == c), key=len, reverse=True) for c in {w[-1] for w in words}}


def _before(text: str, start: int, words: dict[str, list[str]], times: int = 1) -> int:
    """Where a run of up to `times` of `words` ending at `start` begins (每年3月 → at 每年)."""
    for _ in range(times):
        start -= len(next((w for w in words.get(text[start - 1:start], ()) if text.endswith(w, 0, start)), ""))
    return start


# ---- dates --------------------------------------------------------------------------------------
_NOT_AFTER = rf"(?<![\d{CHINESE_NUMERAL_CHARS}第.])"  # a number starts here, not inside 15个 or 第三
_DATE = re.compile(  # the lookahead first lets the engine skip positions that hold no numeral
    rf"(?=[\d〇零一二三四五六七八九十])(?:(?<![\d.])(?P<iy>\d{{4}})(?P<sep>[-/.．])(?P<im>\d{{1,2}})(?P=sep)"
    rf"(?P<id>\d{{1,2}})(?!\d)|{_NOT_AFTER}(?:(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})年度?)?"
    rf"(?:(?P<m>{MONTH})月份?)?(?:(?P<d>{DAY})[日号])?(?![\d〇零一二三四五六七八九十]+[日号月])"  # not 2月32日
    rf"(?<=[年度月份日号])(?:{_alt(lx.DATE_PARTS)})?(?:{_alt(lx.DATE_BOUNDS)})?)"
)
_PERIODS = _by_last_char(lx.DATE_PERIODS)


def _date_value(y: str | None, m: str | None, d: str | None, period: str) -> str | None:
    if not (y or m or d) or (d and not m and (y or period not in lx.DAY_PERIODS)):
        return None
    year, month, day = (to_number(part) if part else None for part in (y, m, d))
    if (y and not 1900 <= year <= 2100) or (m and not 1 <= month <= 12) or (d and not 1 <= day <= 31):
        return None
    parts = [f"{year:04d}" if y else "XXXX"] + ([f"{month:02d}" if m else "XX"] if m or d else [])
    return "-".join(parts + ([f"{day:02d}"] if d else []))


def _raw_dates(text: str) -> list[Span]:
    spans = []
    for match in _DATE.finditer(text):
        start = match.start() if match.group("iy") else _before(text, match.start(), _PERIODS)
        groups = match.group("iy", "im", "id") if match.group("iy") else match.group("y", "m", "d")
        value = _date_value(*groups, text[start:match.start()])
        if value:
            spans.append(_span(text, "date", start, match.end(), value))
    return spans


# ---- durations and amounts ----------------------------------------------------------------------
_NUM = rf"(?:{ARABIC_WITH_MULTIPLIER}|{CHINESE})"
_TIME, _MEASURE = _alt(lx.TIME_UNITS), _alt(lx.MEASURE_UNITS)
_QTY = {  # a number with its unit comes first, so that 30千瓦 is 30 千瓦 and not 30千 without a unit
    "duration": rf"(?:{_NUM}个半(?:月|小时)|半个?(?:{_TIME})|{_NUM}(?:{_TIME})半?|{_NUM})",
    "amount": rf"(?:(?:百分之|千分之)(?:{ARABIC}|{CHINESE})|{CHINESE}分之{CHINESE}"
              rf"|{_NUM}(?:{_MEASURE})(?:/(?:{_alt(lx.PER_UNITS)}))?|{_NUM})",
}
_QUANTITY = {
    kind: re.compile(rf"(?=[\d{CHINESE_NUMERAL_CHARS}半]){_NOT_AFTER}(?P<q1>{qty})"
                     rf"(?:(?:{_alt(lx.RANGE_WORDS)}|以上)(?P<q2>{qty}))?(?:{_alt(lx.BOUND_SUFFIXES)})?")
    for kind, qty in _QTY.items()
}
_UNITS = {"duration": _by_last_char(lx.TIME_UNITS), "amount": _by_last_char(lx.MEASURE_UNITS)}
_BOUND_PREFIXES = _by_last_char(lx.BOUND_PREFIXES)
_NUMERAL_ENDS = frozenset("0123456789" + CHINESE_NUMERAL_CHARS)


@lru_cache(maxsize=4096)
def _quantity(piece: str, kind: str) -> tuple[float | None, str | None]:
    """(value, unit) of one quantity: 200万元 → (200, 万元), 3.5万人 → (35000, 人), 一年半 → (1.5, 年)."""
    if piece.startswith(("百分之", "千分之")):
        return to_number(piece), "%" if piece[0] == "百" else "‰"
    if "分之" in piece:  # 三分之二: a share, no unit
        return to_number(piece), None
    base, _, per = piece.partition("/")
    half = 0.5 if base.startswith("半") or base.endswith("半") or "个半" in base else 0  # 半年, 一年半, 一个半月
    base = base.strip("半").replace("个半", "个")
    for unit in _UNITS[kind].get(base[-1:], ()):  # longest first: 200万元 is 200 万元, 3.5万人 is 35000 人
        value = (0 if half and base == unit else to_number(base[: -len(unit)])) if base.endswith(unit) else None
        if value is not None:
            unit = "%" if unit == "％" else unit
            return (value + half if half else value), f"{unit}/{per}" if per else unit
    return to_number(base), None


def _same_unit(v1: float, u1: str, v2: float, u2: str) -> tuple[float, float, str | None]:
    """Both ends of a range in the smaller unit: 六个月以上一年以下 → (6, 12, 个月); None if they differ."""
    (base1, size1), (base2, size2) = lx.UNIT_SIZES.get(u1, (u1, 1)), lx.UNIT_SIZES.get(u2, (u2, 1))
    if base1 != base2:
        return v1, v2, None
    small = min(size1, size2)
    return round(v1 * size1 / small, 9), round(v2 * size2 / small, 9), u1 if size1 == small else u2


def _raw_quantities(text: str, kind: str) -> list[Span]:
    spans = []
    for match in _QUANTITY[kind].finditer(text):
        q1, q2 = match.group("q1", "q2")
        if (not q2 and q1[-1] in _NUMERAL_ENDS and "分之" not in q1) or text.startswith(lx.NON_NUMERAL_WORDS,
                                                                                         match.start()):
            continue  # a bare number (2023, 第三) or 十分重要
        (v1, u1), (v2, u2) = _quantity(q1, kind), _quantity(q2, kind) if q2 else (None, None)
        unit = u2 if q2 else u1
        if v1 is None or (q2 and v2 is None) or (unit is None and "分之" not in q1):
            continue
        if kind == "duration" and unit == "年" and (max(v1, v2 or 0) >= 1000 or re.match(r"\d{4}", q1)):
            continue  # 2025年 is a year, 2021—2025年 a range of years
        if q2 and u1 and u1 != u2:
            v1, v2, unit = _same_unit(v1, u1, v2, u2)
        value = (f"{format_number(v1)}-{format_number(v2)}" if unit else None) if q2 else v1
        spans.append(_span(text, kind, _before(text, match.start(), _BOUND_PREFIXES, 2), match.end(), value, unit))
    return spans


# ---- phone, url, email --------------------------------------------------------------------------
_PHONE = re.compile(
    r"(?<![\d-])(?:[（(]0\d{2,3}[)）]\s?\d{7,8}|0\d{2,3}[-－]?\d{7,8}|1[3-9]\d{9}|[48]00[- ]?\d{3}[- ]?\d{4})"
    r"(?:转\d{1,6})?(?!\d)|(?<=热线|电话|拨打)[：:]?(?P<hotline>12\d{3})(?!\d)|(?<!\d)12\d{3}(?=热线|服务热线)"
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%\-]+|(?<![A-Za-z0-9_.@/-])(?:[A-Za-z0-9-]+\.)+"
    r"(?:gov\.cn|com\.cn|org\.cn|edu\.cn|cn|com|org|net)(?:/[A-Za-z0-9._~/?#&=%\-]*)?(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def find_phone(text: str) -> list[Span]:
    """0818-2389012, （0818）2389012, 13800000000, 400-123-4567, 12345 after 热线/电话/拨打 or before
    热线; value is the digits, an extension after 转 joined by "-" (08182389012-8001)."""
    spans = []
    for match in _PHONE.finditer(text):
        start = match.start("hotline") if match.group("hotline") else match.start()
        main, _, extension = text[start:match.end()].partition("转")
        digits = re.sub(r"\D", "", main) + (extension and f"-{extension}")
        spans.append(_span(text, "phone", start, match.end(), digits))
    return spans


def find_email(text: str) -> list[Span]:
    return [_span(text, "email", m.start(), m.end(), m.group().lower()) for m in _EMAIL.finditer(text)]


def find_url(text: str) -> list[Span]:
    """http(s)://…, www.…, bare domains (sc.gov.cn/zwgk); trailing punctuation stays out of the span."""
    emails, spans = find_email(text), []
    for match in _URL.finditer(text):
        end = match.start() + len(match.group().rstrip(".,;:!?'"))
        span = _span(text, "url", match.start(), end, text[match.start():end])
        if not any(_overlap(span, email) for email in emails):
            spans.append(span)
    return spans


# ---- which quantity owns which characters -------------------------------------------------------
_PRIORITY = {"phone": 0, "date": 1, "duration": 2, "amount": 3}


def _beats(a: Span, b: Span) -> bool:
    """Of two overlapping spans, the one that holds the other wins, else the higher priority."""
    same = (a.start, a.end) == (b.start, b.end)
    if not same and (a.start <= b.start and b.end <= a.end or b.start <= a.start and a.end <= b.end):
        return a.end - a.start > b.end - b.start
    return _PRIORITY[a.kind] < _PRIORITY[b.kind]


# A table row flattened to a line: 关键工序数控化率（%） 50.1 60 — the unit stands in the row's label and
# applies to every value after it (2020 and 2025 columns; 【1500】 and [7] mark cumulative or estimated).
# A label that wraps puts its values on the next line (占营业收入比重（%）⏎0.49* 1).
_TABLE_UNIT = re.compile(rf"[（(](?P<unit>{_MEASURE})[）)](?=\s*(?:[-—–][ \t]+)?[\[【]?\d)")
_TABLE_VALUE = re.compile(r"[ \t]+(?:[-—–](?=[ \t]))?|\s*\n[ \t]*(?=(?:[-—–][ \t]+)?[\[【]?\d)"
                          r"|[\[【]?(?P<v>\d+(?:\.\d+)?)\*?[\]】]?")


def _table_cells(text: str) -> list[Span]:
    spans = []
    for label in _TABLE_UNIT.finditer(text):
        position = label.end()
        while match := _TABLE_VALUE.match(text, position):
            if match.end() == position:
                break
            if match.group("v"):
                spans.append(_span(text, "amount", match.start(), match.end(), float(match.group("v")),
                                   label.group("unit")))
            position = match.end()
    return spans


@lru_cache(maxsize=512)
def _quantities(text: str) -> tuple[Span, ...]:
    found = sorted([*find_phone(text), *_raw_dates(text), *_raw_quantities(text, "duration"),
                    *_raw_quantities(text, "amount"), *_table_cells(text)], key=lambda span: span.start)
    kept = []
    for i, span in enumerate(found):  # rivals are neighbours: only a few spans can overlap one span
        rivals = [o for o in found[max(0, i - 8):i + 8] if o.kind != span.kind and _overlap(o, span)]
        if not any(_beats(o, span) for o in rivals):
            kept.append(span)
    return tuple(kept)


def find_date(text: str) -> list[Span]:
    """2023年5月25日, 2023年5月, 5月25日, 2025-04-23, 二〇二三年五月, 2023年 alone, 2025年底, with a
    period before (每年3月底前, 每月15日前) and a bound after (前, 起, 以来 …) kept in the span."""
    return [span for span in _quantities(text) if span.kind == "date"]


def find_duration(text: str) -> list[Span]:
    """六个月, 15个工作日, 半年, 一年半, 3个月至12个月, 一年以上三年以下, 最长不得超过六个月, 5年内."""
    return [span for span in _quantities(text) if span.kind == "duration"]


def find_amount(text: str) -> list[Span]:
    """200万元, 60%, 百分之一百五十, 30分, 5家, 0.15米, 500元/人, 三分之二以上 (unit None),
    二倍以上五倍以下, 五百元以上五千元以下: bound words and ranges are part of the span."""
    return [span for span in _quantities(text) if span.kind == "amount"]


def find_percent(text: str) -> list[Span]:
    """The amounts that are percentages (unit "%"); they keep kind "amount"."""
    return [span for span in find_amount(text) if span.unit == "%"]


# ---- how often ----------------------------------------------------------------------------------
_PERIOD = _alt(lx.FREQUENCY_PERIODS)
_TIMES = rf"(?:{_NUM}|[一两几])次"
_FREQUENCY = re.compile(
    rf"每(?:隔)?(?:{_NUM})?(?:{_PERIOD})(?:(?:至少|不少于|不超过|最多)?{_TIMES})?"  # 每季度, 每年一次, 每两年至少一次
    rf"|(?<![\d{CHINESE_NUMERAL_CHARS}])(?:{_NUM})?(?:{_PERIOD})(?:至少|不少于)?{_TIMES}"  # 一年两次, 年度一次
    rf"|{_alt(lx.FREQUENCY_WORDS)}")


def find_frequency(text: str) -> list[Span]:
    """每周, 每季度, 每年一次, 每两年至少一次, 一年两次, 定期: how often something happens."""
    return [_span(text, "frequency", m.start(), m.end()) for m in _FREQUENCY.finditer(text)]


# A time told by an event, not a date: 自下发之日起, 在评审等科技活动开始前, 签注时, 期满后.
_MOMENT = re.compile(rf"(?:自|从|在)[^，。；：]{{1,24}}?(?:{_alt(lx.MOMENT_ENDS)})")


def find_moment(text: str) -> list[Span]:
    """When something happens, told by another event: 自收到通知之日起, 在评审开始前, 在《居住证》签注时."""
    return [_span(text, "moment", m.start(), m.end()) for m in _MOMENT.finditer(text)]


_RANGE = rf"\s*(?:开始|起)?\s*(?:{_alt(lx.RANGE_WORDS)})\s*"
_RANGE_GAP = re.compile(_RANGE)
_DAY_END = re.compile(rf"{_RANGE}(?P<d>{DAY})日(?:止|为止)?")
_YEAR_RANGE = re.compile(rf"(?<!\d)(?P<a>\d{{4}}){_RANGE}(?P<b>\d{{4}})年(?!\d)")


def find_date_range(text: str) -> list[Span]:
    """2023年5月25日至9月5日, 6月1日至8月29日, 5月25日至31日, 2021—2025年, 2023年至2025年; value
    start/end in ISO, the end taking the start's year and month where it leaves them out."""
    dates, spans = find_date(text), []
    for first, second in zip(dates, dates[1:]):
        if _RANGE_GAP.fullmatch(text, first.end, second.start):
            end = [e if "X" not in e else s for e, s in zip(second.value.split("-"), first.value.split("-"))]
            spans.append(_span(text, "date_range", first.start, second.end, f"{first.value}/{'-'.join(end)}"))
    for first in dates:
        match = _DAY_END.match(text, first.end)
        if match and first.value.count("-") == 2 and all(span.start != first.start for span in spans):
            value = f"{first.value}/{first.value[:8]}{to_number(match.group('d')):02d}"
            spans.append(_span(text, "date_range", first.start, match.end(), value))
    for match in _YEAR_RANGE.finditer(text):
        if all(1900 <= int(year) <= 2100 for year in match.group("a", "b")):
            spans.append(_span(text, "date_range", match.start(), match.end(), "/".join(match.group("a", "b"))))
    return sorted(spans, key=lambda span: span.start)


# ---- organisations ------------------------------------------------------------------------------
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_ORG_SUFFIX = re.compile(_alt(lx.ORG_SUFFIXES))
_ORG_END = re.compile(rf"(?:{_alt(lx.ORG_SUFFIXES)})$")
_ORG_NON_NAME = re.compile(_alt(lx.ORG_NON_NAMES))
_ORG_BOUNDARY = re.compile(rf"{_alt(lx.ORG_BOUNDARY_WORDS)}|第[一二三四五六七八九十百零〇\d]+[条款项章节]")
_ORG_JOIN = re.compile(_alt(join for join in lx.ORG_LIST_JOINS if _CJK_RUN.fullmatch(join)))
_ORG_MAX_CHARS = 24  # a longer "name" is a sentence that happens to end in 局 or 部门


def find_org(text: str) -> list[Span]:
    """Names of organisations and government units: a run of CJK ending with an ORG_SUFFIXES entry
    (市经信局, 公安机关交通管理部门, 县级以上人民政府), starting after a boundary word (由, 会同, 第二十条 …)
    or after the name before it in a list (市经信局和市科技局 gives two). Nested names give the longest."""
    spans = []
    for run in _CJK_RUN.finditer(text):
        words = run.group()
        if text.startswith(("〔", "[", "［"), run.end()):
            continue  # the issuer part of a 文号 (川办发〔2022〕67号)
        non_names = [m.span() for m in _ORG_NON_NAME.finditer(words)]
        suffixes = [m for m in _ORG_SUFFIX.finditer(words) if not any(  # 局 in 布局 is no suffix
            s < m.end() and m.start() < e and not (m.start() <= s and e <= m.end()) for s, e in non_names)]
        ends = {m.end() for m in suffixes}
        starts = {m.end() for m in _ORG_BOUNDARY.finditer(words)}
        starts |= {m.end() for m in _ORG_JOIN.finditer(words) if m.start() in ends}  # 局和 …, not 资源和社会
        found = []
        for suffix in suffixes:
            start = max((p for p in starts if p <= suffix.start()), default=0)
            if start < suffix.start() and suffix.end() - start <= _ORG_MAX_CHARS:
                found.append((start, suffix.end()))
        for start, end in found:
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in found):
                spans.append(_span(text, "org", run.start() + start, run.start() + end))
    return spans


# ---- enumerations -------------------------------------------------------------------------------
_ITEM = r"[\u4e00-\u9fffA-Za-z0-9]+"
_LIST = re.compile(rf"(?<![\u4e00-\u9fffA-Za-z0-9]){_ITEM}(?:、{_ITEM})+")
_LEADS = re.compile(_alt(lx.ENUMERATION_LEADS))
_LIST_END = re.compile(_alt(lx.ENUMERATION_ENDS))
_COUNT = re.compile(rf"{_NUM}(?:{_MEASURE}|大)")  # …轻纺服饰六个重点产业, 六大产业: a count after the list
_LAST_JOIN = re.compile(rf"(?<=.)(?:{_alt(lx.ENUMERATION_JOINS)})(?=.)")
_HEADING_NUMERAL = re.compile(r"[一二三四五六七八九十]+|\d+")


# A sentence that leads into items set out after it (基本材料包括：, 具备以下条款：): ingest keeps the items as
# child clauses, and the answer lists them (rag.answering); the lead-in stands for the list here.
_LEAD_IN_LIST = re.compile(r"(?<![^。；\n])[^。；\n]*(?:包括|包含|如下|下列[^。；：:\n]{0,20}|以下[^。；：:\n]{0,20})[：:](?=\s*$)")


def find_enumeration(text: str) -> list[Span]:
    """Lists joined by 、 (and a last 和/及/与/或): 锂电、新材料、食品饮料等 → value
    "锂电、新材料、食品饮料"; the span ends after 等 when the list closes with it. A lead-in that ends a
    text with a colon (材料包括：) is a list whose items follow it."""
    spans = [_span(text, "enumeration", m.start(), m.end()) for m in _LEAD_IN_LIST.finditer(text)]
    for match in _LIST.finditer(text):
        parts, offset = match.group().split("、"), match.start()
        if _HEADING_NUMERAL.fullmatch(parts[0]):  # 一、总体要求 is a heading, not a list
            parts, offset = parts[1:], offset + len(parts[0]) + 1
        if len(parts) < 2:
            continue
        names = all(_ORG_END.search(part) for part in parts[:-1])  # 市经信局、市科技局和…
        last_items, last_end = _last_items(parts[-1], names)
        start = _first_start(parts[0], parts[1:-1] + last_items, names)
        items = [parts[0][start:], *parts[1:-1], *last_items]
        if all(items):
            end = match.end() - len(parts[-1]) + last_end
            spans.append(_span(text, "enumeration", offset + start, end, "、".join(items)))
    return spans


def _last_items(last: str, names: bool) -> tuple[list[str], int]:
    """The items in the part after the last 、, and where the list ends in it."""
    orgs = find_org(last) if names else []
    if orgs and orgs[0].start == 0:  # a list of names ends where its last name ends
        chained = [orgs[0]]
        for org in orgs[1:]:
            if last[chained[-1].end:org.start] not in lx.ENUMERATION_JOINS:
                break
            chained.append(org)
        return [org.text for org in chained], chained[-1].end
    end = len(last)
    if close := _LIST_END.search(last, 1):  # …食品饮料等产业
        end, last = close.end(), last[: close.start()]
    elif count := _COUNT.search(last, 1):
        end, last = count.start(), last[: count.start()]
    join = _LAST_JOIN.search(last)
    return ([last[: join.start()], last[join.end():]] if join else [last]), end


def _first_start(first: str, others: list[str], names: bool) -> int:
    """Where the first item starts in the part before the first 、."""
    if names:
        orgs = [org for org in find_org(first) if org.end == len(first)]
        if orgs:
            return orgs[-1].start
    leads = list(_LEADS.finditer(first))
    start = leads[-1].end() if leads else 0  # 重点发展锂电 → 锂电
    start = max(start, len(first) - max(map(len, others)) - 2)
    heads = {item[:1] for item in others}
    if len(heads) == 1 and first.find(head := heads.pop(), start) >= 0:  # 第5条、第七条 → 第5条
        start = first.find(head, start)
    return start


# ---- definitions and conditions -----------------------------------------------------------------
_ENDS = "。；！？\n"
_SENTENCE = re.compile(rf"[^{_ENDS}]+[{_ENDS[:-1]}]?")
_SENTENCE_END = re.compile(rf"[{_ENDS}]")
_NUMBERING = re.compile(r"\s*(?:(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、]"
                        r"|第[一二三四五六七八九十百零〇\d]+条)\s*)?")
_MARKER = _alt(lx.DEFINITION_MARKERS)
_DEFINITIONS = (  # tried in this order: 本办法所称X，是指 names its term more surely than X是指
    re.compile(rf"(?:{_alt(lx.DEFINITION_SCOPES)})?所称(?P<term>[^，,：:]{{1,40}}?)[，,]?(?:{_MARKER}|指)"),
    re.compile(rf"(?P<term>[^，,：:]{{1,30}}?)[，,]?(?:{_MARKER})|(?P<short>[^，,：:]{{1,30}}?)[，,]"
               rf"(?!{_alt(lx.NON_DEFINING_ZHI)})指"),
)
_CONDITION = re.compile(  # 平凡, 非凡 open nothing
    rf"(?P<trigger>{_alt(lx.CONDITION_TRIGGERS)})|(?<![平非])(?:{_alt(lx.CONDITION_OPENERS)})"
    rf"(?:[^，,。；：:！？\n]{{0,30}}?的|[^，,。；：:！？\n]{{0,30}}(?:{_alt(lx.CONDITION_CLOSERS)})(?=[的，,：:]))"
)
_LIST_INTRO = re.compile(r"[^，,。；：:\n]*(?:下列|以下)[^。；\n]*[：:]")  # 应当具备下列条件：（一）…


_NAMED_AS = re.compile(r"[（(]以下(?:统称|简称|称)[为“\"]*([^”\"）)]{1,20})[”\"]*[）)]")
# 新能源、新材料、绿色化工“两新一绿”: a list directly followed by the quoted name it is known by
_NAMED_BY_LIST = re.compile(r"(?:[^、，,。；：:“”\s]{1,12}、)+[^、，,。；：:“”\s]{1,12}“([^”]{2,12})”")
_QUOTED_IS = re.compile(r"^\s*“([^”]{1,12})”即[：:，,]?")  # “双核”即：以…为核心 — a plan spells out its slogan


def find_definition(text: str) -> list[Span]:
    """X是指Y, 本办法所称X，是指Y, X，指Y: the span runs from the term (or 本办法所称) to the end of
    its sentence, without numbering (第二条); value is the term X."""
    spans = []
    for sentence in _SENTENCE.finditer(text):
        for named in _NAMED_AS.finditer(sentence.group()):  # 医疗机构、药品经营单位（以下统称医药机构）
            spans.append(_span(text, "definition", sentence.start(), sentence.end(), named.group(1)))
        for named in [*_NAMED_BY_LIST.finditer(sentence.group()), *_QUOTED_IS.finditer(sentence.group())]:
            spans.append(_span(text, "definition", sentence.start(), sentence.end(), named.group(1)))
        if "指" not in sentence.group():
            continue
        match = next(filter(None, (pattern.search(sentence.group()) for pattern in _DEFINITIONS)), None)
        term = match.group(match.lastindex) if match else ""
        term = term[_NUMBERING.match(term).end():].strip(" “”\"‘’「」")
        if term:
            start = sentence.start() + _NUMBERING.match(sentence.group(), match.start()).end()
            spans.append(_span(text, "definition", start, sentence.end(), term))
    return spans


def find_condition(text: str) -> list[Span]:
    """Conditions opened by 有下列情形之一的, 应当具备, 需满足, 符合…条件/的, 凡…的: the span runs to the end
    of the sentence (to 。 past the items when the condition introduces a list with ：); value is
    the condition phrase (符合条件的) or the trigger's clause up to its first comma or colon."""
    spans = []
    for match in _CONDITION.finditer(text):
        value = match.group()
        if match.group("trigger"):
            value = re.split(r"[，,：:。；\n]", text[match.start():match.start() + 40])[0]
        if _LIST_INTRO.match(text, match.start()):
            end = text.find("。", match.start()) + 1 or len(text)
        else:
            stop = _SENTENCE_END.search(text, match.end())
            end = len(text) if stop is None else stop.end() - (stop.group() == "\n")
        spans.append(_span(text, "condition", match.start(), end, value))
    return spans


EXTRACTORS: dict[str, Callable[[str], list[Span]]] = {
    "date": find_date, "date_range": find_date_range, "duration": find_duration, "amount": find_amount,
    "frequency": find_frequency, "moment": find_moment, "phone": find_phone, "url": find_url, "email": find_email, "org": find_org,
    "enumeration": find_enumeration, "definition": find_definition, "condition": find_condition,
}


def _register_person() -> None:
    from rag.person import find_person  # its own module: it needs Span, defined above

    EXTRACTORS["person"] = find_person


_register_person()


def find_all(text: str) -> list[Span]:
    """Every span of every kind, by start (longer first at the same start). Kinds overlap: a date
    range holds its dates, an enumeration its organisations."""
    spans = [span for find in EXTRACTORS.values() for span in find(text)]
    return sorted(spans, key=lambda span: (span.start, -span.end, span.kind))
