from ingest.models import Clause
from rag.page_image import page_image, quote_boxes
from tests.helpers import make_pdf


def test_the_quoted_text_is_found_and_marked_on_the_pdf_page(tmp_path):
    import pypdfium2 as pdfium

    pdf = make_pdf(tmp_path / "通知.pdf", ["一、目标\n建成加氢站5座。", "二、任务\n在宣汉县布局氢燃料电池生产基地，带动上下游企业。"])
    quote = "在宣汉县布局氢燃料电池生产基地"
    with pdfium.PdfDocument(str(pdf)) as opened:
        boxes = quote_boxes(opened[1].get_textpage(), quote)
    assert len(boxes) == len(quote)
    image = page_image(pdf, Clause("二、", "任务", quote, page_start=2), quote)
    marked = [pixel for pixel in _pixels(image) if pixel[2] < 150 and pixel[0] > 200 and pixel[1] > 150]
    assert image.width > 500 and marked  # the yellow mark is drawn
    assert page_image(pdf, Clause("二、", "任务", quote, page_start=9), quote) is None
    assert page_image(tmp_path / "a.txt", Clause("二、", "任务", quote, page_start=1), quote) is None


def _pixels(image):
    data = image.tobytes()
    return [tuple(data[i:i + 3]) for i in range(0, len(data), 3)]
