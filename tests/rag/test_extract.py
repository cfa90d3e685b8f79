"""Typed spans in clause text (rag.extract): for each kind, sentences written in the style of Chinese
laws and policy notices with the exact spans, values and units expected; negative cases; and the
invariant that every span's text is the source, character for character."""

from __future__ import annotations

import time

import pytest

from rag.extract import EXTRACTORS, Span, find_all, find_amount, find_date, find_duration, find_percent

# kind → [(sentence, [(text, value, unit), …]) …]: the complete output of find_<kind> for the sentence
CASES = {
    "date": [
        ("本办法自2023年5月25日起施行。", [("2023年5月25日起", "2023-05-25", None)]),
        ("申报截止时间为2023年5月。", [("2023年5月", "2023-05", None)]),
        ("请各单位于5月25日前报送材料。", [("5月25日前", "XXXX-05-25", None)]),
        ("发布日期：2025-04-23", [("2025-04-23", "2025-04-23", None)]),
        ("达州市人民政府办公室\n二〇二三年五月二十五日", [("二〇二三年五月二十五日", "2023-05-25", None)]),
        ("企业应当每年3月底前报送上年度统计报表。", [("每年3月底前", "XXXX-03", None)]),
        ("用人单位应当每月15日前发放上月工资。", [("每月15日前", "XXXX-XX-15", None)]),
        ("到2025年，全市制造业增加值达到1000亿元。", [("2025年", "2025", None)]),
        ("2015年11月26日印发，自2016年1月1日起施行。",
         [("2015年11月26日", "2015-11-26", None), ("2016年1月1日起", "2016-01-01", None)]),
        ("力争2025年底前全面完成改造任务。", [("2025年底前", "2025", None)]),
    ],
    "date_range": [
        ("活动时间为2023年5月25日至9月5日。", [("2023年5月25日至9月5日", "2023-05-25/2023-09-05", None)]),
        ("暑期托管服务时间为6月1日至8月29日。", [("6月1日至8月29日", "XXXX-06-01/XXXX-08-29", None)]),
        ("“十四五”时期（2021—2025年）是关键时期。", [("2021—2025年", "2021/2025", None)]),
        ("2023年至2025年，每年安排专项资金5000万元。", [("2023年至2025年", "2023/2025", None)]),
        ("集中宣传周（5月25日—5月31日）期间，", [("5月25日—5月31日", "XXXX-05-25/XXXX-05-31", None)]),
        ("“百日攻坚”行动（第三季）从2023年5月25日开始至2023年9月5日结束",
         [("2023年5月25日开始至2023年9月5日", "2023-05-25/2023-09-05", None)]),
        ("申报时间为2023年6月1日至30日。", [("2023年6月1日至30日", "2023-06-01/2023-06-30", None)]),
    ],
    "duration": [
        ("劳动合同可以约定试用期。试用期最长不得超过六个月。", [("最长不得超过六个月", 6, "个月")]),
        ("行政机关应当自受理申请之日起二十日内作出决定。", [("二十日内", 20, "日")]),
        ("逾期九十天仍未缴纳的，依法强制执行。", [("九十天", 90, "天")]),
        ("审批部门应当在15个工作日内办结。", [("15个工作日内", 15, "个工作日")]),
        ("劳动合同期限三个月以上不满一年的，试用期不得超过一个月；",
         [("三个月以上", 3, "个月"), ("不满一年", 1, "年"), ("不得超过一个月", 1, "个月")]),
        ("实习期限为3个月至12个月。", [("3个月至12个月", "3-12", "个月")]),
        ("见习期限为三个月至十二个月。", [("三个月至十二个月", "3-12", "个月")]),
        ("在本单位连续工作满一年以上的职工，", [("满一年以上", 1, "年")]),
        ("补贴期限为半年，期满后5年内不得再次申报。", [("半年", 0.5, "年"), ("5年内", 5, "年")]),
        ("处一年以上三年以下有期徒刑", [("一年以上三年以下", "1-3", "年")]),
        ("暂停其医药费用联网结算六个月以上一年以下。", [("六个月以上一年以下", "6-12", "个月")]),
    ],
    "amount": [
        ("驾驶人未按规定使用安全带的，对驾驶人处五十元罚款。", [("五十元", 50, "元")]),
        ("由公安机关交通管理部门责令改正，处二百元以上一千元以下罚款。", [("二百元以上一千元以下", "200-1000", "元")]),
        ("到2025年，全市制造业增加值达到1000亿元，年均增长8%以上。",
         [("1000亿元", 1000, "亿元"), ("8%以上", 8, "%")]),
        ("对认定的企业给予最高200万元奖励。", [("最高200万元", 200, "万元")]),
        ("没收违法所得，并处违法所得二倍以上五倍以下的罚款。", [("二倍以上五倍以下", "2-5", "倍")]),
        ("按照不低于百分之一百五十的标准支付加班工资。", [("不低于百分之一百五十", 150, "%")]),
        ("年度考核得分在30分以上的，新认定5家省级企业技术中心。", [("30分以上", 30, "分"), ("5家", 5, "家")]),
        ("护栏立柱埋深不得低于0.15米。", [("不得低于0.15米", 0.15, "米")]),
        ("培训补贴标准为500元/人，吸纳就业3.5万人。", [("500元/人", 500, "元/人"), ("3.5万人", 35000, "人")]),
        ("处五百元以上五万元以下罚款", [("五百元以上五万元以下", "500-50000", "元")]),
    ],
    "phone": [
        ("咨询电话：0818-2389012", [("0818-2389012", "08182389012", None)]),
        ("联系人：张某，联系电话13800138000。", [("13800138000", "13800138000", None)]),
        ("如有疑问，请拨打12345政务服务便民热线。", [("12345", "12345", None)]),
        ("举报电话：（0818）2389012", [("（0818）2389012", "08182389012", None)]),
        ("全国统一服务热线400-123-4567", [("400-123-4567", "4001234567", None)]),
        ("传真：0818-2389013转8001", [("0818-2389013转8001", "08182389013-8001", None)]),
    ],
    "url": [
        ("详见四川省人民政府网站（www.sc.gov.cn）。", [("www.sc.gov.cn", "www.sc.gov.cn", None)]),
        ("全文见https://www.gov.cn/zhengce/content/2023-05/25/content_123.htm。",
         [("https://www.gov.cn/zhengce/content/2023-05/25/content_123.htm",
           "https://www.gov.cn/zhengce/content/2023-05/25/content_123.htm", None)]),
        ("请登录http://rst.sc.gov.cn进行申报。", [("http://rst.sc.gov.cn", "http://rst.sc.gov.cn", None)]),
        ("网址：dazhou.gov.cn/zwgk.", [("dazhou.gov.cn/zwgk", "dazhou.gov.cn/zwgk", None)]),
        ("可通过“天府通办”或www.tfwb.gov.cn办理。", [("www.tfwb.gov.cn", "www.tfwb.gov.cn", None)]),
        ("请将材料发送至policy@dazhou.gov.cn，或访问www.dazhou.gov.cn。",
         [("www.dazhou.gov.cn", "www.dazhou.gov.cn", None)]),
    ],
    "email": [
        ("电子邮箱：dzjxj@163.com。", [("dzjxj@163.com", "dzjxj@163.com", None)]),
        ("请将材料发送至policy.office@dazhou.gov.cn。", [("policy.office@dazhou.gov.cn", "policy.office@dazhou.gov.cn", None)]),
        ("电子邮箱dzrs_2023@126.com，联系电话0818-2389012", [("dzrs_2023@126.com", "dzrs_2023@126.com", None)]),
        ("邮箱：DZ.Policy@QQ.com", [("DZ.Policy@QQ.com", "dz.policy@qq.com", None)]),
        ("投稿邮箱 a+b@sc.gov.cn ；", [("a+b@sc.gov.cn", "a+b@sc.gov.cn", None)]),
        ("报送邮箱：jxj@dazhou.gov.cn、kjj@dazhou.gov.cn",
         [("jxj@dazhou.gov.cn", "jxj@dazhou.gov.cn", None), ("kjj@dazhou.gov.cn", "kjj@dazhou.gov.cn", None)]),
    ],
    "org": [
        ("（责任单位：市经信局、市科技局、宣汉县人民政府）",
         [("市经信局", None, None), ("市科技局", None, None), ("宣汉县人民政府", None, None)]),
        ("由公安机关交通管理部门责令改正", [("公安机关交通管理部门", None, None)]),
        ("国务院医疗保障行政部门负责全国的医疗保障管理工作。", [("国务院医疗保障行政部门", None, None)]),
        ("县级以上人民政府应当加强对就业工作的领导。", [("县级以上人民政府", None, None)]),
        ("用人单位违反本法规定的，由劳动行政部门责令改正。", [("用人单位", None, None), ("劳动行政部门", None, None)]),
        ("市人力资源社会保障局会同市财政局制定实施细则。", [("市人力资源社会保障局", None, None), ("市财政局", None, None)]),
        ("本通知由市经信局负责解释，报市人力资源和社会保障局备案。",
         [("市经信局", None, None), ("市人力资源和社会保障局", None, None)]),
        ("国务院和县级以上人民政府劳动行政部门", [("国务院", None, None), ("县级以上人民政府劳动行政部门", None, None)]),
    ],
    "enumeration": [
        ("申请基本材料包括：", [("申请基本材料包括：", None, None)]),
        ("劳动合同应当以书面形式订立，并具备以下条款：", [("劳动合同应当以书面形式订立，并具备以下条款：", None, None)]),
        ("重点发展锂电、新材料、食品饮料等产业。", [("锂电、新材料、食品饮料等", "锂电、新材料、食品饮料", None)]),
        ("（责任单位：市经信局、市科技局、宣汉县人民政府）",
         [("市经信局、市科技局、宣汉县人民政府", "市经信局、市科技局、宣汉县人民政府", None)]),
        ("支持企业开展技术改造、设备更新和数字化转型。",
         [("技术改造、设备更新和数字化转型", "技术改造、设备更新、数字化转型", None)]),
        ("申请材料包括营业执照、法人身份证明及财务报表。",
         [("营业执照、法人身份证明及财务报表", "营业执照、法人身份证明、财务报表", None)]),
        ("本办法适用于城镇职工、城乡居民、灵活就业人员。",
         [("城镇职工、城乡居民、灵活就业人员", "城镇职工、城乡居民、灵活就业人员", None)]),
        ("由市经信局、市科技局和公安机关交通管理部门负责。",
         [("市经信局、市科技局和公安机关交通管理部门", "市经信局、市科技局、公安机关交通管理部门", None)]),
        ("各县（市、区）人民政府", [("市、区", "市、区", None)]),
        ("突出能源化工、新材料、电子信息六大重点产业。", [("能源化工、新材料、电子信息", "能源化工、新材料、电子信息", None)]),
    ],
    "definition": [
        ("以新能源、新材料、绿色化工“两新一绿”为重点，强化“双核驱动”。",  # a list named by its quoted short name
         [("以新能源、新材料、绿色化工“两新一绿”为重点，强化“双核驱动”。", "两新一绿", None)]),
        ("坚持“双核驱动”，推动“四带示范”。", []),
        ("“双核”即：以高新区、经开区为核心。", [("“双核”即：以高新区、经开区为核心。", "双核", None)]),
        ("基本医疗保险实行医疗机构、药品经营单位（以下统称医药机构）定点管理。",
         [("基本医疗保险实行医疗机构、药品经营单位（以下统称医药机构）定点管理。", "医药机构", None)]),
        ("本办法所称小微企业，是指符合国家划型标准的企业。",
         [("本办法所称小微企业，是指符合国家划型标准的企业。", "小微企业", None)]),
        ("劳务派遣是指劳务派遣单位与用工单位订立派遣协议的用工形式。",
         [("劳务派遣是指劳务派遣单位与用工单位订立派遣协议的用工形式。", "劳务派遣", None)]),
        ("第二条 本条例所称用人单位，是指企业、个体经济组织、民办非企业单位等组织。",
         [("本条例所称用人单位，是指企业、个体经济组织、民办非企业单位等组织。", "用人单位", None)]),
        ("本规定所称“首台套”，系指国内首次实现重大技术突破的装备产品。",
         [("本规定所称“首台套”，系指国内首次实现重大技术突破的装备产品。", "首台套", None)]),
        ("新就业形态劳动者，指依托互联网平台从事劳动的人员；其他人员按原规定执行。",
         [("新就业形态劳动者，指依托互联网平台从事劳动的人员；", "新就业形态劳动者", None)]),
        ("前款所称工作日，是指法定节假日以外的日期。", [("前款所称工作日，是指法定节假日以外的日期。", "工作日", None)]),
    ],
    "frequency": [
        ("并从2023年5月起每周报送信息至市经信局。", [("每周", None, None)]),
        ("推进会议原则上每季度召开一次。", [("每季度", None, None)]),
        ("考核每两年至少一次，检查一年两次。", [("每两年至少一次", None, None), ("一年两次", None, None)]),
        ("各地要定期汇总分析进展情况。", [("定期", None, None)]),
        ("应当在十五个工作日内办结。", []),
    ],
    "moment": [
        ("专家在评审等科技活动开始前，应当签署诚信承诺书。", [("在评审等科技活动开始前", None, None)]),
        ("本意见自下发之日起施行。", [("自下发之日起", None, None)]),
        ("在满足政策规划要求的基础上有序承接。", []),
    ],
    "condition": [
        ("有下列情形之一的，用人单位可以解除劳动合同：（一）在试用期间被证明不符合录用条件的；（二）严重违反用人单位的规章制度的。",
         [("有下列情形之一的，用人单位可以解除劳动合同：（一）在试用期间被证明不符合录用条件的；（二）严重违反用人单位的规章制度的。",
           "有下列情形之一的", None),
          ("不符合录用条件的；", "不符合录用条件的", None)]),
        ("符合条件的企业，可享受一次性补贴。", [("符合条件的企业，可享受一次性补贴。", "符合条件的", None)]),
        ("申请人应当具备下列条件：\n（一）具有完全民事行为能力；\n（二）无犯罪记录。",
         [("应当具备下列条件：\n（一）具有完全民事行为能力；\n（二）无犯罪记录。", "应当具备下列条件", None)]),
        ("申报项目需满足以下条件：投资额在500万元以上。", [("需满足以下条件：投资额在500万元以上。", "需满足以下条件", None)]),
        ("凡在本市登记注册的企业，均可申报。", [("凡在本市登记注册的企业，均可申报。", "凡在本市登记注册的", None)]),
        ("经审核不符合要求的，不予受理；审核通过的，予以公示。", [("不符合要求的，不予受理；", "不符合要求的", None)]),
    ],
}

