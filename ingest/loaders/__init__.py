"""One loader per format, found by file suffix in `LOADERS`. Each returns the extracted pages or
raises SkippedFile with a reason. A new format is one module plus one line here."""

from __future__ import annotations

import importlib
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import SkippedFile


@dataclass(frozen=True)
class LoadOptions:
    """What a loader may need beyond the path (from Settings)."""

    max_pdf_pages: int = 500
    pdf_timeout: float = 60.0
    ocr: bool = True  # read pages without a text layer with the bundled OCR model
    progress: object = None  # callable(done_pages, total_pages, note) or None


@dataclass(frozen=True)
class ExtractedText:
    pages: list[str]
    paged: bool  # True when page numbers are real (PDF)
    ocr_pages: frozenset[int] = field(default_factory=frozenset)  # 1-based pages read by OCR


# suffix → "module:function"; the function takes (path, options) and returns ExtractedText.
LOADERS = {
    ".txt": "ingest.loaders.text:extract",
    ".md": "ingest.loaders.text:extract",
    ".pdf": "ingest.loaders.pdf:extract",
    ".docx": "ingest.loaders.docx:extract",
    ".doc": "ingest.loaders.doc:extract",
    ".html": "ingest.loaders.html:extract",
    ".htm": "ingest.loaders.html:extract",
    ".shtml": "ingest.loaders.html:extract",
    ".mht": "ingest.loaders.html:extract",
    ".mhtml": "ingest.loaders.html:extract",
}
SUPPORTED = tuple(LOADERS)
_SAVE_AS = {".doc": "save it as .docx in Word or WPS", ".wps": "save it as .docx in WPS"}


def unsupported_type(path: Path) -> str | None:
    """Why no loader reads this file's type, or None when one does."""
    suffix = path.suffix.lower()
    if suffix in LOADERS:
        return None
    hint = _SAVE_AS.get(suffix, "use PDF, DOCX, HTML, TXT or MD")
    return f"unsupported file type '{suffix or '(none)'}': {hint}"


def check_file(path: Path, max_bytes: int) -> int:
    """The file's size, after refusing from its name and `stat` alone (nothing is read) what no loader
    should open: an unsupported type, something not a regular file, an empty or too large file.
    Sizes are binary megabytes (MiB) throughout, so POLICYQA_MAX_FILE_MB=50 reads "> 50 MB"."""
    if reason := unsupported_type(path):
        raise SkippedFile(path, reason)
    try:
        info = path.stat()
    except OSError as error:
        raise SkippedFile(path, f"cannot be read ({error.strerror})") from error
    if not stat.S_ISREG(info.st_mode):
        raise SkippedFile(path, "not a regular file (a folder, pipe or device): not read")
    if info.st_size == 0:
        raise SkippedFile(path, "empty file (0 bytes)")
    if info.st_size > max_bytes:
        raise SkippedFile(path, f"too large ({info.st_size / 2**20:.1f} MB > {max_bytes / 2**20:.0f} MB): "
                                "split it or raise POLICYQA_MAX_FILE_MB")
    return info.st_size


def load_file(path: Path, max_bytes: int, options: LoadOptions | None = None) -> ExtractedText:
    """Read one file; every failure is a SkippedFile naming the file and what to do."""
    check_file(path, max_bytes)
    module, function = LOADERS[path.suffix.lower()].split(":")
    return getattr(importlib.import_module(module), function)(path, options or LoadOptions())
