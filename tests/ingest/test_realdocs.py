"""Pins what ingest reads from the eleven real documents in ../shared/realdocs (never copied here):
metadata, the number of 条 / numbered tasks, clause paths with their units, and that no page
furniture reaches a clause. These files were not used to write the rules; the rules are general."""

import re

import pytest

from ingest.chunking import chunk_document
from ingest.pipeline import parse_document
from ingest.settings import Settings
from tests.helpers import REALDOCS, needs_realdocs

pytestmark = needs_realdocs

# (file prefix, title, 文号, issuers, date of issue, date of effect, kind, status word, 条, numbered tasks)
EXPECTED = [
    ("上海市人民政府办公厅关于印发", "上海市促进高端医疗器械产业全链条发展行动方案", "沪府办发〔2025〕17号",
     ("上海市人民政府办公厅",), "2025-09-04", None, "方案", None, 0, 20),
    ("上海市居住证管理办法", "上海市居住证积分管理办法", "沪府规〔2022〕21号", (), None, "2023-01-01", "办法", None, 24, 22),
    ("中华人民共和国劳动法", "中华人民共和国劳动法", "主席令第二十八号", ("全国人民代表大会常务委员会",),
     "1994-07-05", "1995-01-01", "法律", None, 107, 0),
    ("中华人民共和国国旗法", "中华人民共和国国旗法", None, ("全国人民代表大会常务委员会",), "2020-10-17",
     "1990-10-01", "法律", None, 24, 0),
    ("关于印发《上海市科技专家库管理办法》", "上海市科技专家库管理办法", "沪科规〔2025〕5号", ("上海市科学技术委员会",),
     "2025-07-28", "2025-09-01", "办法", None, 30, 0),
    ("北京市非机动车管理条例", "北京市非机动车管理条例", None, ("北京市人民代表大会常务委员会",), "2025-11-28",
     "2026-05-01", "条例", None, 55, 0),
    ("医疗保障法草案", "中华人民共和国医疗保障法", None, (), None, None, "法律", "草案", 50, 0),
    ("南宁市电动自行车管理条例", "南宁市电动自行车管理条例", None, ("南宁市人民代表大会常务委员会",), "2023-09-22",
     "2020-09-01", "条例", None, 48, 0),
    ("居住证暂行条例", "居住证暂行条例", "国务院令第663号", ("国务院",), "2015-11-26", "2016-01-01", "条例", None, 23, 0),
    ("石家庄市公安局", "石家庄市公安局关于全面放开我市城镇落户限制的实施意见", "石公户发〔2019〕25号", ("石家庄市公安局",),
     "2019-03-18", None, "实施意见", None, 0, 5),
    ("终端设备直连卫星服务管理规定", "终端设备直连卫星服务管理规定", "国信办发文〔2025〕1号",
     ("国家互联网信息办公室", "国家发展和改革委员会", "工业和信息化部", "公安部", "海关总署", "国家市场监督管理总局",
      "国家广播电视总局"), "2025-04-23", "2025-06-01", "规定", None, 41, 0),
]
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条$")
# What the portals print around the documents; none of it may end up in a clause.
_FURNITURE = ("http", "www.", "打印本页", "字号", "【字体", "分享", "简体", "网站地图", "APP", "2026/2/9", "导语")


@pytest.fixture(scope="module")
def parsed():
    settings = Settings()
    return {row[0]: parse_document(next(REALDOCS.glob(f"{row[0]}*")), settings) for row in EXPECTED}


def test_every_realdoc_is_pinned():
    assert len(EXPECTED) == len(list(REALDOCS.iterdir())) == 11


@pytest.mark.parametrize("row", EXPECTED, ids=[row[0][:8] for row in EXPECTED])
def test_metadata(parsed, row):
    document = parsed[row[0]].document
    assert (document.title, document.doc_number, document.issuers, document.date, document.effective_date,
            document.kind, document.status_word) == row[1:8]


@pytest.mark.parametrize("row", EXPECTED, ids=[row[0][:8] for row in EXPECTED])
def test_articles_and_tasks_and_no_furniture(parsed, row):
    clauses = parsed[row[0]].clauses
    assert sum(bool(_ARTICLE.match(c.path)) for c in clauses) == row[8]
    assert sum(bool(re.search(r"\d+\.$", c.path)) for c in clauses) == row[9]
    assert len({c.path for c in clauses}) == len(clauses)
    for clause in clauses:
        assert not [f for f in _FURNITURE if f in clause.text], (clause.path, clause.text[:80])


def test_twenty_tasks_keep_their_own_units(parsed):
    clauses = {c.path: c for c in parsed["上海市人民政府办公厅关于印发"].clauses}
    assert clauses["三、（一）1."].units == ("市科委",)
    assert clauses["三、（二）4."].units == ("市卫生健康委", "申康医院发展中心")
    assert clauses["三、（七）20."].units == ("市商务委", "市科委", "东方枢纽国际商务合作区管理局", "浦东新区政府")
    assert sum(bool(c.units) for c in clauses.values() if re.search(r"\d+\.$", c.path)) == 20


def test_one_sentence_articles_are_chunked(parsed):
    law = parsed["中华人民共和国劳动法"]
    clauses = {c.path: c for c in law.clauses}
    assert "不少于九十天的产假" in clauses["第六十二条"].text
    assert "试用期最长不得超过六个月" in clauses["第二十一条"].text
    chunked = {c.clause_path for c in chunk_document(law, 360)}
    assert {"第六十二条", "第二十一条"} <= chunked
    assert sum(bool(_ARTICLE.match(p)) for p in chunked) == 107


def test_radicals_are_repaired_and_items_sit_in_their_article(parsed):
    clauses = {c.path: c for c in parsed["北京市非机动车管理条例"].clauses}
    assert "非机动车" in clauses["第一条"].text and "⾮" not in clauses["第一条"].text
    assert "第二十二条（十二）" in clauses and "滞留" in clauses["第二十二条（十二）"].text
    items = {c.path: c for c in parsed["上海市居住证管理办法"].clauses}
    assert "第六条（三）" in items and "第六条（三）1." in items


def test_addressees_are_split_between_bodies_not_inside_them(parsed):
    notice = parsed["上海市人民政府办公厅关于印发"].document
    assert notice.addressees == ("各区人民政府", "市政府各委、办、局", "各有关单位")
