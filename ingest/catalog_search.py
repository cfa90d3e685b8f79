"""Reading the catalog on the query path: BM25 (FTS5 `bm25()`) over words and bigrams, filters in
SQL, chunk texts fetched by id for the top candidates, term statistics looked up per term.

Nothing here reads the whole corpus: every query touches the posting lists of the question's
tokens and the rows it returns.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from ingest.catalog import Catalog
from ingest.keyword import any_of, bigram_tokens, substring_query, word_tokens

# FTS5's bm25() clamps the IDF of a token found in more than half of the chunks to ~0 (1e-6), so
# such tokens cannot move a ranking; leaving them out of the query spares scoring most of the corpus.
COMMON_SHARE = 0.5
# A query's cost is the postings it reads (bm25() counts each token's chunks, then scores every match).
# Past this many, the most common tokens (the lowest IDF) are left out, rarest kept first: a ranking
# stays near 20 ms on 2 cores at 10⁵ chunks (bench/bench_scale.py), and corpus/ (192 chunks) is never cut.
POSTINGS_BUDGET = 10_000


@dataclass(frozen=True)
class ChunkFilter:
    """Which chunks a search may return; pushed into SQL and into chroma's `where`."""

    doc_ids: frozenset[str] | None = None
    clause_paths: frozenset[str] | None = None
    level: str | None = None
    status: str | None = None

    @property
    def unrestricted(self) -> bool:
        return not (self.doc_ids or self.clause_paths or self.level or self.status)

    def sql(self, alias: str = "c") -> tuple[str, list[str]]:
        clauses, values = [], []
        for column, wanted in (("doc_id", self.doc_ids), ("clause_path", self.clause_paths)):
            if wanted:
                clauses.append(f"{alias}.{column} IN ({','.join('?' * len(wanted))})")
                values += sorted(wanted)
        for column, wanted in (("level", self.level), ("status", self.status)):
            if wanted:
                clauses.append(f"{alias}.{column} = ?")
                values.append(wanted)
        return " AND ".join(clauses), values

    def admits(self, level: str, status: str) -> bool:
        """Does a chunk of this level and status pass the level/status part of the filter?"""
        return (not self.level or level == self.level) and (not self.status or status == self.status)

    def chroma_where(self) -> dict | None:
        conditions: list[dict] = []
        if self.doc_ids:
            conditions.append({"doc_id": {"$in": sorted(self.doc_ids)}})
        if self.clause_paths:
            conditions.append({"clause_path": {"$in": sorted(self.clause_paths)}})
        if self.level:
            conditions.append({"level": self.level})
        if self.status:
            conditions.append({"status": self.status})
        if not conditions:
            return None
        return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def document_counts(db, field: str, terms: list[str]) -> dict[str, int]:
    """How many chunks hold each term (terms no chunk holds are absent)."""
    counts: dict[str, int] = {}
    for start in range(0, len(terms), 500):
        batch = terms[start : start + 500]
        counts.update(db.execute(f"SELECT term, df FROM term_stats WHERE field = ? AND term IN "
                                 f"({','.join('?' * len(batch))})", [field, *batch]))
    return counts


@dataclass(frozen=True)
class KeywordHit:
    chunk_id: str
    doc_id: str
    clause_path: str
    score: float  # higher is better


@dataclass(frozen=True)
class VectorHit:
    chunk_id: str
    score: float  # cosine similarity, higher is better
    doc_id: str
    clause_path: str
    level: str
    status: str


@dataclass(frozen=True)
class ChunkText:
    chunk_id: str
    doc_id: str
    clause_path: str
    part: int
    level: str
    status: str
    kind: str
    text: str
    embed_text: str


