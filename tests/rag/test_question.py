"""The analysed question and the kind registry: pure, fast, no index needed."""

import pytest

from ingest.models import Document
from rag.kinds import classify, kinds
from rag.lexicon import ANAPHORA, LEVEL_WORDS, QUESTION_WORDS
from rag.naming import _short_name
from rag.question import analyse, content_grams


def _document(title, number=None, issuer=None, level=None):
    return Document(doc_id=title, title=title, doc_number=number, issuer=issuer, date=None, status="final",
                    level=level, addressees=(), source=f"{title}.txt", content_hash="x")


DOCUMENTS = [
    _document("四川省人民政府办公厅关于承接制造业有序转移的实施意见", "川办发〔2022〕67号", "四川省人民政府办公厅", "province"),
    _document("达州市承接制造业有序转移工作方案", "达市府办发〔2023〕4号", "达州市人民政府办公室", "city"),
    _document("中华人民共和国劳动法", "主席令第二十八号", "全国人民代表大会常务委员会", "national"),
]


@pytest.mark.parametrize("question, kind", [
    ("这个行动哪天结束？", "when"), ("试用期最长多久？", "duration"), ("这项任务由哪个部门牵头？", "who"),
    ("罚款多少钱？", "amount"), ("鼓励发展哪些产业？", "list"), ("申请要满足什么条件？", "definition"),
    ("可以在人行道上骑车吗？", "yesno"), ("这个文件的文号是什么？", "docfact"), ("两份文件有什么不同？", "compare"),
    ("哪些文件支持新能源项目？", "documents"), ("劳动法第二十一条讲的什么", "lookup"), ("基地建在哪个县？", "where"),
    ("How long is the probation period?", "duration"), ("Who approves it?", "who"),
    ("推进会多久召开一次？", "frequency"), ("指标体系由哪几块组成？", "list"), ("“四轮驱动”指哪四个？", "list"),
    ("How often is the meeting held?", "frequency"), ("未成年工是多大年纪的人？", "amount"),
    ("补贴什么节点拨付？", "when"), ("生育保险费按工资总额的百分之几缴纳？", "amount"), ("积分在什么时间节点确认？", "when"),
    ("号牌能用多少年？", "duration"), ("领导小组组长是哪位领导？", "person"),
    ("新增企业按哪段时间统计？", "when"), ("“重点项目”指的是什么？", "definition"),
    ("这里说的“青年人才”指多大年龄的人？", "definition"),
])
def test_every_kind_is_scored_and_the_best_wins(question, kind):
    scores = classify(question)
    assert set(scores) == set(kinds()) and max(scores, key=scores.get) == kind


def test_each_kind_has_enough_examples_and_a_unique_name():
    for name, kind in kinds().items():
        assert kind.name == name and len(kind.examples) >= 8, name


def test_every_document_number_a_question_names_is_found():
    question = analyse("川办发〔2022〕67号和达市府办发〔2023〕4号分别由哪个部门牵头？", DOCUMENTS, classify)
    assert {d.doc_number for d in question.documents} == {"川办发〔2022〕67号", "达市府办发〔2023〕4号"}
    unknown = analyse("川办发〔2023〕15号讲了什么？", DOCUMENTS, classify)
    assert unknown.unknown_doc_numbers == ("川办发〔2023〕15号",)


def test_a_question_naming_two_documents_by_their_short_names_finds_both():
    both = analyse("劳动法和达州市承接制造业有序转移工作方案分别怎么说的？", DOCUMENTS, classify)
    assert {d.title for d in both.documents} == {"中华人民共和国劳动法", "达州市承接制造业有序转移工作方案"}
    assert both.names_apart
    alike = analyse("承接制造业有序转移的文件有哪些要求？", DOCUMENTS, classify)  # one phrase two titles share
    assert len(alike.documents) == 2 and not alike.names_apart
    # a short title's whole distinctive part names it (中华人民共和国劳动法 → 劳动法), alone too
    assert [d.title for d in analyse("劳动法里加班工资怎么算？", DOCUMENTS, classify).documents] == ["中华人民共和国劳动法"]
    assert analyse("加班工资怎么算？", DOCUMENTS, classify).documents == ()


