"""Word files (.docx): paragraphs and tables in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.errors import SkippedFile


def load_docx(path: Path) -> list[str]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise SkippedFile(path, f"corrupt or not a Word .docx file ({type(error).__name__}): re-save it from Word") from error
    except Exception as error:  # python-docx raises a variety of lxml/packaging errors
        raise SkippedFile(path, f"cannot be opened as .docx ({error}): re-save it from Word") from error

    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = [cell.text.strip().replace("\n", " ") for cell in row.cells]
                lines.append("\t".join(dict.fromkeys(cells)))  # merged cells repeat; keep one
    text = "\n".join(lines)
    if not text.strip():
        raise SkippedFile(path, "no text in this .docx (empty, or only images): OCR the images first")
    return [text]
