"""Saved web pages, the HTML inside .docx files (w:altChunk), text boxes, and legacy .doc files."""

from __future__ import annotations

import base64
import quopri
import re
import shutil
import struct
from pathlib import Path

import pytest

from ingest.errors import SkippedFile
from ingest.loaders import LoadOptions, load_file
from ingest.loaders import doc as doc_loader
from ingest.loaders.doc import CONVERTERS
from ingest.loaders.html import html_to_lines
from ingest.pipeline import parse_document
from tests.helpers import SAMPLE_NOTICE, make_docx

MB = 1024 * 1024
REALDOCS = Path(__file__).resolve().parents[3] / "shared" / "realdocs"
CHINESE_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
                    "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四"]


def _load(path: Path) -> str:
    return "\n".join(load_file(path, max_bytes=5 * MB, options=LoadOptions()).pages)


def _positions(text: str, needles: list[str]) -> list[int]:
    positions = [text.find(needle) for needle in needles]
    assert -1 not in positions, [n for n, p in zip(needles, positions) if p == -1]
    return positions


# --- .docx: the real file whose body is an embedded web page ---------------------------------------

def _flag_law() -> Path:
    path = REALDOCS / "中华人民共和国国旗法.docx"
    if not path.exists():
        pytest.skip("../shared/realdocs not beside the checkout")
    return path


def test_real_docx_with_an_alt_chunk_body_has_all_articles():
    text = _load(_flag_law())
    assert text.splitlines()[0] == "# 中华人民共和国国旗法"
    articles = [f"第{n}条 " for n in CHINESE_NUMERALS]
    positions = _positions(text, articles)
    assert positions == sorted(positions)
    assert len(re.findall(r"^第[一二三四五六七八九十]+条", text, flags=re.MULTILINE)) == 24
    assert "（一）北京天安门广场、新华门；" in text.splitlines()  # <br> in a <p> is a line break
    assert "关于修改<中华人民共和国国旗法>的决定" in text  # entities decoded
    assert "border-collapse" not in text  # <style> is not text


def test_real_docx_with_an_alt_chunk_body_parses_into_articles(settings):
    parsed = parse_document(_flag_law(), settings)
    paths = [clause.path for clause in parsed.clauses]
    assert parsed.document.title == "中华人民共和国国旗法"
    assert [p for p in paths if re.fullmatch(r"第[一二三四五六七八九十]+条", p)] == \
        [f"第{n}条" for n in CHINESE_NUMERALS]
    assert "第五条（一）" in paths and "第十五条（四）" in paths


# --- .docx built here: altChunk parts and text boxes among normal paragraphs -----------------------

