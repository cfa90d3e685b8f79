"""Pins what ingest reads from the five corpus documents: metadata and every clause path."""

import pytest

from ingest.pipeline import parse_document
from ingest.settings import Settings
from tests.helpers import corpus_file

# (file prefix, title, 文号, issuer, date, status, level, clause paths)
EXPECTED = [
    ('达市府办发', '达州市承接制造业有序转移工作方案', '达市府办发〔2023〕4号', '达州市人民政府办公室', '2023-02-17', 'final', 'city',
     '前言 | 一、 | 二、 | 二、（一） | 二、（二） | 二、（三） | 二、（四） | 三、 | 三、（一） | 三、（二） | 三、（三） | 三、（四） | 三、（五） | 三、（六） | 四、 | 四、（一） | 四、（二） | 四、（三）'),
    ('川办发', '四川省人民政府办公厅关于承接制造业有序转移的实施意见', '川办发〔2022〕67号', '四川省人民政府办公厅', '2022-09-21', 'final', 'province',
     '前言 | 一、 | 二、 | 二、（一） | 二、（二） | 二、（三） | 二、（四） | 二、（五） | 三、 | 三、（六） | 三、（七） | 四、 | 四、（八） | 四、（九） | 四、（十） | 四、（十一） | 五、 | 五、（十二） | 五、（十三） | 六、 | 六、（十四） | 六、（十五） | 七、 | 七、（十六） | 七、（十七） | 八、 | 八、（十八） | 八、（十九） | 八、（二十） | 文末'),
    ('达市府办函', '达州市制造业招商引资“百日攻坚”行动（第三季）实施方案', '达市府办函〔2023〕53号', '达州市人民政府办公室', '2023-05-30', 'final', 'city',
     '前言 | 一、 | 二、 | 二、（一） | 二、（二） | 二、（三） | 二、（四） | 二、（五） | 二、（六） | 三、 | 三、（一） | 三、（二） | 三、（三） | 四、 | 四、（一） | 四、（二） | 四、（三） | 四、（四） | 四、（五） | 附件 1 | 附件 1 备注 | 附件 2 | 附件 2 备注 | 文末'),
    ('征求意见稿_达州市十四五', '达州市“十四五”制造业高质量发展规划', None, None, None, 'draft', 'city',
     '前言 | 一、 | 二、 | 二、（一） | 二、（一）1. | 二、（一）2. | 二、（一）3. | 二、（二） | 二、（二）1. | 二、（二）2. | 二、（二）3. | 三、 | 三、（一） | 三、（二） | 三、（三） | 专栏 1 | 专栏 1 备注 | 四、 | 四、（一） | 四、（二） | 四、（二）1. | 四、（二）1.（1） | 专栏 2 | 四、（二）1.（2） | 专栏 3 | 四、（二）2. | 四、（二）2.（1） | 专栏 4 | 四、（二）2.（2） | 专栏 5 | 四、（二）2.（3） | 专栏 6 | 四、（二）3. | 四、（二）3.（1） | 四、（二）3.（2） | 四、（二）3.（3） | 专栏 8 | 五、 | 五、（一） | 五、（一）1. | 五、（一）2. | 五、（一）3. | 专栏 7 | 五、（二） | 五、（二）1. | 五、（二）2. | 五、（二）3. | 专栏 9 | 五、（三） | 五、（三）1. | 五、（三）2. | 五、（三）3. | 专栏 10 | 五、（四） | 五、（四）1. | 五、（四）2. | 专栏 11 | 五、（五） | 五、（五）1. | 五、（五）2. | 五、（五）3. | 五、（五）4. | 专栏 12 | 五、（六） | 六、 | 六、（一） | 六、（二） | 六、（三） | 六、（四）'),
    ('征求意见稿_达州市重点', '达州市重点产业链融圈强链工作实施方案', None, None, None, 'draft', 'city',
     '前言 | 一、 | 二、 | 二、（一） | 二、（二） | 二、（三） | 二、（四） | 二、（五） | 二、（六） | 二、（七） | 三、'),
]


@pytest.fixture(scope="module")
def parsed():
    return {row[0]: parse_document(corpus_file(row[0]), Settings()) for row in EXPECTED}


@pytest.mark.parametrize("row", EXPECTED, ids=[row[0] for row in EXPECTED])
def test_metadata(parsed, row):
    document = parsed[row[0]].document
    assert (document.title, document.doc_number, document.issuer, document.date, document.status,
            document.level) == row[1:7]


@pytest.mark.parametrize("row", EXPECTED, ids=[row[0] for row in EXPECTED])
def test_clause_paths(parsed, row):
    assert " | ".join(c.path for c in parsed[row[0]].clauses) == row[7]


def test_addressees_of_a_notice(parsed):
    assert parsed["达市府办发"].document.addressees == (
        "各县（市、区）人民政府", "达州高新区管委会", "达州东部经开区管委会", "市级有关部门（单位）")


def test_drafts_are_marked(parsed):
    plan = parsed["征求意见稿_达州市十四五"].document
    assert plan.is_draft and "征求意见稿" in plan.label


def test_lead_unit_and_standing_rule_of_the_dazhou_plan(parsed):
    clauses = {c.path: c for c in parsed["达市府办发"].clauses}
    first = clauses["三、（一）"]
    assert first.units == ("市经济合作外事局", "市经信局", "各县（市、区）人民政府（管委会）")
    assert first.lead_unit == "市经济合作外事局"
    assert first.standing_rule == "各项工作均需各县（市、区）人民政府（管委会）落实"
    assert clauses["三、（五）"].lead_unit == "市经信局"  # the rule says 下同: it carries on
    assert clauses["三、（五）"].standing_rule == first.standing_rule


def test_a_document_without_a_lead_rule_names_no_lead(parsed):
    clause = next(c for c in parsed["征求意见稿_达州市重点"].clauses if c.path == "二、（一）")
    assert len(clause.units) == 14 and clause.lead_unit is None


def test_stages_of_the_hundred_day_campaign(parsed):
    clauses = {c.path: c for c in parsed["达市府办函"].clauses}
    assert clauses["三、（三）"].heading == "总结阶段（8月30日至9月5日）"
    assert "从2023年5月25日开始至2023年9月5日结束" in clauses["三、"].text


def test_boxes_of_the_plan(parsed):
    clauses = {c.path: c for c in parsed["征求意见稿_达州市十四五"].clauses}
    assert clauses["专栏 1"].heading == "达州市“十四五”时期制造业发展主要指标"
    assert "全部工业增加值（亿元） 479.9 1000" in clauses["专栏 1"].text
    assert "【】内为5年累计数" in clauses["专栏 1 备注"].text


def test_illegible_table_is_shown_as_such(parsed):
    annex = next(c for c in parsed["达市府办函"].clauses if c.path == "附件 2")
    assert "（此处原文无法辨认）" in annex.text
