"""Plain text and Markdown: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or GB18030/GBK, detected."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import SkippedFile
from ingest.loaders import ExtractedText, LoadOptions

_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\s·—…“”‘’]")


def _plausible_share(text: str) -> float:
    sample = text[:20000]
    return len(_PLAUSIBLE.findall(sample)) / max(len(sample), 1)


def _decode_marked(raw: bytes, name: str) -> str | None:
    """Text that starts with a UTF-32 or UTF-16 byte-order mark (Notepad's "Unicode"), decoded; None
    without such a mark. UTF-32 LE is tested first: its mark begins with UTF-16 LE's."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                text = raw[len(mark):].decode(encoding)
            except UnicodeDecodeError as error:
                raise SkippedFile(name, f"broken {encoding.upper()} text (byte {error.start + len(mark)}): "
                                        "re-save it as UTF-8") from error
            if _plausible_share(text) < 0.9:
                raise SkippedFile(name, f"binary data, not text (a {encoding.upper()} mark on bytes that are not "
                                        "text): export it as TXT, DOCX or PDF")
            return text
    return None


def decode_text(raw: bytes, name: str) -> str:
    """Decode bytes as UTF-8 or GB18030 (or UTF-16/32 with a byte-order mark); refuse binary data and
    text no encoding explains."""
    if (marked := _decode_marked(raw, name)) is not None:
        return marked
    if b"\x00" in raw[:8192]:
        raise SkippedFile(name, "binary data, not text (NUL bytes): export it as TXT, DOCX or PDF")
    controls = sum(1 for b in raw[:8192] if b < 32 and b not in (9, 10, 12, 13))
    if controls > 0.02 * min(len(raw), 8192):
        raise SkippedFile(name, "binary data, not text (control bytes): export it as TXT, DOCX or PDF")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible_share(text) >= 0.9:
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and _plausible_share(str(best)) >= 0.9:
        return str(best)
    raise SkippedFile(name, "undecodable text: not UTF-8 or GBK/GB18030; re-save it as UTF-8")


def load_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SkippedFile(path, f"cannot be read ({error.strerror})") from error
    text = decode_text(raw, path.name)
    if not text.strip():
        raise SkippedFile(path, "empty file (only whitespace)")
    return text


def extract(path: Path, options: LoadOptions) -> ExtractedText:
    return ExtractedText([load_text(path)], paged=False)
