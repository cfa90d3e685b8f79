"""Scanned pages are read by the bundled OCR model: a notice printed to images (red header, seal,
no text layer) comes back as text close to what was printed, and parses into clauses and a 文号."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.errors import SkippedFile
from ingest.loaders import LoadOptions, load_file
from ingest.loaders.ocr import TextBox, reading_order_lines
from ingest.pipeline import parse_document
from ingest.settings import Settings
from tests.helpers import FONT_CANDIDATES

MB = 1024 * 1024
SCAN_DPI = 200
RED = (200, 20, 30)

# Two pages of a notice as printed: (text, style); body paragraphs are wrapped by the layout.
NOTICE_PAGES = [
    [
        ("达州市人民政府办公室文件", "red-header"),
        ("达市府办发〔2024〕9号", "centre"),
        ("", "red-rule"),
        ("达州市人民政府办公室", "title"),
        ("关于印发达州市测试产业发展工作方案的通知", "title"),
        ("", "empty-line"),
        ("各县（市、区）人民政府，市级有关部门（单位）：", "flush"),
        ("《达州市测试产业发展工作方案》已经市政府同意，现印发给你们，请认真组织实施。", "body"),
        ("一、总体要求", "body"),
        ("到2026年，全市测试产业规模达到50亿元，培育规模以上测试企业20家，建成省级检验检测"
         "公共服务平台2个。", "body"),
        ("二、重点任务", "body"),
        ("（一）培育无人机测试基地。支持宣汉县建设无人机飞行测试场，引进整机企业3家。"
         "（责任单位：市经信局、市科技局、宣汉县人民政府）", "body"),
    ],
    [
        ("（二）发展预制菜检测服务。在达川区布局预制菜检测中心，开展农药残留和微生物检测。"
         "（责任单位：市市场监管局、达川区人民政府）", "body"),
        ("三、保障措施", "body"),
        ("（一）加强组织领导。建立由市政府分管领导牵头的工作机制，每季度召开一次推进会。", "body"),
        ("（二）强化要素保障。市级财政每年安排专项资金1000万元，支持测试平台建设。", "body"),
        ("", "empty-line"),
        ("达州市人民政府办公室", "signature"),
        ("2024年3月8日", "signature"),
    ],
]


def _font(size: int):
    from PIL import ImageFont

    font = next((f for f in FONT_CANDIDATES if f.exists()), None)
    if font is None:
        pytest.skip("no Chinese font: run scripts/test.sh, which installs fonts-wqy-microhei")
    return ImageFont.truetype(str(font), size)


def scan_page_image(page: list[tuple[str, str]]):
    """One A4 page at SCAN_DPI as a scanner gives it: off-white paper, a red 红头 and rule, body
    text in 三号 (16 pt) with a two-character first-line indent, an empty line after the title
    and before the signature, a red seal over the signature.
    Returns the image and the printed lines (what OCR should read)."""
    from PIL import Image, ImageDraw

    width, height = round(8.27 * SCAN_DPI), round(11.69 * SCAN_DPI)
    px = SCAN_DPI / 72  # pixels per point
    image = Image.new("RGB", (width, height), (250, 249, 244))
    draw = ImageDraw.Draw(image)
    body, header, title = _font(round(16 * px)), _font(round(30 * px)), _font(round(20 * px))
    char = round(16 * px)
    left, right = round(1.1 * SCAN_DPI), width - round(1.0 * SCAN_DPI)
    per_line = (right - left) // char
    y = round(1.0 * SCAN_DPI)
    printed: list[str] = []
    for text, style in page:
        if style == "empty-line":
            y += round(char * 1.8)
            continue
        if style == "red-rule":
            draw.line((left - char, y, right + char, y), fill=RED, width=round(1.5 * px))
            y += char
            continue
        if style in ("red-header", "centre", "title"):
            font = {"red-header": header, "title": title}.get(style, body)
            colour = RED if style == "red-header" else "black"
            draw.text((width // 2, y), text, fill=colour, font=font, anchor="mt")
            printed.append(text)
            y += round(font.size * 1.8)
            continue
        if style == "signature":
            draw.text((right - char, y), text, fill="black", font=body, anchor="rt")
            printed.append(text)
            y += round(char * 1.8)
            continue
        indent = 2 if style == "body" else 0
        start = 0
        while start < len(text):
            take = per_line - indent if start == 0 else per_line
            draw.text((left + (indent * char if start == 0 else 0), y), text[start:start + take],
                      fill="black", font=body)
            printed.append(text[start:start + take])
            start += take
            y += round(char * 1.8)
    if page[-1][1] == "signature":  # the 公章: a red ring and mark over the signature
        cx, cy, r = right - 4 * char, y - 2 * char, round(2.2 * char)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RED, width=round(2 * px))
        draw.regular_polygon((cx, cy, r // 3), 5, fill=RED)
    return image.rotate(0.3, fillcolor=(250, 249, 244)), printed


def make_scan_pdf(path: Path, pages: list[list[tuple[str, str]]] = NOTICE_PAGES,
                  text_pages: dict[int, str] | None = None) -> tuple[Path, list[list[str]]]:
    """A PDF of scanned pages (JPEG images only, no text layer), optionally with text pages
    (`text_pages`: 1-based position → text, written with a real font as make_pdf does)."""
    from fpdf import FPDF

    text_pages = text_pages or {}
    pdf = FPDF()
    font = next((f for f in FONT_CANDIDATES if f.exists()), None)
    if font is None:
        pytest.skip("no Chinese font: run scripts/test.sh, which installs fonts-wqy-microhei")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=11)
    printed: list[list[str]] = []
    scans = iter(pages)
    for number in range(1, len(pages) + len(text_pages) + 1):
        pdf.add_page()
        if number in text_pages:
            pdf.multi_cell(0, 7, text_pages[number])
            printed.append(text_pages[number].splitlines())
            continue
        image, lines = scan_page_image(next(scans))
        jpeg = path.with_name(f"{path.stem}-{number}.jpg")
        image.save(jpeg, quality=85)
        pdf.image(str(jpeg), x=0, y=0, w=pdf.w, h=pdf.h)
        printed.append(lines)
    pdf.output(str(path))
    return path, printed


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def character_accuracy(read: str, printed: str) -> float:
    """1 - edit distance / printed length, whitespace ignored."""
    read, printed = re.sub(r"\s", "", read), re.sub(r"\s", "", printed)
    return 1 - edit_distance(read, printed) / len(printed)


def _load(path, ocr=True, progress=None):
    return load_file(path, max_bytes=20 * MB,
                     options=LoadOptions(max_pdf_pages=50, pdf_timeout=60, ocr=ocr, progress=progress))


@pytest.fixture(scope="module")
def scanned_notice(tmp_path_factory):
    return make_scan_pdf(tmp_path_factory.mktemp("scan") / "扫描件.pdf")


def test_scanned_pages_are_read_by_ocr(scanned_notice):
    path, printed = scanned_notice
    calls = []
    extracted = _load(path, progress=lambda done, total, note: calls.append((done, total, note)))
    assert extracted.paged and len(extracted.pages) == 2
    assert extracted.ocr_pages == {1, 2}
    for read, lines in zip(extracted.pages, printed):
        assert character_accuracy(read, "\n".join(lines)) >= 0.95, read
    assert [c[:2] for c in calls] == [(1, 2), (2, 2)]
    assert "扫描件.pdf" in calls[0][2] and "第1页" in calls[0][2]
    # One printed line per line, in reading order: the header first, the date last.
    assert extracted.pages[0].splitlines()[0].strip() == "达州市人民政府办公室文件"
    assert extracted.pages[1].splitlines()[-1].strip() == "2024年3月8日"


def test_scanned_notice_parses_into_clauses_and_doc_number(scanned_notice, tmp_path):
    path, _ = scanned_notice
    pages = []
    parsed = parse_document(path, Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache"),
                            progress=lambda done, total, note: pages.append((done, total)))
    clauses = {c.path: c for c in parsed.clauses}
    assert pages == [(1, 2), (2, 2)]  # what the ingest progress bar shows, page by page
    assert parsed.document.ocr_pages == 2 and all(c.ocr for c in parsed.clauses)
    assert parsed.document.doc_number == "达市府办发〔2024〕9号"
    assert {"一、", "二、（一）", "二、（二）", "三、（二）"} <= set(clauses)
    assert clauses["二、（二）"].page_start == 2
    assert "无人机飞行测试场" in clauses["二、（一）"].text


def test_ocr_off_skips_scans_naming_the_setting(scanned_notice):
    path, _ = scanned_notice
    with pytest.raises(SkippedFile, match=r"no text layer \(2 pages\): it looks scanned; .*POLICYQA_OCR=true"):
        _load(path, ocr=False)


def test_only_scanned_pages_of_a_mixed_pdf_are_ocr_read(tmp_path):
    text = "一、总体要求\n到2026年，全市测试产业规模达到50亿元，培育规模以上测试企业20家。"
    path, printed = make_scan_pdf(tmp_path / "mixed.pdf", pages=NOTICE_PAGES[1:], text_pages={1: text})
    extracted = _load(path)
    assert extracted.ocr_pages == {2}
    assert "测试产业规模达到50亿元" in extracted.pages[0]
    assert character_accuracy(extracted.pages[1], "\n".join(printed[1])) >= 0.95


def test_scan_without_any_text_is_skipped_with_a_reason(tmp_path):
    path, _ = make_scan_pdf(tmp_path / "blank.pdf", pages=[[("", "red-rule")]])
    with pytest.raises(SkippedFile, match=r"blank\.pdf: no text layer \(1 pages\) and OCR found no text"):
        _load(path)


def test_boxes_become_lines_in_reading_order():
    boxes = [
        TextBox("2024年3月8日", 900, 412, 1200, 452),  # same line as the signature, further right
        TextBox("（一）培育无人机测试基地。", 288, 100, 900, 144),
        TextBox("达州市人民政府办公室", 200, 405, 640, 447),
        TextBox("支持宣汉县建设测试场。", 200, 180, 700, 222),
        TextBox("达市府办发〔2024】9号", 500, 20, 900, 60),
    ]
    assert reading_order_lines(boxes) == [
        "  达市府办发〔2024〕9号",  # starts right of the margin: indented; the bracket repaired
        "  （一）培育无人机测试基地。",
        "支持宣汉县建设测试场。",
        "",  # the gap before the signature is an empty line
        "达州市人民政府办公室 2024年3月8日",
    ]
