"""Word files (.docx): paragraphs, tables, text boxes and embedded HTML/MHT parts in document order.

Some .docx files (made by web exporters and converters) carry their body as an embedded web page
referenced by `w:altChunk`; those parts are read with the web-page loader's `html_to_lines`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.errors import SkippedFile
from ingest.loaders import ExtractedText, LoadOptions

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Inside a paragraph: deleted text, and the VML copy Word keeps of every drawing (mc:Fallback),
# are not text; a text box (w:txbxContent) is read after its paragraph, as lines of its own.
_NOT_PARAGRAPH_TEXT = frozenset((f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", _MC_FALLBACK,
                                 f"{_W}pPr", f"{_W}rPr"))
# Body-level elements that only wrap paragraphs and tables.
_BLOCK_WRAPPERS = frozenset((f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"))
_WORD_PACKAGE = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


def _paragraph_text(paragraph) -> str:
    """The runs of a paragraph, including those in hyperlinks, content controls, fields and tracked
    insertions (python-docx's Paragraph.text reads only direct runs and hyperlinks)."""
    parts = []
    for child in paragraph.iterchildren():
        if not isinstance(child.tag, str) or child.tag in _NOT_PARAGRAPH_TEXT:
            continue
        if child.tag == f"{_W}r":
            parts.append(child.text or "")  # python-docx's CT_R.text: w:t, w:tab, w:br, w:cr …
        else:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _text_boxes(paragraph) -> list:
    """Text boxes anchored in a paragraph, each once: the mc:Choice (DrawingML) copy, not the VML
    one in mc:Fallback, and not boxes nested in another box (read with that box)."""
    boxes = []
    for box in paragraph.iter(f"{_W}txbxContent"):
        between = []
        for ancestor in box.iterancestors():
            if ancestor is paragraph:
                break
            between.append(ancestor.tag)
        if _MC_FALLBACK not in between and f"{_W}txbxContent" not in between:
            boxes.append(box)
    return boxes


def _alt_chunk_lines(element, part, unread: list[str]) -> list[str]:
    """An embedded part (w:altChunk): MHT or HTML page, plain text, or another .docx."""
    from ingest.loaders.html import decode_html, html_from_mime, html_to_lines, is_mime
    from ingest.loaders.text import decode_text

    chunk = part.related_parts.get(element.get(_R_ID))
    if chunk is None:
        return []
    name, content_type, blob = str(chunk.partname), chunk.content_type, chunk.blob
    suffix = name.rsplit(".", 1)[-1].lower()
    try:
        if content_type in ("message/rfc822", "multipart/related") or suffix in ("mht", "mhtml") or is_mime(blob):
            return html_to_lines(html_from_mime(blob, name), strip_chrome=False)
        if content_type in ("text/html", "application/xhtml+xml") or suffix in ("htm", "html", "xhtml"):
            return html_to_lines(decode_html(blob, name), strip_chrome=False)
        if content_type == "text/plain" or suffix == "txt":
            return decode_text(blob, name).splitlines()
        if content_type in _WORD_PACKAGE or suffix in ("docx", "docm", "dotx"):
            import docx

            lines: list[str] = []
            inner = docx.Document(io.BytesIO(blob))
            _block_lines(inner.element.body, inner, lines, unread)
            return lines
    except SkippedFile as error:
        unread.append(f"{name} ({error.reason})")
        return []
    except Exception as error:  # a broken embedded package: python-docx raises lxml/packaging errors
        unread.append(f"{name} ({type(error).__name__})")
        return []
    unread.append(f"{name} ({content_type})")
    return []


def _block_lines(container, document, lines: list[str], unread: list[str]) -> None:
    from docx.table import Table

    for block in container.iterchildren():
        tag = block.tag
        if tag == f"{_W}p":
            lines.append(_paragraph_text(block))
            for box in _text_boxes(block):
                _block_lines(box, document, lines, unread)
        elif tag == f"{_W}tbl":
            for row in Table(block, document).rows:
                cells = [cell.text.strip().replace("\n", " ") for cell in row.cells]
                lines.append("\t".join(dict.fromkeys(cells)))  # merged cells repeat; keep one
        elif tag == f"{_W}altChunk":
            lines.extend(_alt_chunk_lines(block, document.part, unread))
        elif tag in _BLOCK_WRAPPERS:
            _block_lines(block, document, lines, unread)


def load_docx(path: Path) -> list[str]:
    try:
        import docx

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SkippedFile(path, f"corrupt or not a Word .docx file ({type(error).__name__}): re-save it from Word") from error
    except Exception as error:  # python-docx raises a variety of lxml/packaging errors
        raise SkippedFile(path, f"cannot be opened as .docx ({error}): re-save it from Word") from error

    lines: list[str] = []
    unread: list[str] = []
    _block_lines(document.element.body, document, lines, unread)
    text = "\n".join(lines)
    if not text.strip():
        if unread:
            raise SkippedFile(path, f"no readable text: the body is an embedded part this loader cannot read "
                                    f"({'; '.join(unread)}): open it in Word and save it as .docx again")
        raise SkippedFile(path, "no text in this .docx (empty, or only images): OCR the images first")
    return [text]


def extract(path: Path, options: LoadOptions) -> ExtractedText:
    return ExtractedText(load_docx(path), paged=False)