def test_a_phrase_many_titles_share_is_a_topic_not_a_name():
    plans = [_document(f"{place}承接产业转移实施方案") for place in ("渠县", "大竹县", "宣汉县", "南充市")]
    assert analyse("承接产业转移的责任单位有哪些？", DOCUMENTS + plans, classify).documents == ()
    assert analyse("承接产业转移的责任单位有哪些？", DOCUMENTS + plans[:2], classify).documents  # few share it: a name


def test_a_serial_number_many_documents_share_names_none_of_them():
    many = [_document(f"{place}招商引资实施方案", f"{prefix}〔2021〕67号") for place, prefix in
            (("渠县", "渠府办发"), ("大竹县", "竹府办发"), ("宣汉县", "宣府办发"), ("南充市", "南府办发"))]
    assert analyse("67号文里脱贫地区那条谁牵头？", DOCUMENTS + many, classify).documents == ()
    assert [d.doc_number for d in analyse("67号文里脱贫地区那条谁牵头？", DOCUMENTS, classify).documents] == ["川办发〔2022〕67号"]
    assert [d.doc_number for d in analyse("川办发〔2022〕67号谁牵头？", DOCUMENTS + many, classify).documents] == ["川办发〔2022〕67号"]


def test_a_short_name_ending_with_the_titles_type_word_names_it():
    expert = _document("上海市科技专家库管理办法", "沪科规〔2025〕5号", "上海市科学技术委员会", "city")
    points = _document("上海市居住证积分管理办法", "沪府规〔2022〕21号", "上海市人民政府", "city")
    library = DOCUMENTS + [expert, points]
    # pieces of the title, in order, then its own type word: 方案 names the city's plan, not the province's 意见
    assert [d.title for d in analyse("承接转移方案有哪些要求？", library, classify).documents] == ["达州市承接制造业有序转移工作方案"]
    assert analyse("上海专家库办法里专家聘期多久？", library, classify).documents == (expert,)
    assert _short_name("上海的管理办法有哪些", expert.title) == ""  # the place and the type word alone
    # after the title's own place two characters of it are enough (上海积分办法, 上海的积分办法)
    assert analyse("上海的积分办法里，积分在哪个环节确认？", library, classify).documents == (points,)
    assert analyse("上海积分办法怎么算学历分？", library, classify).documents == (points,)
    assert analyse("北京积分办法怎么算学历分？", library, classify).documents == ()  # another place's
    assert analyse("转移方案有哪些要求？", library, classify).documents == ()  # too short to name one
    # …unless the user points at it: 这份 + two characters of the title + its type word
    assert [d.title for d in analyse("这份转移方案有哪些要求？", library, classify).documents] == ["达州市承接制造业有序转移工作方案"]


def test_a_named_documents_status_word_is_not_the_questions_wording():
    draft = Document(doc_id="d", title="中华人民共和国医疗保障法", doc_number=None, issuer=None, date=None, status="draft",
                     level="national", addressees=(), source="d.txt", content_hash="x", status_word="草案")
    question = analyse("医疗保障法草案对生育保险怎么规定？", DOCUMENTS + [draft], classify)
    assert question.documents == (draft,) and "草案" not in question.grams and "生育" in question.grams


def test_an_english_question_names_a_place_in_pinyin():
    one = analyse("What does Sichuan's opinion say about lithium batteries?", DOCUMENTS, classify)
    assert [d.doc_number for d in one.documents] == ["川办发〔2022〕67号"]  # the only document of Sichuan: named
    second = _document("达州市重点产业链融圈强链工作实施方案", None, "达州市人民政府办公室", "city")
    several = analyse("Which industries does Dazhou support?", DOCUMENTS + [second], classify)
    assert several.documents == () and several.place_doc_ids == {"达州市承接制造业有序转移工作方案", second.doc_id}
    assert analyse("Which industries are supported?", DOCUMENTS, classify).place_doc_ids == frozenset()


