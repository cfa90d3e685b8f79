"""Answer benchmark, no LLM: model load time, resident memory, latency over the question set.

    python bench/bench_answer.py            # needs an index: `policyqa ingest corpus ../shared/realdocs`

Each question of eval/questions.jsonl is asked twice. The first pass is cold: every candidate
sentence is embedded for the first time. The second pass is warm: the sentence vectors of the
clauses it meets are kept (as they are in a running app, where the same clauses recur).
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
    def timed() -> list[float]:
        timings = []
        for question in questions:
            t0 = time.perf_counter()
            assistant.ask(question)
            timings.append(1000 * (time.perf_counter() - t0))
        return sorted(timings)

    cold, warm = timed(), timed()
    result = {
        "questions": len(cold),
        "model_and_index_load_s": round(load_s, 2),
        "cold_median_ms": round(statistics.median(cold), 1),
        "cold_p95_ms": round(cold[int(0.95 * len(cold)) - 1], 1),
        "warm_median_ms": round(statistics.median(warm), 1),
        "warm_p95_ms": round(warm[int(0.95 * len(warm)) - 1], 1),
        "warm_max_ms": round(warm[-1], 1),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    for key, value in result.items():
        print(f"{key:>24}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