SENTENCES = sorted({sentence for cases in CASES.values() for sentence, _ in cases})


@pytest.mark.parametrize(("kind", "sentence", "expected"),
                         [(kind, sentence, expected) for kind, cases in CASES.items() for sentence, expected in cases])
def test_extractor_finds_exactly_the_expected_spans(kind, sentence, expected):
    found = [(span.text, span.value, span.unit) for span in EXTRACTORS[kind](sentence)]
    assert found == expected


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_span_quotes_its_source_character_for_character(sentence):
    for span in find_all(sentence):
        assert isinstance(span, Span)
        assert sentence[span.start:span.end] == span.text, span
        assert 0 <= span.start < span.end <= len(sentence)


def test_find_all_is_sorted_and_tags_each_kind():
    sentence = "自2023年5月25日起，符合条件的企业可获得最高200万元奖励，咨询电话：0818-2389012。"
    spans = find_all(sentence)
    assert [span.start for span in spans] == sorted(span.start for span in spans)
    assert {span.kind for span in spans} == {"date", "amount", "phone", "condition"}


def test_percent_is_an_amount_with_unit_percent():
    sentence = "年均增长8%以上，占比达到60％，不低于百分之二十，提高3个百分点，补助200万元。"
    assert [(s.text, s.value, s.kind, s.unit) for s in find_percent(sentence)] == [
        ("8%以上", 8, "amount", "%"), ("60％", 60, "amount", "%"), ("不低于百分之二十", 20, "amount", "%")]
    assert "percent" not in EXTRACTORS