def test_a_title_piece_does_not_name_another_places_document():
    nanning = _document("南宁市电动自行车管理条例", None, "南宁市人民代表大会常务委员会", "city")
    beijing = _document("北京市非机动车管理条例", None, "北京市人民代表大会常务委员会", "city")
    library = DOCUMENTS + [nanning, beijing]
    assert analyse("电动自行车管理条例对头盔怎么规定？", library, classify).documents == (nanning,)
    assert nanning not in analyse("北京电动自行车后座能载人吗？", library, classify).documents


def test_levels_years_ordinals_and_anaphora():
    question = analyse("省里和达州2025年第二阶段的目标分别是多少？", DOCUMENTS, classify)
    assert question.levels == {"province", "city"} and question.years == ("2025",)
    assert question.ordinals == ("第二阶段",) and not question.anaphoric
    assert analyse("那它的牵头部门呢？", DOCUMENTS, classify).anaphoric
    # a place after 、 closing a clause is a level of its own; after another place it is part of a name
    assert analyse("重点企业服务机制，省里叫啥、达州叫啥？", DOCUMENTS, classify).levels == {"province", "city"}
    assert analyse("川东（四川、达州）那个集群谁牵头？", DOCUMENTS, classify).levels == {"province"}


def test_a_colloquial_word_brings_its_formal_words_wording():
    question = analyse("哪些地方每天都要升国旗？", DOCUMENTS, classify)
    assert {"每天", "每日"} <= question.grams  # 每天 → 每日: a sentence saying 每日升挂 shares the wording


def test_question_words_are_blanked_before_matching():
    grams = content_grams("试用期最长是多久呢？")
    assert "试用" in grams and "多久" not in grams


def test_word_lists_do_what_their_names_say():
    assert {"什么时候", "哪些", "吗", "多少"} <= QUESTION_WORDS
    assert set(LEVEL_WORDS) == {"national", "province", "city", "county"}
    assert ANAPHORA.search("那第二阶段呢？") and not ANAPHORA.search("劳动合同可以约定试用期吗")


def test_a_named_documents_title_is_not_the_questions_wording():
    question = analyse("达州市承接制造业有序转移工作方案里的新兴产业有哪些？", DOCUMENTS, classify)
    assert "新兴" in question.grams and "承接" not in question.grams
    assert "承接" in analyse("承接哪些新兴产业？", DOCUMENTS, classify).grams


def test_the_typed_refusal_rule_waits_for_a_clear_kind():
    from rag.refusal import _sure_of

    assert _sure_of(analyse("罚款多少钱？", DOCUMENTS, classify), "amount")
    mixed = analyse("最低工资标准由哪一级定？要报哪里备案？", DOCUMENTS, classify)
    assert not _sure_of(mixed, "amount")


@pytest.mark.parametrize("question, wanted, unwanted", [
    ("引进一名技师奖励多少钱？", "万元", "吨"),
    ("专项资金有多少亿元？", "亿元", "家"),
    ("上海要新增多少张注册证？", "件", "元"),
    ("年产量要达到多少吨？", "吨", "家"),
    ("骗取补贴会被罚多少？", "倍", "吨"),  # 处骗取金额二倍以上五倍以下的罚款
])
def test_an_amount_question_says_which_units_answer_it(question, wanted, unwanted):
    from rag.refusal import asked_units

    units = asked_units(question)
    assert wanted in units and unwanted not in units


def test_an_amount_question_that_names_no_unit_takes_any():
    from rag.refusal import asked_units

    assert asked_units("关键工序数控化率要提高到多少？") is None
    assert asked_units("每年要引进多少亿元以上产业项目？") is None  # a size of project, not an amount of money


def test_a_unit_of_measure_named_outright_is_asked_whatever_the_kind():
    from rag.refusal import named_measure

    assert named_measure("随迁父母有没有年龄要求，要满多少岁？") == {"岁", "周岁"}
    assert named_measure("标准化厂房要建成多少万平方米？") == {"平方米"}
    assert not named_measure("补贴多少万元？") and not named_measure("每季度至少几次？")  # money, a counter: kinds decide


