"""Small real inputs made on the fly: PDFs (with a Chinese font), DOCX files, GBK text."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
# Real documents from elsewhere: CI has ../shared beside the checkout; elsewhere their tests skip.
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
needs_realdocs = pytest.mark.skipif(not REALDOCS.is_dir(), reason=f"{REALDOCS} not beside the checkout (CI has it)")
FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
]


def corpus_file(prefix: str) -> Path:
    """A corpus document by the start of its file name (names are for people, not for ingest)."""
    return next(p for p in CORPUS.iterdir() if p.name.startswith(prefix))


def make_pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    from fpdf import FPDF

    font = next((f for f in FONT_CANDIDATES if f.exists()), None)
    if font is None:
        raise RuntimeError("no Chinese font: run scripts/test.sh, which installs fonts-wqy-microhei")
    pdf = FPDF()
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 7, text)
    if password is not None:  # "" makes an owner-only lock that anyone may open
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(owner_password=password + "-owner", user_password=password,
                           encryption_method=EncryptionMethod.AES_128)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF with drawings but no text layer, like a scan."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


SAMPLE_NOTICE = """达州市人民政府办公室
关于印发达州市测试产业发展工作方案的通知
达市府办发〔2024〕9号
各县（市、区）人民政府，市级有关部门（单位）：
《达州市测试产业发展工作方案》已经市政府同意，现印发给你们，请认真组织实施。
达州市人民政府办公室
2024年3月8日
一、总体要求
到2026年，全市测试产业规模达到50亿元。
二、重点任务
（一）培育无人机测试基地。支持宣汉县建设无人机飞行测试场，引进整机企业3家。（责任单位：市经信局、市科技局、宣汉县人民政府。列首位的为牵头部门）
（二）发展预制菜检测服务。在达川区布局预制菜检测中心。（责任单位：市市场监管局、达川区人民政府）
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


ROOT = Path(__file__).resolve().parents[1]


def county_notice(county: str, amount: int, firms: int, doc_number: str | None = None, topic: str = "测试产业") -> str:
    """A county's notice; without a 文号 two counties' notices share one title."""
    number = f"{doc_number}\n" if doc_number else ""
    return f"""{county}人民政府办公室
关于印发{topic}发展工作方案的通知
{number}各乡镇人民政府，县级有关部门：
《{topic}发展工作方案》已经县政府同意，现印发给你们，请认真组织实施。
{county}人民政府办公室
2024年3月8日
一、总体要求
到2026年，{county}{topic}规模达到{amount}亿元。
二、重点任务
（一）培育{topic}基地。在{county}建设{topic}园区，引进龙头企业{firms}家。（责任单位：县经信局、县科技局）
"""


def untitled_plan(county: str, amount: int, firms: int, topic: str = "测试产业") -> str:
    """A plan with only its title on top (no issuer line, no 文号): every county's copy has one title."""
    return f"""{topic}发展工作方案
为加快{topic}发展，结合本县实际，制定本方案。
一、总体要求
到2026年，{county}{topic}规模达到{amount}亿元。
二、重点任务
（一）培育{topic}基地。在{county}建设{topic}园区，引进龙头企业{firms}家。（责任单位：县经信局、县科技局）
"""


def cli_env(settings) -> dict:
    """The environment for `policyqa` run as a real process on this checkout's code."""
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT), "POLICYQA_DATA_DIR": str(settings.data_dir),
            "POLICYQA_CACHE_DIR": str(settings.cache_dir), "POLICYQA_LLM_BASE_URL": ""}


def cli(*args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "ui.cli", *args]


def make_bomb_pdf(path: Path, inflated_mb: int = 100, image: bool = False) -> Path:
    """A one-page PDF of ~100 KB whose page content stream (or, with image=True, its one image)
    inflates to `inflated_mb` MiB: a decompression bomb, written by hand as no PDF library makes one."""
    import zlib

    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(b" " * 2**20) for _ in range(inflated_mb)) + packer.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    if image:
        side = int((inflated_mb * 2**20 // 3) ** 0.5)
        resources, content = b"/Resources << /XObject << /Im1 5 0 R >> >>", b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        extra = [b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
                 stream.replace(b"<< /Length", b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                                b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Length" % (side, side), 1)]
    else:
        resources, extra = b"", [stream]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s /Contents 4 0 R >>" % resources, *extra]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
