"""Chinese and Arabic numerals as numbers: 一百零七 → 107, 3.5万 → 35000, 二〇二三 → 2023,
百分之一百五十 → 150 (the percentage), 三分之一 → 0.333…. Pure functions, no I/O.

`to_number` reads a whole string and returns None for anything that is not a numeral (统一, 十分, 第三);
`leading_number` reads the numeral at the start of a quantity (3个月 → 3, 十五日 → 15). The pattern
strings let rag.extract find candidate numerals; every candidate is checked by `to_number`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = (("亿", 10**8), ("万", 10**4))  # larger first: 一亿二千万 splits at 亿, then at 万

# Characters a Chinese numeral is written with, for building patterns.
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "万亿"
# An Arabic number (1000, 3.5, 1,000), optionally with Chinese multipliers (3.5万, 5千万).
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
ARABIC_WITH_MULTIPLIER = ARABIC + r"[十百千万亿]{0,2}"
CHINESE = f"[{CHINESE_NUMERAL_CHARS}]+"
# Any numeral; 百分之/千分之 and X分之Y first so that 百 in 百分之 is not read as a bare number.
NUMERAL = rf"(?:(?:百分之|千分之)(?:{ARABIC}|{CHINESE})|{CHINESE}分之{CHINESE}|{ARABIC_WITH_MULTIPLIER}|{CHINESE})"

# A month (1-12, 一-十二) and a day of the month (1-31, 一-三十一) as written before 月 and 日.
MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
DAY = r"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"

_NUMERAL_AT_START = re.compile(NUMERAL)
_TOKENS = re.compile(r"\d+(?:\.\d+)?|.")


@lru_cache(maxsize=8192)
def to_number(text: str) -> int | float | None:
    """The value of a numeral written in full, or None if `text` is not one. Percentages and
    permilles give the number before the sign (百分之六十 → 60); whole values come back as int."""
    text = text.strip().replace(",", "")
    if text.isascii() and text.isdigit():
        return int(text)
    if not text:
        return None
    if text == "百分之百":
        return 100
    if text.startswith(("百分之", "千分之")):
        return _to_python(_number(text[3:]))
    if "分之" in text:
        denominator, _, numerator = text.partition("分之")
        low, high = _number(numerator), _number(denominator)
        return None if low is None or not high else _to_python(low / high)
    return _to_python(_number(text))


def leading_number(text: str) -> tuple[int | float, int] | None:
    """The numeral `text` starts with and how many characters it takes: 3个月 → (3, 1),
    十五日 → (15, 2), 3.5万元 → (35000, 4). None if it does not start with a numeral."""
    match = _NUMERAL_AT_START.match(text)
    if match is None:
        return None
    for end in range(match.end(), 0, -1):  # 三十万一 is no numeral, 三十万 is
        value = to_number(text[:end])
        if value is not None:
            return value, end
    return None


def format_number(value: int | float) -> str:
    """3.0 → "3", 0.15 → "0.15": how a value is written back into a range like "3-12"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6g}"


def _to_python(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _number(text: str) -> Decimal | None:
    """A numeral with optional 万/亿 sections; the part before a multiplier may be Arabic (3.5万)."""
    if not text:
        return None
    for char, size in _BIG_UNITS:
        head, found, tail = text.partition(char)
        if not found:
            continue
        high = _number(head)
        if high is None:
            return None
        if not tail:
            return high * size
        if len(tail) == 1 and tail in _DIGITS:  # 三万五 is 35000, as it is said
            return high * size + _DIGITS[tail] * size // 10
        low = _number(tail.lstrip("零〇"))
        if low is None or low >= size:
            return None
        return high * size + low
    return _below_ten_thousand(text)


def _below_ten_thousand(text: str) -> Decimal | None:
    tokens = _TOKENS.findall(text)
    if len(tokens) == 1 and tokens[0][0].isdigit():
        try:
            return Decimal(tokens[0])
        except InvalidOperation:  # a digit Python reads but Decimal does not
            return None
    if len(tokens) > 2 and all(token in _DIGITS and token != "两" for token in tokens):
        return Decimal("".join(str(_DIGITS[token]) for token in tokens))  # 二〇二三 read digit by digit; 三五 is none
    total, pending, last_unit, after_zero = Decimal(0), None, None, False
    for token in tokens:
        if token in _DIGITS or token[0].isdigit():
            value = Decimal(_DIGITS[token]) if token in _DIGITS else Decimal(token)
            if pending is not None and pending != 0:
                return None  # two digits in a row inside a positional numeral
            after_zero = after_zero or value == 0
            pending = value
        elif token in _SMALL_UNITS:
            unit = _SMALL_UNITS[token]
            if last_unit is not None and unit >= last_unit:
                return None
            if pending is None and unit == 10:
                pending = Decimal(1)  # 十五 is 一十五, 一百十 is 一百一十
            if not pending:
                return None
            total += pending * unit
            pending, last_unit, after_zero = None, unit, False
        else:
            return None
    if pending is not None:
        # 一千二 is 1200 as it is said; 一百零二 is 102
        scale = last_unit // 10 if last_unit and last_unit >= 100 and not after_zero else 1
        total += pending * scale
    return total


def to_chinese(value: int) -> str:
    """1..999 as written in clause numbers: 5 → 五, 21 → 二十一, 96 → 九十六, 107 → 一百零七."""
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    text = f"{digits[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    if ones:
        text += digits[ones]
    return text or "零"