@pytest.mark.parametrize("question, units", [
    ("派出所多少天内发证？", {"日"}), ("几日内答复？", {"日"}), ("要等几个月？", {"月"}),
    ("几个工作日办结？", {"工作日"}), ("公示几个星期？", {"周"}), ("多久能办好？", set()),
])
def test_a_duration_question_says_which_time_unit_it_asks_in(question, units):
    from rag.refusal import asked_time_units

    assert asked_time_units(question) == units


def test_a_message_with_two_questions_is_two_parts_unless_one_says_too_little():
    from rag.question import question_parts

    assert question_parts("派出所多少天内发证？偏远地区能拖多久？") == ["派出所多少天内发证？", "偏远地区能拖多久？"]
    assert question_parts("试用期是什么？为什么？") == ["试用期是什么？为什么？"]
    assert question_parts("百日攻坚第三季什么时候结束？") == ["百日攻坚第三季什么时候结束？"]


def test_the_unit_word_lists_do_what_their_names_say():
    from rag import lexicon
    from rag.refusal import asked_units

    for word in lexicon.MONEY_WORDS:
        assert "元" in asked_units(f"{word}是多少？"), word
    for unit in set(lexicon.CURRENCY_UNITS) & set(lexicon.MEASURE_UNITS):
        assert "亿元" in asked_units(f"有多少{unit}？"), unit
    for counter in set(lexicon.COUNTERS) & set(lexicon.MEASURE_UNITS):
        assert asked_units(f"要建多少{counter}？") == frozenset(lexicon.COUNTERS), counter


@pytest.mark.parametrize("question, asked", [
    ("这个条例是什么文件？谁签署公布的？", ["title", "signer"]),
    ("What is the document number of the plan, who issued it, and when?", ["number", "issuer", "date"]),
    ("居住证由哪一级公安机关签发？", []),  # a permit issued, not a document signed
    ("国旗法是哪天通过的？", []),  # passed first, amended since: the text's own history answers, not the date of issue
    ("这个办法何时印发？", ["date"]),
    ("这份文件是哪个机关发的、落款日期是哪天？", ["issuer", "date"]),
    ("这个办法从哪天开始实施，有效期到什么时候为止？", ["effective", "expiry"]),
])
def test_document_facts_are_read_in_the_order_asked(question, asked):
    from rag.kinds.docfact import facets

    assert facets(question) == asked


def test_a_decree_is_signed_by_the_person_under_its_text():
    from types import SimpleNamespace

    from ingest.models import Clause
    from rag.kinds.docfact import _fact

    decree = _document("居住证暂行条例", "国务院令第663号", "国务院", "national")
    opening = Clause(path="前言", heading="", text="《居住证暂行条例》已经2015年10月21日国务院第109次常务会议通过，现予公布。\n总理李克强\n2015年11月26日")
    body = Clause(path="第一条", heading="", text="第一条 为了促进新型城镇化的健康发展，制定本条例。")
    ctx = SimpleNamespace(assistant=SimpleNamespace(clauses=lambda doc_id: [opening, body]))
    assert _fact(ctx, decree, "signer") == ("《居住证暂行条例》（国务院令第663号）由李克强签署", ["李克强"])
    unsigned = SimpleNamespace(assistant=SimpleNamespace(clauses=lambda doc_id: [body]))
    assert _fact(unsigned, decree, "signer") is None


def test_a_documents_validity_is_read_from_its_closing_clause():
    from rag.kinds.docfact import _EXPIRY

    found = _EXPIRY.search("第三十条 本办法自2025年9月1日起施行，有效期至2030年8月31日。原办法同时废止。")
    assert found and found.group(1) + found.group(2) == "至2030年8月31日"
    assert _EXPIRY.search("有效期为5年。").group(2) == "5年"


def test_a_documents_entry_into_force_without_a_date_is_read_from_its_text():
    from rag.kinds.docfact import _IN_FORCE, facets

    assert _IN_FORCE.search("本“意见”自下发之日起施行。") and not _IN_FORCE.search("本法自年月日起施行。")  # a draft's blank
    assert facets("这个意见从什么时候开始执行？") == ["effective"]
    assert facets("53号文是按省里哪个文件要求制定的？") == ["basis"]
