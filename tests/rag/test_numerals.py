"""Chinese and Arabic numerals as numbers (rag.numerals)."""

from __future__ import annotations

import pytest

from rag.numerals import format_number, leading_number, to_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1), ("九", 9), ("十", 10), ("十五", 15), ("二十", 20), ("三十", 30), ("九十九", 99),
        ("一百", 100), ("一百零七", 107), ("一百一十", 110), ("一百十", 110), ("二百", 200), ("一千二百", 1200),
        ("一千零五十", 1050), ("一千二", 1200), ("两", 2), ("两千", 2000), ("〇", 0), ("零", 0),
        ("二十万", 200_000), ("三万五", 35_000), ("一万零五百", 10_500), ("一亿二千万", 120_000_000),
        ("3.5万", 35_000), ("3.3万", 33_000), ("1.2万亿", 1_200_000_000_000), ("5千万", 50_000_000),
        ("1000", 1000), ("1,000", 1000), ("0.15", 0.15), ("２０２３", 2023),
        ("二〇二三", 2023), ("一九九八", 1998), ("壹佰贰拾", 120),
        ("百分之一百五十", 150), ("百分之二十", 20), ("百分之百", 100), ("百分之8.5", 8.5), ("千分之五", 5),
    ],
)
def test_numerals_read_as_numbers(text, value):
    assert to_number(text) == value


def test_whole_values_are_ints_and_shares_are_fractions():
    assert isinstance(to_number("3.5万"), int)
    assert isinstance(to_number("一百零七"), int)
    assert to_number("三分之一") == pytest.approx(1 / 3)
    assert to_number("三分之二") == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "text",
    ["", "统一", "十分", "百", "万", "千万", "第三", "3个月", "二十三十", "一百零十", "三五", "万一", "十四五规划", "abc", "分之一"],
)
def test_non_numerals_give_none(text):
    assert to_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3个月", (3, 1)), ("三十日", (30, 2)), ("十五日", (15, 2)), ("15个工作日", (15, 2)),
        ("3.5万元", (35_000, 4)), ("二〇二三年", (2023, 4)), ("百分之六十以上", (60, 5)), ("一百零七条", (107, 4)),
    ],
)
def test_leading_number_reads_the_numeral_a_quantity_starts_with(text, expected):
    assert leading_number(text) == expected


@pytest.mark.parametrize("text", ["个月", "第三条", "统一", ""])
def test_leading_number_is_none_without_a_numeral(text):
    assert leading_number(text) is None


def test_format_number_drops_a_zero_fraction():
    assert [format_number(v) for v in (3, 3.0, 0.15, 35000.0, 2 / 3)] == ["3", "3", "0.15", "35000", "0.666667"]
