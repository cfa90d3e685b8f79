"""Legacy Word files (.doc, Word 97–2003) through antiword or catdoc when one is installed.

Files named .doc are often something else that a site or an exporter renamed: a .docx package or
a web page / MHT archive ("Word 网页") go to the loader that reads what they are. RTF is refused
(catdoc reads its Chinese \\'xx escapes as Western text). Without a converter the file is skipped
with the advice to save it as .docx.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ingest.errors import SkippedFile
from ingest.loaders import _SAVE_AS, ExtractedText, LoadOptions

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Converters in order of preference, with the arguments that give UTF-8 and one line per paragraph.
# antiword leaves out text deleted under track changes; catdoc writes table cells separated by tabs.
CONVERTERS = (
    ("antiword", ("-m", "UTF-8.txt", "-w", "0")),
    ("catdoc", ("-d", "utf-8", "-w")),
)
_TIMEOUT = 60.0  # seconds; both tools read a normal .doc in well under one
_SAVE_AS_DOCX = _SAVE_AS[".doc"]


def _antiword_table_row(line: str) -> str:
    """antiword writes table rows as |cell |cell |; the other loaders use tab-separated cells."""
    if len(line) > 2 and line.startswith("|") and line.endswith("|"):
        return "\t".join(cell.strip() for cell in line[1:-1].split("|"))
    return line


def _convert(path: Path) -> str:
    available = [(tool, args) for tool, args in CONVERTERS if shutil.which(tool)]
    if not available:
        raise SkippedFile(path, f"old Word format (97–2003) and neither antiword nor catdoc is installed: "
                                f"{_SAVE_AS_DOCX}, or install antiword")
    failures = []
    for tool, args in available:
        try:
            done = subprocess.run([tool, *args, str(path)], capture_output=True, timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            failures.append(f"{tool}: no result after {_TIMEOUT:.0f} s")
            continue
        text = done.stdout.decode("utf-8", errors="replace")
        if done.returncode == 0 and text.strip():
            if tool == "antiword":
                text = "\n".join(_antiword_table_row(line) for line in text.splitlines())
            return text
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        if done.returncode < 0:
            failures.append(f"{tool}: crashed (signal {-done.returncode})")
        else:
            failures.append(f"{tool}: {message[-1] if message else 'no text'}")
    raise SkippedFile(path, f"cannot be read as a Word 97–2003 .doc ({'; '.join(failures)}): {_SAVE_AS_DOCX}")


def load_doc(path: Path) -> ExtractedText:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise SkippedFile(path, f"cannot be read ({error.strerror})") from error
    if head.startswith(b"PK\x03\x04"):  # a .docx with the old name
        from ingest.loaders.docx import load_docx

        return ExtractedText(load_docx(path), paged=False)
    from ingest.loaders.html import is_mime, load_html

    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<") or is_mime(stripped):  # a web page or MHT saved as .doc
        return ExtractedText([load_html(path)], paged=False)
    if stripped.startswith(b"{\\rtf"):
        raise SkippedFile(path, f"RTF text with a .doc name: {_SAVE_AS_DOCX}")
    if not head.startswith(_OLE_SIGNATURE):
        raise SkippedFile(path, f"not a Word document (no Word 97–2003 or web page signature): {_SAVE_AS_DOCX}")
    return ExtractedText([_convert(path)], paged=False)


def extract(path: Path, options: LoadOptions) -> ExtractedText:
    return load_doc(path)
