"""PDF text with pypdf, page by page, in a child process with a time and memory limit.

pypdf's own decompression and stream-length limits stay on; the child process adds a wall-clock
limit and an address-space limit so one hostile or broken PDF cannot stall or exhaust an ingest.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from ingest.errors import SkippedFile

_MEMORY_LIMIT = 2 * 1024**3


def _extract(path: str, max_pages: int, conn) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass
    try:
        from pypdf import PdfReader
        from pypdf.errors import FileNotDecryptedError, PdfReadError

        try:
            reader = PdfReader(path)
        except PdfReadError as error:
            conn.send(("error", f"corrupt or truncated PDF ({error}): re-export it"))
            return
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise FileNotDecryptedError("password required")
            except Exception:
                conn.send(("error", "encrypted PDF (password protected): remove the password and add it again"))
                return
        count = len(reader.pages)
        if count > max_pages:
            conn.send(("error", f"{count} pages is more than POLICYQA_MAX_PDF_PAGES={max_pages}: split the file"))
            return
        conn.send(("ok", [page.extract_text() or "" for page in reader.pages]))
    except MemoryError:
        conn.send(("error", f"needs more than {_MEMORY_LIMIT >> 30} GB of memory to read: abandoned"))
    except Exception as error:  # pypdf raises many kinds on damaged files
        conn.send(("error", f"corrupt or truncated PDF ({type(error).__name__}: {error}): re-export it"))


def load_pdf(path: Path, max_pages: int, timeout: float) -> list[str]:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_extract, args=(str(path), max_pages, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise SkippedFile(path, f"reading took longer than {timeout:.0f} s: abandoned; check the file or split it")
        status, payload = receiver.recv()
    except EOFError as error:
        raise SkippedFile(path, "the PDF reader crashed (likely out of memory): abandoned") from error
    finally:
        process.kill() if process.is_alive() else None
        process.join(5)
        receiver.close()
    if status == "error":
        raise SkippedFile(path, payload)
    pages: list[str] = payload
    if sum(len(p.strip()) for p in pages) < 20 * len(pages) or not pages:
        raise SkippedFile(
            path, f"no text layer ({len(pages)} pages): it looks scanned; OCR it first"
        )
    return pages
