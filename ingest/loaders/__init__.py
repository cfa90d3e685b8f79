"""One loader per format. Each returns the extracted pages or raises SkippedFile with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.errors import SkippedFile


@dataclass(frozen=True)
class ExtractedText:
    pages: list[str]
    paged: bool  # True when page numbers are real (PDF)


SUPPORTED = (".txt", ".md", ".pdf", ".docx")


def load_file(path: Path, max_bytes: int, max_pdf_pages: int, pdf_timeout: float = 60.0) -> ExtractedText:
    """Read one file; every failure is a SkippedFile naming the file and what to do."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        hint = "save it as .docx" if suffix in (".doc", ".wps") else "use PDF, DOCX, TXT or MD"
        raise SkippedFile(path, f"unsupported file type '{suffix or '(none)'}': {hint}")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SkippedFile(path, f"cannot be read ({error.strerror})") from error
    if size == 0:
        raise SkippedFile(path, "empty file (0 bytes)")
    if size > max_bytes:
        raise SkippedFile(path, f"too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB): split it or raise POLICYQA_MAX_FILE_MB")

    if suffix in (".txt", ".md"):
        from ingest.loaders.text import load_text

        return ExtractedText([load_text(path)], paged=False)
    if suffix == ".docx":
        from ingest.loaders.docx import load_docx

        return ExtractedText(load_docx(path), paged=False)
    from ingest.loaders.pdf import load_pdf

    return ExtractedText(load_pdf(path, max_pdf_pages, pdf_timeout), paged=True)
