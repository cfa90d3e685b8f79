import pytest

from rag.lookup import abbreviates, lookup, split_citation, title_similarity


@pytest.mark.parametrize(
    "citation, title_part, path",
    [
        ("川办发〔2022〕67号 （七）", "四川省", "三、（七）"),
        ("川办发[2022]67号 (七)", "四川省", "三、（七）"),
        ("67号文 第七条", "四川省", "三、（七）"),
        ("百日攻坚 三、（二）", "百日攻坚", "三、（二）"),
        ("十四五规划 专栏 1", "十四五", "专栏 1"),
        ("达市府办发〔2023〕4号 三、（一）", "承接制造业有序转移工作方案", "三、（一）"),
        ("百日攻坚 附件2 备注", "百日攻坚", "附件 2 备注"),
        ("融圈强链 二、（三）", "融圈强链", "二、（三）"),
        ("川办发2022第67号 （七）", "四川省", "三、（七）"),  # 文号 and clause typed loosely
        ("川办发(2022)67号 第七条", "四川省", "三、（七）"),
        ("百日攻坚 三.2", "百日攻坚", "三、（二）"),
        ("融圈强链 二(3)", "融圈强链", "二、（三）"),
    ],
)
def test_citations_resolve_to_one_clause(corpus_index, citation, title_part, path):
    result = lookup(corpus_index, citation)
    assert result.exact, result.message
    hit = result.hits[0]
    assert title_part in hit.document.title and hit.clause.path == path


def test_parent_clause_lists_its_children(corpus_index):
    hit = lookup(corpus_index, "百日攻坚 三、").hits[0]
    assert [c.path for c in hit.children] == ["三、（一）", "三、（二）", "三、（三）"]


def test_unknown_clause_offers_the_nearest(corpus_index):
    result = lookup(corpus_index, "达市府办发〔2023〕4号 五、（一）")
    assert not result.exact
    assert "没有条款 五、（一）" in result.message
    assert any(h.clause.path.endswith("（一）") for h in result.hits)


def test_unknown_document_offers_the_nearest_documents(corpus_index):
    result = lookup(corpus_index, "成都市氢能产业规划 （二）")
    assert not result.exact and not result.hits
    assert "未找到" in result.message and len(result.documents) == 3


def test_split_citation():
    assert split_citation("川办发〔2022〕67号 （七）") == ("川办发〔2022〕67号", "（七）")
    assert split_citation("十四五规划专栏1") == ("十四五规划", "专栏1")


def test_title_similarity_of_nicknames():
    assert title_similarity("十四五规划", "达州市“十四五”制造业高质量发展规划") >= 0.5
    assert title_similarity("百日攻坚", "达州市制造业招商引资“百日攻坚”行动（第三季）实施方案") == 1.0


def test_a_short_name_abbreviates_its_title_in_order_and_close_together():
    assert abbreviates("医保法草案", "中华人民共和国医疗保障法草案")
    assert abbreviates("居住证积分办法", "上海市居住证积分管理办法")
    assert not abbreviates("劳动法", "中华人民共和国医疗保障法")  # 劳动 is not in it
    assert not abbreviates("市政府", "达州市承接制造业有序转移工作方案由市人民政府")  # too far apart
    assert not abbreviates("医保", "中华人民共和国医疗保障法")  # two characters say too little


def test_an_article_in_arabic_numerals_is_the_clause_in_chinese_numerals():
    assert split_citation("劳动法96条") == ("劳动法", "第九十六条")
    assert split_citation("第5条") == ("", "第五条")


def test_an_article_number_finds_a_plan_numbered_otherwise_the_closest_reading_first(corpus_index):
    top = lookup(corpus_index, "川办发〔2022〕67号 第七条").hits[0]
    assert top.clause.path == "三、（七）"  # （七） is read before 七、
    paths = [hit.clause.path for hit in lookup(corpus_index, "达市府办函〔2023〕53号 第三条").hits]
    assert "三、" in paths and paths.index("二、（三）") < paths.index("三、")
