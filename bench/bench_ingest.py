"""Ingest benchmark: the whole corpus into a fresh index, after set-up (model already converted).

    python bench/bench_ingest.py            # prints a table and one JSON line

Reports model load time, ingest time, chunks/s and peak resident memory of this process.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from ingest.embedding import Embedder
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest
    from ingest.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        started = time.perf_counter()
        embedder = Embedder(settings)
        load_s = time.perf_counter() - started
        index = PolicyIndex(settings, create=True)
        report = ingest([ROOT / "corpus"], settings, index, embedder)
        again = ingest([ROOT / "corpus"], settings, index, embedder)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "documents": report.count("added"),
        "chunks": report.chunks_written,
        "model_load_s": round(load_s, 2),
        "ingest_s": round(report.seconds, 2),
        "chunks_per_s": round(report.chunks_written / report.seconds, 1),
        "reingest_unchanged_s": round(again.seconds, 2),
        "peak_rss_mb": round(peak_mb),
    }
    for key, value in result.items():
        print(f"{key:>22}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