def test_a_share_is_an_amount_without_unit():
    (span,) = find_amount("经全体委员三分之二以上同意")
    assert span.text == "三分之二以上" and span.value == pytest.approx(2 / 3) and span.unit is None


@pytest.mark.parametrize(
    "sentence",
    [
        "第三章 劳动合同的履行和变更", "依照本法第二十一条的规定", "按照第5条规定执行",
        "根据《关于印发〈达州市产业发展规划〉的通知》（川办发〔2022〕67号）", "咨询电话：0818-2389012，13800138000",
        "这项工作十分重要，万一发生险情", "推进“十四五”规划和“三农”工作", "统一部署、一体推进", "上一年度在榜单内",
    ],
)
def test_numbers_that_are_not_amounts_or_durations(sentence):
    assert find_amount(sentence) == [] and find_duration(sentence) == []


def test_a_year_alone_is_a_date_not_a_duration():
    assert [(s.text, s.value) for s in find_date("2023年，全市新增就业1万人")] == [("2023年", "2023")]
    assert find_duration("2023年，全市新增就业1万人") == []


def test_dates_keep_their_characters_from_durations():
    sentence = "2023年5月25日起30日内，15个工作日，年满16周岁"
    assert [s.text for s in find_date(sentence)] == ["2023年5月25日起"]
    assert [s.text for s in find_duration(sentence)] == ["30日内", "15个工作日"]
    assert [s.text for s in find_amount(sentence)] == ["年满16周岁"]


