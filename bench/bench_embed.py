"""Embedding benchmark: the corpus's chunks embedded one document per call, as ingest does.

    python bench/bench_embed.py [--repeats 2]     # prints a table and one JSON line

Paths: (a) the encoder before this change (sentence-transformers `encode`, 16 chunks a call),
(b) fp32 on length-sorted, token-budgeted batches, (c) the int8 ONNX Runtime build (built and
validated at first use, in the model folder under POLICYQA_CACHE_DIR). Each path runs `--repeats`
times, interleaved, and its best time counts (the machine may be shared). Agreement with (a): cosine
of each chunk's two vectors, and dense-only hit@5 of the corpus questions in eval/questions.jsonl
(a hit: one of the five nearest chunks is a gold clause), with the share of questions whose top 5
are the same set and their mean overlap.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus_chunks(settings):
    from ingest.chunking import chunk_document
    from ingest.pipeline import parse_document

    documents = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        documents.append((path.name, chunk_document(parse_document(path, settings), settings.chunk_chars)))
    return documents


def hits_at_5(passages: np.ndarray, queries: np.ndarray, gold: list[set[int]]) -> tuple[np.ndarray, list[set]]:
    top = np.argsort(-(queries @ passages.T), axis=1, kind="stable")[:, :5]
    return np.array([bool(set(t) & g) for t, g in zip(top.tolist(), gold)]), [set(t) for t in top.tolist()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    from eval.dataset import load_questions
    from ingest.embedding import Embedder
    from ingest.onnx_encoder import available_cores
    from ingest.settings import Settings

    settings = Settings()
    documents = corpus_chunks(settings)
    chunks = [c for _, doc in documents for c in doc]
    embedder = Embedder(settings)
    started = time.perf_counter()
    encoder = embedder.prepare_passages()
    prepare_s = time.perf_counter() - started
    model = embedder._model  # the path before this change, for comparison only

    def today(texts):
        return model.encode(texts, prompt_name=embedder._passage_prompt, batch_size=16, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    paths = {
        "(a) today: sentence-transformers encode": today,
        "(b) fp32, length-sorted batches": lambda texts: embedder._embed_fp32(texts, settings.embed_batch_size),
    }
    if encoder == "onnxruntime-int8":
        paths["(c) int8 ONNX Runtime, length-sorted"] = lambda texts: embedder.embed_passages(
            texts, settings.embed_batch_size)
    for run in paths.values():  # warm up: first calls allocate and pick kernels
        run([c.embed_text for c in chunks[:8]])

    vectors, best = {}, {name: float("inf") for name in paths}
    for _ in range(args.repeats):
        for name, run in paths.items():
            started = time.perf_counter()
            per_document = [run([c.embed_text for c in doc]) for _, doc in documents]
            best[name] = min(best[name], time.perf_counter() - started)
            vectors[name] = np.concatenate(per_document)

    position = {(source, c.clause_path): [] for source, doc in documents for c in doc}
    for i, (source, chunk) in enumerate((s, c) for s, doc in documents for c in doc):
        position[(source, chunk.clause_path)].append(i)
    questions = [q for q in load_questions() if q.collection == "corpus" and q.answerable and q.gold]
    gold = [{i for g in q.gold for (source, path), ids in position.items()
             if source == g.source and (path == g.clause_path or path.startswith(g.clause_path)) for i in ids}
            for q in questions]
    keep = [k for k, g in enumerate(gold) if g]
    questions, gold = [questions[k] for k in keep], [gold[k] for k in keep]
    query_vectors = np.stack([embedder.embed_query(q.question) for q in questions])

    reference = next(iter(paths))
    ref_hits, ref_top = hits_at_5(vectors[reference], query_vectors, gold)
    rows = []
    for name in paths:
        cosine = (vectors[name] * vectors[reference]).sum(axis=1)
        hits, top = hits_at_5(vectors[name], query_vectors, gold)
        rows.append({
            "path": name, "seconds": round(best[name], 2), "chunks_per_s": round(len(chunks) / best[name], 1),
            "speedup": round(best[reference] / best[name], 2),
            "cosine_min": round(float(cosine.min()), 4), "cosine_mean": round(float(cosine.mean()), 4),
            "hit5": round(float(hits.mean()), 3), "hit5_same": round(float((hits == ref_hits).mean()), 3),
            "top5_same_set": round(float(np.mean([a == b for a, b in zip(top, ref_top)])), 3),
            "top5_overlap": round(float(np.mean([len(a & b) / 5 for a, b in zip(top, ref_top)])), 3),
        })

    print(f"{len(chunks)} chunks in {len(documents)} documents, {len(questions)} corpus questions with gold chunks, "
          f"{available_cores()} cores, passages: {encoder} ({embedder.passage_reason}); "
          f"prepare {prepare_s:.1f} s; best of {args.repeats}")
    header = "| path | s | chunks/s | × (a) | cosine min | cosine mean | hit@5 | hit@5 same as (a) | top-5 same set | top-5 overlap |"
    print(header)
    print("|---" * 10 + "|")
    for r in rows:
        print(f"| {r['path']} | {r['seconds']} | {r['chunks_per_s']} | {r['speedup']} | {r['cosine_min']} | "
              f"{r['cosine_mean']} | {r['hit5']} | {r['hit5_same']} | {r['top5_same_set']} | {r['top5_overlap']} |")
    print(json.dumps({"chunks": len(chunks), "questions": len(questions), "encoder": encoder,
                      "prepare_s": round(prepare_s, 1), "rows": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
