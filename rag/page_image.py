"""The original page of a cited clause, from the PDF itself, with the quoted text marked.

pypdfium2 renders the page and gives each character's box on it (`PdfTextPage.get_charbox`); the quote
is found in the page's characters with white space ignored and compatibility forms folded (the
clause text was normalized at ingest: ６７ → 67), so a quote broken over lines is marked on each line.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ingest.models import Clause

SCALE = 1.6  # ≈ 115 dpi: legible on a screen, light enough to send


def _fold(char: str) -> str:
    return "" if char.isspace() else unicodedata.normalize("NFKC", char)


def quote_boxes(textpage, quote: str) -> list[tuple[float, float, float, float]]:
    """Boxes (left, bottom, right, top, in PDF points) of the characters of the first match of `quote`
    on the page; its longest findable start if the whole is not found (e.g. it runs onto the next page)."""
    count = textpage.count_chars()
    folded, owners = [], []
    for index in range(count):
        for part in _fold(textpage.get_text_range(index, 1)):
            folded.append(part)
            owners.append(index)
    page_text = "".join(folded)
    wanted = "".join(_fold(c) for c in quote)
    for length in (len(wanted), 40, 20, 10):
        needle = wanted[:length]
        start = page_text.find(needle) if needle else -1
        if start >= 0:
            indexes = sorted(set(owners[start:start + len(needle)]))
            return [textpage.get_charbox(i) for i in indexes]
    return []


def page_image(source: Path | None, clause: Clause, quote: str):
    """A PIL image of the clause's first page with the quote marked, or None when the file is not a
    readable PDF or the page is out of range."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    if source is None or source.suffix.lower() != ".pdf" or not source.is_file() or not clause.page_start:
        return None
    pdf = pdfium.PdfDocument(str(source))
    try:
        if not 1 <= clause.page_start <= len(pdf):
            return None
        page = pdf[clause.page_start - 1]
        textpage = page.get_textpage()
        boxes = quote_boxes(textpage, quote)
        image = page.render(scale=SCALE).to_pil().convert("RGB")
        height = page.get_height()
        overlay = ImageDraw.Draw(image, "RGBA")
        for left, bottom, right, top in boxes:
            overlay.rectangle([left * SCALE - 1, (height - top) * SCALE - 1, right * SCALE + 1, (height - bottom) * SCALE + 1],
                              fill=(255, 214, 0, 96), outline=(214, 120, 0, 200))
        return image
    finally:
        pdf.close()