@pytest.mark.parametrize("sentence", ["2023年13月5日", "2月32日", "1800年", "5日前", "2023-13-01"])
def test_impossible_or_bare_dates_are_not_dates(sentence):
    assert find_date(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("优化产业布局，统筹部署推进。", []), ("依法委托第三方机构评估", ["第三方机构"]), ("实行一网通办", []),
        ("本办法自发布之日起施行", []), ("根据川办发〔2022〕67号文件", []), ("加快汽车零部件产业发展", []),
        ("第二十条市科委负责解释", ["市科委"]), ("由劳动行政部门或者有关部门责令改正", ["劳动行政部门", "有关部门"]),
    ],
)
def test_words_ending_like_a_name_are_not_organisations(sentence, names):
    assert [s.text for s in EXTRACTORS["org"](sentence)] == names


@pytest.mark.parametrize(
    "sentence", ["一、总体要求", "市经信局负责指导全市工作", "各地要按照上述指标执行，指标由市统计局发布", "电动自行车应当符合国家标准。"],
)
def test_no_list_or_definition_where_there_is_none(sentence):
    assert EXTRACTORS["condition"](sentence) == []
    assert EXTRACTORS["enumeration"](sentence) == []
    assert EXTRACTORS["definition"](sentence) == []


def test_extractors_are_fast_on_a_long_clause():
    clause = "".join(sentence for sentence in SENTENCES)[:500]
    find_all(clause)  # compile and warm what is cached
    start = time.process_time()
    for i in range(20):
        find_all(clause + str(i))  # a new text each time: nothing comes from the span cache
    assert (time.process_time() - start) / 20 < 0.05  # generous for a loaded CI machine; ~2 ms on a laptop


def test_kinds_and_tiers_are_counted():
    from rag.extract import find_amount

    assert [(s.value, s.unit) for s in find_amount("国旗之通用尺寸定为如下五种，各界酌情选用")] == [(5, "种")]
    assert [(s.value, s.unit) for s in find_amount("补贴分三档发放")] == [(3, "档")]
    assert find_amount("各种形式、种植面积") == []


def test_a_person_is_found_next_to_a_title_or_after_a_contacts_unit():
    from rag.person import find_person

    assert [s.text for s in find_person("联系人：市经信局毛凡晓0818—3090933")] == ["毛凡晓"]
    assert [s.text for s in find_person("总理 李克强")] == ["李克强"]
    assert find_person("由市经信局负责统计") == []  # a unit with no title before it names nobody