def _mht(html: str, charset: str, transfer: str) -> bytes:
    body = html.encode(charset)
    encoded = quopri.encodestring(body) if transfer == "quoted-printable" else base64.encodebytes(body)
    return (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
            b"------=_NextPart_01\r\n"
            + f'Content-Type: text/html; charset="{charset}"\r\n'.encode()
            + f"Content-Transfer-Encoding: {transfer}\r\n".encode()
            + b"Content-Location: file:///C:/chunk.htm\r\n\r\n" + encoded
            + b"\r\n------=_NextPart_01\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + b"iVBORw0KGgo=\r\n------=_NextPart_01--\r\n")


def _add_alt_chunk(document, after_paragraph, partname: str, content_type: str, blob: bytes) -> None:
    """What web exporters write: a part related to the document by an aFChunk relationship, and a
    body-level <w:altChunk r:id=…/> where its content goes."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    part = Part(PackURI(partname), content_type, blob, document.part.package)
    rid = document.part.relate_to(part, RELATIONSHIP_TYPE.A_F_CHUNK)
    after_paragraph._p.addnext(parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>'))


def test_alt_chunks_are_read_in_document_order(tmp_path, settings):
    import docx

    document = docx.Document()
    document.add_paragraph("达州市人民政府办公室关于印发达州市测试产业发展工作方案的通知")
    first = document.add_paragraph("一、总体要求")
    second = document.add_paragraph("到2026年，全市测试产业规模达到50亿元。")
    document.add_paragraph("三、保障措施")
    document.add_paragraph("各地要加强组织领导。")
    page = ("<html><head><style>p{margin:0}</style></head><body>"
            "<p>（一）总体目标。到2026年，培育测试企业10家。</p>"
            "<table><tr><td>指标</td><td>2025年</td></tr><tr><td>产值（亿元）</td><td>50</td></tr></table>"
            "</body></html>")
    _add_alt_chunk(document, first, "/word/afchunk1.htm", "text/html", page.encode("utf-8"))
    tasks = ("<html><body><p>二、重点任务</p><p>（一）培育无人机测试基地。支持宣汉县建设飞行测试场。<br>"
             "（二）发展预制菜检测服务。镕铸新产业。</p></body></html>")  # 镕 is in GBK, not in GB2312
    _add_alt_chunk(document, second, "/word/afchunk2.mht", "message/rfc822",
                   _mht(tasks, "gbk", "quoted-printable"))
    path = tmp_path / "chunks.docx"
    document.save(str(path))

    text = _load(path)
    order = ["关于印发", "一、总体要求", "（一）总体目标", "产值（亿元）\t50", "到2026年，全市", "二、重点任务",
             "（一）培育无人机", "（二）发展预制菜检测服务。镕铸新产业。", "三、保障措施", "各地要加强"]
    positions = _positions(text, order)
    assert positions == sorted(positions)
    assert "iVBOR" not in text and "margin" not in text
    clauses = {c.path for c in parse_document(path, settings).clauses}
    assert {"一、", "二、（一）", "二、（二）", "三、"} <= clauses


@pytest.mark.parametrize("transfer", ["base64", "quoted-printable"])
def test_alt_chunk_mht_charset_comes_from_its_part_header(tmp_path, transfer):
    import docx

    document = docx.Document()
    anchor = document.add_paragraph("正文前")
    _add_alt_chunk(document, anchor, "/word/afchunk.mht", "message/rfc822",
                   _mht("<p>第一条 为了规范国旗的使用，制定本法。</p>", "gb2312", transfer))
    path = tmp_path / "mht.docx"
    document.save(str(path))
    assert _load(path).splitlines() == ["正文前", "第一条 为了规范国旗的使用，制定本法。"]


def test_alt_chunk_of_an_unreadable_kind_is_named(tmp_path):
    import docx

    document = docx.Document()
    anchor = document.add_paragraph("")
    _add_alt_chunk(document, anchor, "/word/afchunk.rtf", "application/rtf", b"{\\rtf1 text}")
    path = tmp_path / "rtf.docx"
    document.save(str(path))
    with pytest.raises(SkippedFile, match=r"afchunk\.rtf \(application/rtf\).*save it as \.docx again"):
        _load(path)


_TEXT_BOX_RUN = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing><wp:anchor><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="文本框 1"/>
        <a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
          <wps:wsp><wps:txbx><w:txbxContent>
            <w:p><w:r><w:t>专栏1 主要指标</w:t></w:r></w:p>
            <w:p><w:r><w:t>到2025年，新增测试企业</w:t></w:r><w:r><w:t>10家。</w:t></w:r></w:p>
          </w:txbxContent></wps:txbx></wps:wsp>
        </a:graphicData></a:graphic></wp:anchor></w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict><v:shape><v:textbox><w:txbxContent>
        <w:p><w:r><w:t>专栏1 主要指标</w:t></w:r></w:p>
        <w:p><w:r><w:t>到2025年，新增测试企业</w:t></w:r><w:r><w:t>10家。</w:t></w:r></w:p>
      </w:txbxContent></v:textbox></v:shape></w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>"""


def test_text_box_is_read_once_after_its_paragraph(tmp_path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("一、总体要求")
    anchor = document.add_paragraph("到2026年，全市测试产业规模达到50亿元。")
    anchor._p.append(parse_xml(_TEXT_BOX_RUN))
    document.add_paragraph("二、重点任务")
    path = tmp_path / "box.docx"
    document.save(str(path))
    assert _load(path).splitlines() == ["一、总体要求", "到2026年，全市测试产业规模达到50亿元。",
                                        "专栏1 主要指标", "到2025年，新增测试企业10家。", "二、重点任务"]


def test_docx_tables_and_runs_in_hyperlinks_and_content_controls(tmp_path):
    import docx
    from docx.oxml import parse_xml

    path = make_docx(tmp_path / "t.docx", ["一、总体要求"], table=[["指标", "2025年"], ["产值（亿元）", "50"]])
    document = docx.Document(str(path))
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document.paragraphs[0]._p.append(parse_xml(
        f'<w:sdt {w}><w:sdtContent><w:r><w:t>（内容控件）</w:t></w:r></w:sdtContent></w:sdt>'))
    document.paragraphs[0]._p.append(parse_xml(
        f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>修订插入</w:t></w:r></w:ins>'))
    document.paragraphs[0]._p.append(parse_xml(
        f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>修订删除</w:delText></w:r></w:del>'))
    document.save(str(path))
    assert _load(path).splitlines() == ["一、总体要求（内容控件）修订插入", "指标\t2025年", "产值（亿元）\t50"]


# --- saved web pages --------------------------------------------------------------------------------

POLICY_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}">
<title>达州市人民政府办公室关于印发达州市测试产业发展工作方案的通知_政策文件_门户网站</title>
<script>var note = "脚本里的文字";</script><style>.article{{font-size:16px}}</style>
</head><body>
<header class="site-header"><a href="/"><img src="logo.png" alt="门户网站"></a><span>测试市人民政府门户网站</span></header>
<nav class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
  <li><a href="/hdjl">互动交流</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zcwj">政策文件</a></div>
<div class="container">
  <div class="left-menu"><ul><li><a href="#">通知公告</a></li><li><a href="#">规划计划</a></li></ul></div>
  <div class="article">
    <h1 class="article-title">达州市人民政府办公室关于印发达州市测试产业发展工作方案的通知</h1>
    <div class="info">发布时间：2024-03-08　来源：市政府办公室</div>
    <div class="share-bar">分享到：<a href="#">微信</a><a href="#">微博</a></div>
    <div class="TRS_Editor">
      <p style="text-align:center">达市府办发〔2024〕9号</p>
      <p>各县（市、区）人民政府，市级有关部门（单位）：</p>
      <p>　　《达州市测试产业发展工作方案》已经市政府同意，现印发给你们，请认真组织实施。</p>
      <p style="text-align:right">达州市人民政府办公室<br>2024年3月8日</p>
      <p>一、总体要求</p>
      <p>到2026年，全市测试产业规模达到50亿元。</p>
      <p>二、重点任务</p>
      <p>（一）培育无人机测试基地。支持宣汉县建设无人机飞行测试场，引进整机企业3家。（责任单位：市经信局、市科技局、宣汉县人民政府。列首位的为牵头部门）</p>
      <p>（二）发展预制菜检测服务。在达川区布局预制菜检测中心。（责任单位：市市场监管局、达川区人民政府）</p>
      <table border="1"><tr><th>指标</th><th>2025年</th></tr><tr><td>产值（亿元）</td><td>50</td></tr></table>
      <p style="display:none">隐藏的文字</p>
    </div>
    <div class="article-tools"><a href="javascript:window.print()">打印本页</a>
      <a href="javascript:window.close()">关闭窗口</a></div>
  </div>
  <div class="sidebar"><h3>相关文件</h3><ul><li><a href="#">关于印发另一个方案的通知</a></li></ul></div>
</div>
<footer><p>主办：测试市人民政府办公室　网站标识码：5117000001</p></footer>
<div id="footer">版权所有 © 测试市人民政府</div>
</body></html>
"""
CHROME = ["脚本里的文字", "门户网站", "首页", "政务公开", "当前位置", "通知公告", "分享到", "微信", "打印本页", "关闭窗口",
          "相关文件", "另一个方案", "网站标识码", "版权所有", "隐藏的文字", "font-size"]


def test_saved_page_keeps_the_policy_and_drops_the_frame(tmp_path, settings):
    path = tmp_path / "通知.html"
    path.write_text(POLICY_PAGE.format(charset="utf-8"), encoding="utf-8")
    text = _load(path)
    lines = [line for line in text.splitlines() if line]
    assert lines[0] == "# 达州市人民政府办公室关于印发达州市测试产业发展工作方案的通知"
    assert "一、总体要求" in lines and "二、重点任务" in lines
    assert any(line.startswith("（一）培育无人机测试基地") for line in lines)
    assert "指标\t2025年" in lines and "产值（亿元）\t50" in lines
    assert [word for word in CHROME if word in text] == []

    parsed = parse_document(path, settings)
    clauses = {c.path: c for c in parsed.clauses}
    assert parsed.document.doc_number == "达市府办发〔2024〕9号"
    assert parsed.document.title == "达州市测试产业发展工作方案"
    assert clauses["二、（一）"].lead_unit == "市经信局"


@pytest.mark.parametrize("meta, encoding", [
    ('<meta charset="gbk">', "gbk"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gbk"),  # GBK labelled gb2312
    ('<meta charset="gb18030">', "gb18030"),
    ('<meta charset="gbk">', "utf-8"),  # re-saved as UTF-8, old label kept
])
def test_page_encodings(tmp_path, meta, encoding):
    page = f"<html><head>{meta}</head><body><p>（一）朱镕基同志题写的校名。</p><p>二、重点任务</p></body></html>"
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode(encoding))
    assert _load(path).splitlines() == ["（一）朱镕基同志题写的校名。", "", "二、重点任务"]


def test_page_laid_out_with_tables_keeps_the_text_cell(tmp_path):
    body = "".join(f"<p>{n}、第{n}项任务的具体内容，由有关部门负责落实。</p>" for n in "一二三四五六七八")
    page = ("<html><head><meta charset='utf-8'></head><body><table width='1000'><tr><td colspan='2'>"
            "<img src='banner.jpg'></td></tr><tr><td width='200'><a href='#'>机构设置</a><br>"
            "<a href='#'>领导信息</a><br><a href='#'>政策文件</a></td>"
            f"<td><div class='title'>测试市促进产业发展若干措施</div>{body}</td></tr>"
            "<tr><td colspan='2'><a href='#'>联系我们</a> | <a href='#'>网站地图</a></td></tr></table></body></html>")
    path = tmp_path / "old.html"
    path.write_text(page, encoding="utf-8")
    lines = [line for line in _load(path).splitlines() if line]
    assert lines[0] == "测试市促进产业发展若干措施"
    assert lines[1:] == [f"{n}、第{n}项任务的具体内容，由有关部门负责落实。" for n in "一二三四五六七八"]


def test_mht_web_archive(tmp_path):
    path = tmp_path / "通知.mht"
    path.write_bytes(_mht(POLICY_PAGE.format(charset="gb18030"), "gb18030", "base64"))
    text = _load(path)
    assert "（一）培育无人机测试基地" in text and "打印本页" not in text


def test_page_without_text(tmp_path):
    path = tmp_path / "frames.html"
    path.write_text("<html><frameset><frame src='a.html'></frameset><script>x()</script></html>", encoding="utf-8")
    with pytest.raises(SkippedFile, match="no text in this web page"):
        _load(path)


def test_html_to_lines_for_document_html_keeps_everything():
    markup = "<div class='footer'>一、总体要求</div><nav>二、重点任务</nav><p>内容<br>下一行</p>"
    assert html_to_lines(markup, strip_chrome=False) == ["一、总体要求", "", "二、重点任务", "", "内容", "下一行"]


# --- legacy .doc ------------------------------------------------------------------------------------

def make_word97_doc(path: Path, text: str) -> Path:
    """The smallest Word 97 file antiword and catdoc read: an OLE container holding a FIB, one
    UTF-16 piece of text, and a piece table and stylesheet in the 1Table stream."""
    body = text.replace("\n", "\r").rstrip("\r") + "\r"
    data, at = body.encode("utf-16-le"), 0x800
    fib = struct.pack("<HHHHHHHIBBHHII", 0xA5EC, 0xC1, 0, 0x0804, 0, 0x1200, 0xBF, 0, 0, 0, 0, 0, at, at + len(data))
    counts = [at + len(data), 0, 0, len(body)] + [0] * 18  # cbMac, …, ccpText
    clx = b"\x02" + struct.pack("<IIIHIH", 16, 0, len(body), 0, at, 0)  # one piece: CP 0..n at byte `at`
    stylesheet = struct.pack("<11H", 18, 1, 10, 0, 0x5B, 0x0F, 0, 0, 0, 0, 0)  # one empty style (antiword needs it)
    pairs = [0] * 186
    pairs[2:4] = [len(clx), len(stylesheet)]  # fcStshf, lcbStshf
    pairs[67] = len(clx)  # fcClx = 0 (start of 1Table), lcbClx
    fib += struct.pack("<H28xH", 14, 22) + struct.pack("<22i", *counts) + struct.pack("<H186IH", 93, *pairs, 0)
    streams = [fib.ljust(at, b"\0") + data, clx + stylesheet]
    streams = [s.ljust(max(4096, -(-len(s) // 512) * 512), b"\0") for s in streams]
    starts = [0, len(streams[0]) // 512]
    directory, fat_at = starts[1] + len(streams[1]) // 512, starts[1] + len(streams[1]) // 512 + 1
    fat = [0xFFFFFFFF] * 128
    for start, stream in zip(starts, streams):
        count = len(stream) // 512
        for i in range(count):
            fat[start + i] = start + i + 1 if i < count - 1 else 0xFFFFFFFE
    fat[directory], fat[fat_at] = 0xFFFFFFFE, 0xFFFFFFFD

    def entry(name: str, kind: int, left: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, left, 0xFFFFFFFF, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    none = 0xFFFFFFFF
    entries = (entry("Root Entry", 5, none, 1, 0xFFFFFFFE, 0)
               + entry("WordDocument", 2, 2, none, starts[0], len(streams[0]))
               + entry("1Table", 2, none, none, starts[1], len(streams[1])) + entry("", 0, none, none, 0, 0))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6,
              0, 1, directory, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0) + struct.pack("<109I", fat_at, *[none] * 108))
    path.write_bytes(header + b"".join(streams) + entries + struct.pack("<128I", *fat))
    return path


@pytest.mark.parametrize("tool", [tool for tool, _ in CONVERTERS])
def test_word97_doc_is_read_with_a_converter(tmp_path, settings, monkeypatch, tool):
    if not shutil.which(tool):
        pytest.skip(f"{tool} not installed (apt-get install {tool})")
    monkeypatch.setattr(doc_loader, "CONVERTERS", tuple(c for c in CONVERTERS if c[0] == tool))
    path = make_word97_doc(tmp_path / "通知.doc", SAMPLE_NOTICE)
    text = _load(path)
    assert "（一）培育无人机测试基地。" in text
    parsed = parse_document(path, settings)
    assert parsed.document.doc_number == "达市府办发〔2024〕9号"
    assert {"一、", "二、（一）", "二、（二）"} <= {c.path for c in parsed.clauses}


def test_doc_without_a_converter_says_save_as_docx(tmp_path, monkeypatch):
    path = make_word97_doc(tmp_path / "通知.doc", SAMPLE_NOTICE)
    monkeypatch.setenv("PATH", str(tmp_path))  # no antiword, no catdoc
    with pytest.raises(SkippedFile, match=r"^通知\.doc: old Word format .*neither antiword nor catdoc is installed: "
                                          r"save it as \.docx in Word or WPS"):
        _load(path)


def test_broken_doc_says_save_as_docx(tmp_path):
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(SkippedFile, match="save it as .docx") as raised:
        _load(path)
    assert "\n" not in str(raised.value)


def test_rtf_named_doc_says_save_as_docx(tmp_path):
    path = tmp_path / "通知.doc"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg936 \'d2\'bb\'a1\'a2\'d7\'dc\'cc\'e5\'d2\'aa\'c7\'f3\par}")
    with pytest.raises(SkippedFile, match=r"RTF text with a \.doc name: save it as \.docx"):
        _load(path)


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_files_named_doc_that_are_something_else(tmp_path, kind):
    path = tmp_path / "通知.doc"
    if kind == "docx":
        make_docx(path, ["一、总体要求", "内容。"])
    else:
        path.write_bytes("<html><body><p>一、总体要求</p><p>内容。</p></body></html>".encode("gbk"))
    assert [line for line in _load(path).splitlines() if line] == ["一、总体要求", "内容。"]
