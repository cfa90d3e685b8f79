"""Answer benchmark, no LLM: model load time, resident memory, latency over the question set.

    python bench/bench_answer.py            # needs an index: run `policyqa ingest corpus` first

Each question of eval/questions.jsonl is asked once after a warm-up; figures are for distinct
questions (no answer or embedding cache).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from eval.dataset import load_questions
    from ingest.settings import Settings
    from rag.assistant import Assistant

    started = time.perf_counter()
    assistant = Assistant(Settings())
    load_s = time.perf_counter() - started
    questions = [q.question for q in load_questions()]
    for question in questions[:3]:
        assistant.ask(question)  # warm-up: lazy imports, first allocations
    timings = []
    for question in questions:
        t0 = time.perf_counter()
        assistant.ask(question)
        timings.append(1000 * (time.perf_counter() - t0))
    timings.sort()
    result = {
        "questions": len(timings),
        "model_and_index_load_s": round(load_s, 2),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
