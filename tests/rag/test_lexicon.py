"""Every word list in rag.lexicon is well formed; each list the span extractors (rag.extract) read
does what its comment says, checked through the extractor that reads it."""

from __future__ import annotations

import inspect
import re

import pytest

from rag import extract, lexicon
from rag.extract import (
    find_condition, find_date, find_definition, find_frequency, find_moment, find_duration, find_enumeration, find_org, find_amount,
)
from rag.numerals import format_number

LISTS = {name: value for name, value in vars(lexicon).items() if name.isupper() and isinstance(value, (tuple, dict))}
# the lists the extractors read (lx.NAME in rag/extract.py), and the union BOUND_WORDS
EXTRACT_LISTS = set(re.findall(r"\blx\.([A-Z_]+)", inspect.getsource(extract))) | {"BOUND_WORDS"}


def _only(spans):
    assert len(spans) == 1, spans
    return spans[0]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_is_nonempty_without_duplicates_or_blanks(name):
    words = tuple(LISTS[name])  # a table's keys
    assert words, f"{name} is empty"
    assert len(set(words)) == len(words), f"{name} repeats {[w for w in words if words.count(w) > 1]}"
    assert all(isinstance(w, str) and w and w == w.strip() for w in words), name


def test_bound_words_are_the_prefixes_and_suffixes():
    assert lexicon.BOUND_WORDS == lexicon.BOUND_PREFIXES + lexicon.BOUND_SUFFIXES


# ---- what each list does ------------------------------------------------------------------------

def check_time_units(unit):
    for number in ("三十", "30"):
        span = _only(find_duration(f"期限为{number}{unit}。"))
        assert (span.text, span.value, span.unit) == (f"{number}{unit}", 30, unit)


def check_measure_units(unit):
    for number in ("三十", "30"):
        span = _only(find_amount(f"共计{number}{unit}，"))
        assert (span.text, span.value, span.unit) == (f"{number}{unit}", 30, "%" if unit == "％" else unit)


def check_unit_sizes(unit):
    base, size = lexicon.UNIT_SIZES[unit]
    assert unit in lexicon.TIME_UNITS + lexicon.MEASURE_UNITS and lexicon.UNIT_SIZES[base] == (base, 1)
    find = find_duration if unit in lexicon.TIME_UNITS else find_amount
    span = _only(find(f"为1{base}至1{unit}，"))
    if size >= 1:
        assert (span.value, span.unit) == (f"1-{format_number(size)}", base)
    else:
        assert (span.value, span.unit) == (f"{format_number(1 / size)}-1", unit)


def check_per_units(per):
    span = _only(find_amount(f"标准为500元/{per}，"))
    assert (span.text, span.unit) == (f"500元/{per}", f"元/{per}")


def check_range_words(word):
    span = _only(find_duration(f"期限为3{word}5个月。"))
    assert (span.text, span.value, span.unit) == (f"3{word}5个月", "3-5", "个月")


def check_bound_prefixes(word):
    assert _only(find_duration(f"期限{word}六个月。")).text == f"{word}六个月"


def check_bound_suffixes(word):
    assert _only(find_duration(f"期限六个月{word}。")).text == f"六个月{word}"


def check_bound_words(word):
    assert word in lexicon.BOUND_PREFIXES or word in lexicon.BOUND_SUFFIXES


def check_non_numeral_words(word):
    text = f"这项工作{word}重要"
    assert find_amount(text) == [] and find_duration(text) == []


def check_date_bounds(word):
    assert _only(find_date(f"于2023年5月25日{word}，")).text == f"2023年5月25日{word}"


def check_date_parts(word):
    span = _only(find_date(f"于2023年5月{word}，"))
    assert (span.text, span.value) == (f"2023年5月{word}", "2023-05")


def check_date_periods(word):
    assert _only(find_date(f"应当{word}3月底前报送")).text == f"{word}3月底前"


