"""Every kind of bad input gets a one-line reason naming the file; good input of every format loads."""

import codecs

import pytest

from ingest.errors import SkippedFile
from ingest.loaders import LoadOptions, load_file
from ingest.pipeline import parse_document
from tests.helpers import SAMPLE_NOTICE, make_bomb_pdf, make_docx, make_pdf, make_scanned_pdf

MB = 1024 * 1024


def _load(path):
    return load_file(path, max_bytes=5 * MB, options=LoadOptions(max_pdf_pages=50, pdf_timeout=60))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_text_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / "notice.txt"
    path.write_bytes(SAMPLE_NOTICE.encode(encoding))
    assert "测试产业" in _load(path).pages[0]


def test_gbk_text_parses_like_utf8(tmp_path, settings):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE_NOTICE.encode("gbk"))
    parsed = parse_document(path, settings)
    assert parsed.document.doc_number == "达市府办发〔2024〕9号"
    assert parsed.document.title == "达州市测试产业发展工作方案"


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n ", "empty file"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type '.pptx'"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
        ("garbage.txt", bytes(range(256)) * 8, "binary data"),
        ("latin.txt", "Ça coûte très cher là-bas ÿ".encode("cp1252") * 3 + b"\x81\x8d\x8f\x90\x9d" * 40, "undecodable text"),
        ("broken.docx", b"PK\x03\x04 this is not a zip", "re-save it from Word"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "corrupt or truncated PDF"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkippedFile, match=reason) as raised:
        _load(path)
    assert name in str(raised.value)


def test_too_large_file(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("政策".encode() * MB)
    with pytest.raises(SkippedFile, match="too large"):
        _load(path)


def test_pdf_keeps_pages(tmp_path, settings):
    pdf = make_pdf(tmp_path / "notice.pdf", [
        "达州市人民政府办公室\n关于印发达州市测试产业发展工作方案的通知\n达市府办发〔2024〕9号\n一、总体要求\n到2026年，全市测试产业规模达到50亿元。",
        "二、重点任务\n（一）培育无人机测试基地。支持宣汉县建设无人机飞行测试场。",
    ])
    parsed = parse_document(pdf, settings)
    clauses = {c.path: c for c in parsed.clauses}
    assert parsed.document.pages == 2
    assert clauses["一、"].page_start == 1
    assert (clauses["二、（一）"].page_start, clauses["二、（一）"].page_end) == (2, 2)
    assert clauses["二、（一）"].pages == "第2页"


def test_encrypted_pdf(tmp_path):
    pdf = make_pdf(tmp_path / "secret.pdf", ["一、总体要求\n保密内容。"], password="s3cret")
    with pytest.raises(SkippedFile, match="encrypted PDF"):
        _load(pdf)


def test_pdf_without_text_layer_looks_scanned(tmp_path):
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", pages=3)
    with pytest.raises(SkippedFile, match=r"no text layer \(3 pages\): it looks scanned; OCR it first"):
        load_file(pdf, max_bytes=5 * MB, options=LoadOptions(ocr=False))
    with pytest.raises(SkippedFile, match=r"no text layer \(3 pages\) and OCR found no text"):
        _load(pdf)  # OCR on (the default) reads the pages and finds nothing legible


def test_truncated_real_pdf(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", ["一、总体要求\n内容。"] * 3)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 3])
    with pytest.raises(SkippedFile, match="corrupt or truncated PDF|no text layer"):
        _load(cut)


def test_docx_paragraphs_and_tables(tmp_path, settings):
    path = make_docx(tmp_path / "notice.docx", SAMPLE_NOTICE.splitlines(),
                     table=[["指标", "2025年"], ["产值（亿元）", "50"]])
    parsed = parse_document(path, settings)
    clauses = {c.path: c for c in parsed.clauses}
    assert parsed.document.doc_number == "达市府办发〔2024〕9号"
    assert clauses["二、（一）"].lead_unit == "市经信局"
    assert "产值（亿元）\t50" in clauses["二、（二）"].text


def test_pdf_with_only_an_owner_password_opens(tmp_path):
    pdf = make_pdf(tmp_path / "locked.pdf", ["一、总体要求\n可以阅读但不能编辑的文件内容。"], password="")
    assert "可以阅读" in "".join(_load(pdf).pages)


@pytest.mark.parametrize("encoding, mark", [
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_utf16_and_utf32_text_with_a_byte_order_mark_is_read(tmp_path, encoding, mark):
    path = tmp_path / "unicode.txt"  # Notepad's "Unicode" save
    path.write_bytes(mark + SAMPLE_NOTICE.encode(encoding))
    assert _load(path).pages[0] == SAMPLE_NOTICE


def test_broken_utf16_text_says_so(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + SAMPLE_NOTICE.encode("utf-16-le")[:-1])
    with pytest.raises(SkippedFile, match=r"broken UTF-16-LE text .*re-save it as UTF-8"):
        _load(path)


def test_too_large_names_the_real_limit_in_binary_megabytes(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * MB + 1)  # sparse: nothing is written, and nothing may be read
    with pytest.raises(SkippedFile, match=r"too large \(50\.0 MB > 50 MB\): split it or raise POLICYQA_MAX_FILE_MB"):
        load_file(path, max_bytes=50 * MB)


@pytest.mark.parametrize("image", [False, True], ids=["content-stream", "image"])
@pytest.mark.parametrize("ocr", [False, True], ids=["ocr-off", "ocr-on"])
def test_pdf_decompression_bomb_is_called_one(tmp_path, image, ocr):
    bomb = make_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=100, image=image)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(SkippedFile, match=r"decompression bomb / stream too large: a stream on page 1 ") as raised:
        load_file(bomb, max_bytes=5 * MB, options=LoadOptions(ocr=ocr))
    assert "scanned" not in raised.value.reason and "OCR" not in raised.value.reason
