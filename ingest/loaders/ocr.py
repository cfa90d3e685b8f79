"""Text of scanned PDF pages: pypdfium2 renders a page, the PP-OCR models bundled in the
rapidocr_onnxruntime wheel read it, and the text boxes are put back into lines in reading order.

This is the only module that imports rapidocr_onnxruntime or pypdfium2, both lazily; the OCR
engine is built once per process. Nothing is downloaded: the detection, direction and recognition
models (ch_PP-OCRv4 det/rec, ch_ppocr_mobile_v2.0 cls) are files inside the wheel.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# 200 dpi: body text of a notice (三号/16 pt) is then ~44 px high, close to the 48 px lines the
# recognition model reads, so crops are barely rescaled, and small print (小五/9 pt) is ~25 px.
# The cost hardly depends on it (detection runs at a fixed size, recognition at a fixed line
# height): 150, 200 and 250 dpi all took ~4.5 CPU-s a page and read the test pages (16 pt, also
# blurred and noisy; 9 pt) without error. 200 leaves a margin for worse scans than those.
RENDER_DPI = 200
# An A4 page at 200 dpi is 1654 x 2339 px and stays whole; a larger page (A3, a poster) is rendered
# smaller so that its longest side is this many pixels: memory stays bounded and the engine does
# not shrink it again (its own default limit is 2000 px).
MAX_SIDE_PX = 2400
# The detector looks at the page scaled so that its longest side is this many pixels; the lines it
# finds are then cut from the full-resolution page for recognition. At 1280 px a line of body text
# is still ~25 px high. Measured on 2 cores (tests/ingest/test_ocr.py pages, clean, noisy and
# low-resolution): 960 px 3.7, 1280 px 4.4, 1600 px 5.7, full page (the engine's 2000) 7.7 CPU-s
# a page, the same accuracy within a point, 1280 the best of them on the noisy pages.
DETECT_SIDE_PX = 1280
# Recognised text below this confidence is dropped (the engine's default): seal rims, specks.
MIN_SCORE = 0.5

# Known confusions of the recognition model, repaired where the intended text is certain:
# the year brackets of a 文号 come back mismatched (〔2024】), which no 文号 pattern accepts.
_OCR_FIXES = (
    (re.compile(r"〔(\d{4})[】\]］]"), r"〔\1〕"),
    (re.compile(r"[【\[［](\d{4})〕"), r"〔\1〕"),
)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class TextBox:
    """One run of text found on a page image, with its bounding box in pixels."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@functools.cache
def _engine():
    """The OCR engine, built once per process (loading the three models takes about a second)."""
    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    engine = RapidOCR(max_side_len=MAX_SIDE_PX, text_score=MIN_SCORE)
    # rapidocr_onnxruntime 1.4 ignores det_limit_side_len for pages over 1500 px (it detects at
    # 2000 px or at full size): set the detector's input size here instead.
    detector = engine.text_det
    detector.get_preprocess = lambda _longest_side: DetPreProcess(
        DETECT_SIDE_PX, "max", detector.mean, detector.std)
    return engine


def read_image(image) -> list[TextBox]:
    """Text boxes found on one page image (a BGR or grayscale numpy array)."""
    result, _ = _engine()(image)
    boxes = []
    for points, text, _score in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if text.strip():
            boxes.append(TextBox(text.strip(), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _vertical_overlap(box: TextBox, top: float, bottom: float) -> float:
    """How much of the shorter of the two spans they share, 0..1."""
    shared = min(box.bottom, bottom) - max(box.top, top)
    return max(shared, 0.0) / max(min(box.height, bottom - top), 1.0)


def reading_order_lines(boxes: Iterable[TextBox]) -> list[str]:
    """Boxes → text lines, top to bottom and left to right within a line, one printed line each.

    A box belongs to a line when it shares at least half of its height with it (a slightly
    skewed scan still keeps a line together). Boxes far apart on one line (a signature and a
    date, table cells) are joined with a space, as a text layer would give them. A line that
    starts well right of the page's left margin (a paragraph's first-line indent, a centred
    title) gets a two-space indent, and a gap of more than an empty line's height (after the
    title, before the signature) an empty line: the paragraph joiner in ingest.normalize reads
    both as paragraph starts.
    """
    rows: list[list[TextBox]] = []
    spans: list[tuple[float, float]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        # A box can only belong to one of the last lines: boxes come in order of their centre.
        best = max(range(max(len(rows) - 2, 0), len(rows)),
                   key=lambda i: _vertical_overlap(box, *spans[i]), default=None)
        if best is not None and _vertical_overlap(box, *spans[best]) >= 0.5:
            rows[best].append(box)
            top, bottom = spans[best]
            spans[best] = (min(top, box.top), max(bottom, box.bottom))
        else:
            rows.append([box])
            spans.append((box.top, box.bottom))
    if not rows:
        return []
    char_height = statistics.median(b.height for row in rows for b in row)
    # The left margin: where most lines start (the lowest quarter of line starts, so that
    # indented and centred lines do not move it).
    starts = sorted(min(b.left for b in row) for row in rows)
    margin = starts[len(starts) // 4]
    lines = []
    for number, row in enumerate(rows):
        if number and spans[number][0] - spans[number - 1][1] > 1.5 * char_height:
            lines.append("")
        row.sort(key=lambda b: b.left)
        text = row[0].text
        for previous, box in zip(row, row[1:]):
            gap = box.left - previous.right
            text += (" " if gap > char_height else "") + box.text
        for pattern, replacement in _OCR_FIXES:
            text = pattern.sub(replacement, text)
        indent = "  " if row[0].left - margin > 1.2 * char_height else ""
        lines.append(indent + text)
    return lines


def _render(page, dpi: int):
    width, height = page.get_size()  # points, 1/72 inch
    scale = min(dpi / 72, MAX_SIDE_PX / max(width, height, 1.0))
    bitmap = page.render(scale=scale)  # BGR, the channel order the engine expects for arrays
    try:
        return bitmap.to_numpy().copy()
    finally:
        bitmap.close()


def read_pdf_pages(path: Path, page_numbers: Iterable[int], progress: Progress | None = None,
                   dpi: int = RENDER_DPI) -> dict[int, str]:
    """OCR the given 1-based pages of a PDF: {page number: text, one printed line per line}.

    `progress(done, total, note)` is called after each page. Raises what pypdfium2 raises for a
    file it cannot open (pypdfium2.PdfiumError); the caller names the file.
    """
    import pypdfium2

    wanted = sorted(set(page_numbers))
    texts: dict[int, str] = {}
    document = pypdfium2.PdfDocument(str(path))
    try:
        for done, number in enumerate(wanted, start=1):
            page = document[number - 1]
            try:
                image = _render(page, dpi)
            finally:
                page.close()
            texts[number] = "\n".join(reading_order_lines(read_image(image)))
            if progress:
                progress(done, len(wanted), f"OCR {path.name} 第{number}页")
    finally:
        document.close()
    return texts
