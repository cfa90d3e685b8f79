"""PDF text, page by page. pypdf reads the text layer in a child process with a time and memory
limit; pages whose text layer is empty or nearly so (scans) are read by OCR (ingest.loaders.ocr)
in a second child process when `LoadOptions.ocr` is on.

pypdf's own decompression and stream-length limits stay on; the child process adds a wall-clock
limit and an address-space limit so one hostile or broken PDF cannot stall or exhaust an ingest.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from ingest.errors import SkippedFile
from ingest.loaders import ExtractedText, LoadOptions

_MEMORY_LIMIT = 2 * 1024**3
# A page with fewer visible characters than this in its text layer is read by OCR: a page number
# or a stamp added to a scan leaves a few, a page of policy text has hundreds. Its OCR text is
# kept only when it has more characters than the layer.
_NEAR_EMPTY = 20
# OCR runs in its own child process, not in the ingest process: pdfium is C code reading an
# untrusted file, and a rendered page plus the models needs a lot of memory, so a crash or a
# runaway page must cost this file only. It gets more address space than the text-layer reader
# (reading an A4 scan peaks at 1.7 GB of address space, 0.7 GB resident: the ONNX runtime and
# OpenCV reserve more than they use) and a per-page watchdog instead of one limit per file: a
# 40-page scan is slow, not stuck, as long as pages keep coming. A page takes 2-5 s on 2 cores
# (bench/bench_ocr.py); the limit leaves room for a machine busy with other work.
_OCR_MEMORY_LIMIT = 4 * 1024**3
_OCR_SECONDS_PER_PAGE = 120.0


def _limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


_BOMB = ("decompression bomb / stream too large: a stream on {where} inflates past pypdf's output limit: "
         "refused; re-export the PDF")


def _inflates_past_limit(page) -> bool:
    """Whether a stream of the page (its content, its images and forms) inflates past pypdf's output
    limit. extract_text() swallows that error and returns '', so a decompression bomb would read as
    a scan (and go to OCR); it is tested only on pages without text, where OCR would look next."""
    from pypdf.errors import LimitReachedError

    try:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for reference in (xobjects.get_object().values() if xobjects is not None else ()):
            stream = reference.get_object()
            if hasattr(stream, "get_data"):
                stream.get_data()
    except LimitReachedError:
        return True
    except Exception:  # other damage: judged by the text and OCR steps, as before
        return False
    return False


def _extract(path: str, max_pages: int, conn) -> None:
    _limit_memory(_MEMORY_LIMIT)
    try:
        from pypdf import PdfReader
        from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

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
        texts = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            if _visible(text) < _NEAR_EMPTY and _inflates_past_limit(page):
                conn.send(("error", _BOMB.format(where=f"page {number}")))
                return
            texts.append(text)
        conn.send(("ok", texts))
    except LimitReachedError:
        conn.send(("error", _BOMB.format(where="the document")))
    except MemoryError:
        conn.send(("error", f"needs more than {_MEMORY_LIMIT >> 30} GB of memory to read: abandoned"))
    except Exception as error:  # pypdf raises many kinds on damaged files
        conn.send(("error", f"corrupt or truncated PDF ({type(error).__name__}: {error}): re-export it"))


def _ocr(path: str, page_numbers: list[int], conn) -> None:
    _limit_memory(_OCR_MEMORY_LIMIT)
    try:
        from ingest.loaders.ocr import read_pdf_pages

        texts = read_pdf_pages(Path(path), page_numbers,
                               progress=lambda done, total, note: conn.send(("progress", done, total, note)))
        conn.send(("ok", texts))
    except MemoryError:
        conn.send(("error", f"OCR needs more than {_OCR_MEMORY_LIMIT >> 30} GB of memory: abandoned; "
                            "set POLICYQA_OCR=false to keep only the pages with a text layer"))
    except Exception as error:  # pdfium and the OCR engine on a page they cannot handle
        conn.send(("error", f"OCR failed ({type(error).__name__}: {error}); "
                            "set POLICYQA_OCR=false to keep only the pages with a text layer"))


def load_pdf(path: Path, max_pages: int, timeout: float) -> list[str]:
    """The text layer of every page ('' where there is none)."""
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
    return payload


def ocr_pdf(path: Path, page_numbers: list[int], options: LoadOptions) -> dict[int, str]:
    """OCR text of the given 1-based pages, read in a child process; progress reported per page."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_ocr, args=(str(path), page_numbers, sender), daemon=True)
    process.start()
    sender.close()
    wait = options.pdf_timeout + _OCR_SECONDS_PER_PAGE  # the first page also loads the models
    try:
        while True:
            if not receiver.poll(wait):
                raise SkippedFile(path, f"OCR read no page in {wait:.0f} s: abandoned; check the file, "
                                        "or set POLICYQA_OCR=false to keep only the pages with a text layer")
            message = receiver.recv()
            if message[0] != "progress":
                break
            if options.progress:
                options.progress(*message[1:])
            wait = _OCR_SECONDS_PER_PAGE
    except EOFError as error:
        raise SkippedFile(path, "the OCR reader crashed (likely out of memory): abandoned") from error
    finally:
        process.kill() if process.is_alive() else None
        process.join(5)
        receiver.close()
    status, payload = message
    if status == "error":
        raise SkippedFile(path, payload)
    return payload


def _visible(text: str) -> int:
    return sum(not c.isspace() for c in text)


def extract(path: Path, options: LoadOptions) -> ExtractedText:
    pages = load_pdf(path, options.max_pdf_pages, options.pdf_timeout)
    if not options.ocr:
        if sum(_visible(p) for p in pages) < _NEAR_EMPTY * len(pages) or not pages:
            raise SkippedFile(path, f"no text layer ({len(pages)} pages): it looks scanned; OCR it first, "
                                    "or set POLICYQA_OCR=true to read it with the bundled OCR model")
        return ExtractedText(pages, paged=True)
    if not pages:
        raise SkippedFile(path, "no pages in the PDF: re-export it")
    scanned = [number for number, text in enumerate(pages, start=1) if _visible(text) < _NEAR_EMPTY]
    ocr_pages = set()
    if scanned:
        for number, text in ocr_pdf(path, scanned, options).items():
            if _visible(text) > _visible(pages[number - 1]):
                pages[number - 1] = text
                ocr_pages.add(number)
    if sum(_visible(p) for p in pages) < _NEAR_EMPTY:
        raise SkippedFile(path, f"no text layer ({len(pages)} pages) and OCR found no text on them either: "
                                "check that the scan is legible")
    return ExtractedText(pages, paged=True, ocr_pages=frozenset(ocr_pages))