class KeywordSearch:
    """The keyword side of retrieval and the term statistics, read from the catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def _db(self):
        return self.catalog._conn()

    def _rank(self, table: str, tokens: list[str], k: int, where: ChunkFilter) -> list[KeywordHit]:
        tokens = self._informative(table, tokens)
        if not tokens:
            return []
        condition, values = where.sql()
        if condition:  # filter every match, then rank
            sql = (f"SELECT c.chunk_id, c.doc_id, c.clause_path, bm25({table}) AS rank FROM {table} "
                   f"JOIN chunks c ON c.id = {table}.rowid WHERE {table} MATCH ? AND {condition} ORDER BY rank, c.id LIMIT ?")
        else:  # rank inside FTS5 and join only the k best (joining every match costs more than ranking)
            sql = (f"SELECT c.chunk_id, c.doc_id, c.clause_path, best.rank FROM (SELECT rowid, bm25({table}) AS rank "
                   f"FROM {table} WHERE {table} MATCH ? ORDER BY rank, rowid LIMIT ?) AS best "
                   "JOIN chunks c ON c.id = best.rowid ORDER BY best.rank, c.id")
        rows = self._db().execute(sql, [any_of(tokens), *values, k])  # no condition: no values
        return [KeywordHit(chunk_id, doc_id, path, -rank) for chunk_id, doc_id, path, rank in rows]

    def _informative(self, table: str, tokens: list[str]) -> list[str]:
        """The question's tokens worth their postings: none in over half the chunks, the rarest first
        within the budget (repeats kept: a repeated token counts twice, as in classic BM25)."""
        total = self.catalog.state().chunk_count
        field = "w" if table == "chunk_words" else "b"
        counts = document_counts(self._db(), field, sorted(set(tokens)))
        useful = sorted((counts[t], t) for t in set(tokens) if 0 < counts.get(t, 0) <= COMMON_SHARE * total)
        kept, postings = set(), 0
        for count, token in useful:
            if kept and postings + count > POSTINGS_BUDGET:
                break
            kept.add(token)
            postings += count
        if not kept:  # a question of common words only still ranks by them
            return [t for t in tokens if counts.get(t, 0)]
        return [t for t in tokens if t in kept]

    def search_words(self, query: str, k: int, where: ChunkFilter = ChunkFilter()) -> list[KeywordHit]:
        return self._rank("chunk_words", word_tokens(query), k, where)

    def search_bigrams(self, query: str, k: int, where: ChunkFilter = ChunkFilter()) -> list[KeywordHit]:
        return self._rank("chunk_bigrams", bigram_tokens(query), k, where)

    def share(self, where: ChunkFilter) -> float:
        """The fraction of chunks a filter lets through (an index range count)."""
        condition, values = where.sql()
        total = self.catalog.state().chunk_count
        if not total:
            return 0.0
        return self._db().execute(f"SELECT count(*) FROM chunks c WHERE {condition or '1'}", values).fetchone()[0] / total

    def admitted(self, where: ChunkFilter, limit: int) -> list[tuple[str, str, str, str, str]] | None:
        """(chunk_id, doc_id, clause_path, level, status) of the chunks a filter admits, or None when
        there are more than `limit` of them."""
        condition, values = where.sql()
        rows = self._db().execute(f"SELECT chunk_id, doc_id, clause_path, level, status FROM chunks c "
                                  f"WHERE {condition or '1'} LIMIT ?", [*values, limit + 1]).fetchall()
        return rows if len(rows) <= limit else None

    def any_chunk(self, where: ChunkFilter) -> bool:
        condition, values = where.sql()
        return self._db().execute(f"SELECT 1 FROM chunks c WHERE {condition or '1'} LIMIT 1", values).fetchone() is not None

    def fetch(self, chunk_ids: list[str]) -> dict[str, ChunkText]:
        """Chunks by id (ids the catalog does not hold, e.g. orphan vectors, are left out)."""
        found: dict[str, ChunkText] = {}
        for start in range(0, len(chunk_ids), 500):
            batch = chunk_ids[start : start + 500]
            sql = (f"SELECT chunk_id, doc_id, clause_path, part, level, status, kind, text, embed_text FROM chunks "
                   f"WHERE chunk_id IN ({','.join('?' * len(batch))})")
            found.update((row[0], ChunkText(*row)) for row in self._db().execute(sql, batch))
        return found

    def place(self, scored: list[tuple[str, float]]) -> list[VectorHit]:
        """Vector hits with their document, clause, level and status from the catalog; ids it does
        not list (orphan vectors) are dropped here."""
        places: dict[str, tuple] = {}
        ids = [chunk_id for chunk_id, _ in scored]
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            places.update((row[0], row[1:]) for row in self._db().execute(
                f"SELECT chunk_id, doc_id, clause_path, level, status FROM chunks WHERE chunk_id IN "
                f"({','.join('?' * len(batch))})", batch))
        return [VectorHit(chunk_id, score, *places[chunk_id]) for chunk_id, score in scored if chunk_id in places]

    def knows_word(self, word: str) -> bool:
        """Is this jieba word in some chunk?"""
        return bool(document_counts(self._db(), "w", [word.lower()]))

    def contains_text(self, text: str) -> bool:
        """Does some chunk contain `text`? (A phrase query on the bigram index, not a scan.)"""
        query = substring_query(text)
        if not query:
            return False
        return self._db().execute("SELECT 1 FROM chunk_bigrams WHERE chunk_bigrams MATCH ? LIMIT 1",
                                  (query,)).fetchone() is not None


class StoredTermWeights:
    """IDF of character bigrams read from the catalog's term table (same formula as
    `rag.rank.FrequencyWeights`, which recomputes it from texts): 渠县 weighs more than 产业."""

    def __init__(self, catalog: Catalog, chunk_count: int):
        self._catalog = catalog
        self._total = max(chunk_count, 1)
        self._unseen = math.log((self._total + 1) / 0.5)
        self._counts: dict[str, int] = {}  # memo of facts fixed for this generation
        self._lock = threading.Lock()

    def _count(self, gram: str) -> int:
        count = self._counts.get(gram)
        if count is None:
            count = document_counts(self._catalog._conn(), "g", [gram]).get(gram, 0)
            with self._lock:
                self._counts[gram] = count
        return count

    def idf(self, gram: str) -> float:
        count = self._count(gram)
        return math.log((self._total + 1) / (count + 0.5)) if count else self._unseen

    def known(self, gram: str) -> bool:
        return self._count(gram) > 0
