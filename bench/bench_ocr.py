"""OCR benchmark: N scanned pages of a notice (made as tests/ingest/test_ocr.py makes them: red
header, seal, 16 pt body, JPEG at 200 dpi, no text layer) read by ingest.loaders.ocr.

    python bench/bench_ocr.py                 # 5 pages at the default render dpi
    python bench/bench_ocr.py --pages 10 --dpi 300

Prints a table and one JSON line: engine load time, pages/s of the OCR itself (render + detect +
recognise, in this process) and its CPU seconds a page (all threads: the figure to compare on a
busy machine), pages/s through the PDF loader (child processes included, as an ingest sees it),
and character accuracy (1 - edit distance / printed length) per page, mean and lowest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from ingest.loaders import LoadOptions, load_file
    from ingest.loaders import ocr
    from tests.ingest.test_ocr import NOTICE_PAGES, character_accuracy, make_scan_pdf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5, help="scanned pages to read (default 5)")
    parser.add_argument("--dpi", type=int, default=ocr.RENDER_DPI, help="render resolution")
    args = parser.parse_args()
    if args.pages < 1:
        parser.error(f"--pages must be at least 1, got {args.pages}")

    with tempfile.TemporaryDirectory() as tmp:
        pages = [NOTICE_PAGES[i % len(NOTICE_PAGES)] for i in range(args.pages)]
        path, printed = make_scan_pdf(Path(tmp) / "scan.pdf", pages=pages)

        started = time.perf_counter()
        ocr._engine()
        load_s = time.perf_counter() - started

        started, cpu_started = time.perf_counter(), time.process_time()
        texts = ocr.read_pdf_pages(path, range(1, args.pages + 1), dpi=args.dpi)
        ocr_s, ocr_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started

        loader_s = None
        if args.dpi == ocr.RENDER_DPI:  # the loader always renders at the default
            started = time.perf_counter()
            extracted = load_file(path, 200 * 2**20, LoadOptions(max_pdf_pages=10_000))
            loader_s = time.perf_counter() - started
            assert extracted.ocr_pages == set(range(1, args.pages + 1)), extracted.ocr_pages

    accuracy = [character_accuracy(texts[n], "\n".join(printed[n - 1])) for n in range(1, args.pages + 1)]
    result = {
        "pages": args.pages,
        "dpi": args.dpi,
        "cores": os.cpu_count(),
        "load_avg_1min": round(os.getloadavg()[0], 2),
        "engine_load_s": round(load_s, 2),
        "ocr_s_per_page": round(ocr_s / args.pages, 2),
        "ocr_pages_per_s": round(args.pages / ocr_s, 3),
        "ocr_cpu_s_per_page": round(ocr_cpu_s / args.pages, 2),  # all threads; independent of load
        "loader_pages_per_s": round(args.pages / loader_s, 3) if loader_s else None,
        "char_accuracy_mean": round(statistics.mean(accuracy), 4),
        "char_accuracy_min": round(min(accuracy), 4),
    }
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
