"""Hybrid retrieval: BM25 on jieba words + BM25 on character bigrams + dense e5, fused by RRF.

Works on chunks and returns clauses (the best chunk of each), narrowed by a `Scope` when the
question names a document, a clause, a level or a status.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.catalog_search import ChunkFilter
from ingest.index import PolicyIndex, Snapshot
from rag.lexicon import COLLOQUIAL_TO_FORMAL
from rag.models import Evidence
from rag.english import chinese_terms, without_english
from rag.question import is_english

# Tuned on the dev split of eval/questions.jsonl: a small k rewards agreement at the top of the
# lists, and the keyword lists lead (policy questions name their terms) while dense breaks ties.
RRF_K = 5
FUSION_WEIGHTS = (1.0, 1.0, 0.4)  # jieba-word BM25, bigram BM25, dense
# An English question's keyword lists read only the glossary's Chinese words for some of its words
# (rag.english.chinese_terms): they break the dense ranking's ties, they do not lead it (train/dev:
# at 0.25 and above they put clauses holding one glossary word above the clause the question is about).
ENGLISH_KEYWORD_SHARE = 0.1
CANDIDATES = 40


# What a question may be answered from (a document, clauses, a level, a status): one filter,
# pushed into the catalog's SQL and into chroma's `where`.
Scope = ChunkFilter


@dataclass(frozen=True)
class Ranked:
    chunk_id: str
    score: float  # fused
    dense: float  # cosine, 0 when the dense list did not run or missed it
    doc_id: str
    clause_path: str


def formal_words(query: str) -> str:
    """The question with the formal words of its colloquial ones appended (每天 → 每天 … 每日)."""
    added = [formal for said, formal in COLLOQUIAL_TO_FORMAL.items() if said in query and formal not in query]
    return f"{query} {' '.join(dict.fromkeys(added))}" if added else query


def rrf(rankings: list[list[str]], weights: list[float] | None = None, k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion: Σ w / (k + rank)."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


class HybridRetriever:
    """Rankings over one snapshot of the catalog: the documents and clauses it returns are those
    of the generation it was built for (the assistant builds one per generation)."""

    def __init__(self, index: PolicyIndex, embedder, use_dense: bool = True, use_words: bool = True,
                 use_bigrams: bool = True, weights: tuple[float, float, float] = FUSION_WEIGHTS, rrf_k: int = RRF_K,
                 adaptive: bool = True, snapshot: Snapshot | None = None):
        self.index = index
        self.embedder = embedder
        self.use = (use_words, use_bigrams, use_dense)
        self.weights = weights  # words, bigrams, dense
        self.rrf_k = rrf_k
        self.adaptive = adaptive
        self.snapshot = snapshot or index.snapshot()

    def documents(self):
        return self.snapshot.documents()

    def clauses(self, doc_id: str):
        return list(self.snapshot.clauses.get(doc_id, ()))

    def clause(self, doc_id: str, path: str):
        return self.snapshot.clause(doc_id, path)

    def _keywords_decide(self, rankings: list[list[str]], weights: list[float], places: dict[str, tuple[str, str]]) -> bool:
        """True when no dense ranking could change the best clause: its keyword lead is larger than
        the most the dense list can add to any runner-up. Saves the encoder pass (most of a query's time)."""
        if len(rankings) < 2 or not all(rankings):
            return False
        fused = sorted(rrf(rankings, weights, self.rrf_k).items(), key=lambda item: -item[1])
        best_clause = places[fused[0][0]]
        runner_up = next((score for chunk_id, score in fused[1:] if places[chunk_id] != best_clause), 0.0)
        if fused[0][1] - runner_up > self.weights[2] / (self.rrf_k + 1):
            return True
        # Both keyword lists put the same clause first: the question names its terms, and on the
        # dev split dense ranking never overturned such an agreement.
        return places[rankings[0][0]] == places[rankings[1][0]] == best_clause

    def ranked(self, query: str, scope: Scope = Scope(), k: int = CANDIDATES) -> list[Ranked]:
        """Chunks best first, each with the clause it belongs to."""
        search = self.index.keywords()
        if not scope.unrestricted and not search.any_chunk(scope):
            return []
        use_words, use_bigrams, use_dense = self.use
        rankings, weights, dense_scores = [], [], {}
        places: dict[str, tuple[str, str]] = {}  # chunk id → (doc_id, clause path), from the rows themselves
        # An English question's own words never match Chinese text on purpose (a stray "e" or "5" does):
        # its keywords are the Chinese words its content words stand for (rag.english), beside the
        # multilingual dense ranking.
        keyword_query, share = formal_words(query), 1.0
        if is_english(query):
            keyword_query = " ".join(filter(None, (without_english(query).strip("，"), chinese_terms(query))))
            share = ENGLISH_KEYWORD_SHARE
        keywords = bool(keyword_query.strip())
        keyword_lists = [(search.search_words, share * self.weights[0])] if use_words and keywords else []
        keyword_lists += [(search.search_bigrams, share * self.weights[1])] if use_bigrams and keywords else []
        for rank, weight in keyword_lists:
            found = rank(keyword_query, k, scope)
            places.update((h.chunk_id, (h.doc_id, h.clause_path)) for h in found)
            rankings.append([h.chunk_id for h in found])
            weights.append(weight)
        if use_dense and not (self.adaptive and self._keywords_decide(rankings, weights, places)):
            hits = self.index.nearest(self.embedder.embed_query(query), k, scope)
            dense_scores = {h.chunk_id: h.score for h in hits}
            places.update((hit.chunk_id, (hit.doc_id, hit.clause_path)) for hit in hits)
            rankings.append([h.chunk_id for h in hits])
            weights.append(self.weights[2])
        fused = rrf(rankings, weights, self.rrf_k)
        ordered = sorted(fused.items(), key=lambda item: -item[1])
        return [Ranked(chunk_id, score, dense_scores.get(chunk_id, 0.0), *places[chunk_id]) for chunk_id, score in ordered]

    def search_chunks(self, query: str, scope: Scope = Scope(), k: int = CANDIDATES) -> list[tuple[str, float, float]]:
        """(chunk_id, fused score, dense cosine) best first."""
        return [(r.chunk_id, r.score, r.dense) for r in self.ranked(query, scope, k)]

    def search(self, query: str, scope: Scope = Scope(), k: int = 8) -> list[Evidence]:
        """Clauses best first (a clause scores as its best chunk). Texts are fetched by id for the
        candidates only; a vector the catalog does not list (an orphan) is never shown."""
        ranked = self.ranked(query, scope)
        texts = self.index.keywords().fetch([r.chunk_id for r in ranked])
        seen: dict[tuple[str, str], Evidence] = {}
        for item in ranked:
            chunk = texts.get(item.chunk_id)
            if chunk is None:
                continue
            key = (chunk.doc_id, chunk.clause_path)
            if key in seen:
                continue
            clause = self.clause(*key)
            document = self.snapshot.document(chunk.doc_id)
            if clause is None or document is None:
                continue
            seen[key] = Evidence(document, clause, item.score, chunk.text, item.dense, item.chunk_id)
            if len(seen) >= k:
                break
        return list(seen.values())
