from ingest.clauses import chinese_number, find_units, parse_clauses, render_path
from ingest.normalize import normalize_pages


def _clauses(text: str):
    return parse_clauses(normalize_pages([text], paged=False))


def test_chinese_numbers():
    assert [chinese_number(t) for t in ("一", "十", "十二", "二十", "一百零五", "7")] == [1, 10, 12, 20, 105, 7]


def test_paths_follow_the_numbering_hierarchy():
    clauses = _clauses("一、总则\n本方案适用于全市。\n二、任务\n（一）甲任务。\n1.子项目。\n（1）细项。\n（二）乙任务。")
    assert [c.path for c in clauses] == ["一、", "二、", "二、（一）", "二、（一）1.", "二、（一）1.（1）", "二、（二）"]
    assert clauses[2].heading == "甲任务"


def test_a_number_that_breaks_the_sequence_is_not_a_clause():
    clauses = _clauses("一、任务\n（一）甲任务。\n（三）这不是条款，因为没有（二）。")
    assert [c.path for c in clauses] == ["一、", "一、（一）"]


def test_chapters_and_articles():
    clauses = _clauses("第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全市。\n第二章 附则\n第三条 本办法自印发之日起施行。")
    assert [c.path for c in clauses] == ["第一章", "第一条", "第二条", "第二章", "第三条"]


def test_boxes_annexes_and_notes_are_kept_whole():
    text = ("一、任务\n（一）甲任务。\n专栏 1 重点项目\n（4）列表项不会被当作条款\n重点企业：某公司。\n"
            "（二）乙任务。\n附件 1\n统计表\n备注：\n1. 说明一。\n2. 说明二。")
    clauses = _clauses(text)
    assert [c.path for c in clauses] == ["一、", "一、（一）", "专栏 1", "一、（二）", "附件 1", "附件 1 备注"]
    box = clauses[2]
    assert box.kind == "box" and box.heading == "重点项目" and "列表项不会被当作条款" in box.text
    assert "说明二" in clauses[-1].text


def test_render_path():
    assert render_path(["三、", "（一）"]) == "三、（一）"
    assert render_path(["附件 2", "备注"]) == "附件 2 备注"


def test_units_with_lead_rule_and_nested_brackets():
    block = find_units("〔责任单位：市经济合作外事局、市经信局，各县（市、区）人民政府（管委会）。列首位的为牵头部门，"
                       "其余部门按职责分工负责，下同。各项工作均需各县（市、区）人民政府（管委会）落实，以下不再列出〕")
    assert block.units == ("市经济合作外事局", "市经信局", "各县（市、区）人民政府（管委会）")
    assert block.declares_lead
    assert block.standing_rule == "各项工作均需各县（市、区）人民政府（管委会）落实"


def test_lead_rule_applies_to_later_clauses_and_is_absent_when_not_declared():
    with_rule = _clauses("一、任务\n（一）甲。（责任单位：甲局、乙局。列首位的为牵头部门，下同）\n（二）乙。（责任单位：丙局、丁局）")
    assert [c.lead_unit for c in with_rule[1:]] == ["甲局", "丙局"]
    without = _clauses("一、任务\n（一）甲。（责任单位：甲局、乙局）")
    assert without[1].units == ("甲局", "乙局") and without[1].lead_unit is None