def check_day_periods(word):
    assert word in lexicon.DATE_PERIODS
    span = _only(find_date(f"应当{word}15日前发放"))
    assert (span.text, span.value) == (f"{word}15日前", "XXXX-XX-15")
    assert find_date("应当15日前发放") == []


def check_org_suffixes(suffix):
    assert [span.text for span in find_org(f"由某某{suffix}负责")] == [f"某某{suffix}"]


def check_org_non_names(word):
    assert find_org(f"由某某{word}负责") == []


def check_org_boundary_words(word):
    assert [span.text for span in find_org(f"企业{word}市经信局")] == ["市经信局"]


def check_org_list_joins(word):
    assert [span.text for span in find_org(f"由市经信局{word}市科技局负责")] == ["市经信局", "市科技局"]


def check_enumeration_joins(word):
    span = _only(find_enumeration(f"重点发展锂电、新材料{word}食品饮料。"))
    assert span.value == "锂电、新材料、食品饮料"


def check_enumeration_ends(word):
    span = _only(find_enumeration(f"重点发展锂电、新材料、食品饮料{word}产业。"))
    assert (span.text, span.value) == (f"锂电、新材料、食品饮料{word}", "锂电、新材料、食品饮料")


def check_enumeration_leads(word):
    assert _only(find_enumeration(f"企业{word}锂电、新材料、食品饮料。")).value == "锂电、新材料、食品饮料"


def check_definition_markers(word):
    span = _only(find_definition(f"小微企业{word}符合国家划型标准的企业。"))
    assert (span.text, span.value) == (f"小微企业{word}符合国家划型标准的企业。", "小微企业")


def check_definition_scopes(word):
    span = _only(find_definition(f"第二条 {word}所称小微企业，是指符合标准的企业。"))
    assert (span.text, span.value) == (f"{word}所称小微企业，是指符合标准的企业。", "小微企业")


def check_non_defining_zhi(word):
    assert find_definition(f"各部门，{word}全市工作。") == []
    assert _only(find_definition("小微企业，指符合国家划型标准的企业。")).value == "小微企业"


def check_condition_triggers(word):
    span = _only(find_condition(f"申请人{word}，可以申请补贴。"))
    assert span.text == f"{word}，可以申请补贴。" and span.value == word


def check_condition_openers(word):
    span = _only(find_condition(f"{word}本办法规定的企业，可以申请补贴。"))
    assert span.value == f"{word}本办法规定的"


def check_condition_closers(word):
    span = _only(find_condition(f"经审核符合{word}，予以支持。"))
    assert (span.text, span.value) == (f"符合{word}，予以支持。", f"符合{word}")


def check_frequency_periods(word):
    assert _only(find_frequency(f"推进会议每{word}召开。")).text == f"每{word}"


def check_frequency_words(word):
    assert _only(find_frequency(f"各地要{word}报送进展。")).text == word


def check_moment_ends(word):
    assert _only(find_moment(f"应当在评审开始{word}，签署承诺书。")).text == f"在评审开始{word}"


CHECKS = {name.removeprefix("check_").upper(): check for name, check in globals().items() if name.startswith("check_")}


def test_every_list_the_extractors_read_has_a_behaviour_check():
    assert EXTRACT_LISTS == set(CHECKS)


@pytest.mark.parametrize(("name", "word"), [(name, word) for name in sorted(CHECKS) for word in LISTS[name]])
def test_each_entry_does_what_its_list_says(name, word):
    CHECKS[name](word)


def test_a_telephone_number_asked_for_and_one_written():
    assert lexicon.PHONE_ASKED.search("融圈强链办的联系电话是多少？") and lexicon.PHONE_ASKED.search("应该打哪个电话？")
    assert not lexicon.PHONE_ASKED.search("可以电话申请吗？")  # a way of applying, not a number asked for
    assert lexicon.PHONE_NUMBER.findall("联系人：市经信局毛凡晓0818—3090933、18728861968") == ["0818—3090933", "18728861968"]
    assert not lexicon.PHONE_NUMBER.search("2023年5月25日至2023年9月5日")
