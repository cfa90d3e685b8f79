"""Two baselines run on the same questions, so every report shows the margin.

- bm25: BM25 on jieba words alone, the top clause chunk pasted as the answer;
- fixed_dense: the generic recipe — fixed 300-character chunks with overlap, dense e5 retrieval,
  the top chunk as the answer. Neither ever refuses.
"""

from __future__ import annotations

import time

import numpy as np

from eval.dataset import EvalQuestion
from eval.metrics import Cited, Result
from rag.retrieval import HybridRetriever


def run_bm25(retriever: HybridRetriever, questions: list[EvalQuestion]) -> list[Result]:
    words_only = HybridRetriever(retriever.index, retriever.embedder, use_dense=False, use_bigrams=False)
    results = []
    for question in questions:
        started = time.perf_counter()
        evidence = words_only.search(question.question, k=5)
        seconds = time.perf_counter() - started
        retrieved = tuple(Cited(e.document.title, e.clause.path, e.chunk_text, e.clause.text) for e in evidence)
        answer = evidence[0].chunk_text if evidence else ""
        results.append(Result(question, answer, False, retrieved[:1], retrieved, seconds))
    return results


class FixedChunkDense:
    def __init__(self, retriever: HybridRetriever, size: int = 300, overlap: int = 50):
        self.embedder = retriever.embedder
        self.chunks: list[tuple[str, str]] = []  # (doc title, text)
        for document in retriever.documents():
            text = "\n".join(c.text for c in retriever.clauses(document.doc_id))
            for start in range(0, max(len(text) - overlap, 1), size - overlap):
                self.chunks.append((document.title, text[start : start + size]))
        self.vectors = self.embedder.embed_passages([t for _, t in self.chunks])

    def run(self, questions: list[EvalQuestion]) -> list[Result]:
        results = []
        for question in questions:
            started = time.perf_counter()
            scores = self.vectors @ self.embedder.embed_query(question.question)
            order = np.argsort(-scores)[:5]
            seconds = time.perf_counter() - started
            retrieved = tuple(Cited(self.chunks[i][0], "", self.chunks[i][1], self.chunks[i][1]) for i in order)
            results.append(Result(question, retrieved[0].quote, False, retrieved[:1], retrieved, seconds))
        return results
