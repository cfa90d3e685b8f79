"""The index on disk: the catalog (SQLite: documents, clauses, chunk texts, keywords, term
statistics) and the vectors (chromadb), kept in step.

Everything lives under `data_dir/index-<key>/` where the key is derived from the settings that
change vectors (embedding model, chunker version, chunk size), so a change of model can never
silently mix vectors. The chroma collection is named for the key and the catalog's own id, so two
data folders never share one, even on one server.

Write order (one writer at a time, under the folder's lock): vectors are upserted under the new
chunk ids first, then the catalog commits, then the ids it no longer lists are deleted. A crash at
any point leaves only orphan vectors, which the next writer deletes; the catalog's ids are always
in the vector store.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterator, Mapping

import numpy as np

from ingest.catalog import CATALOG_FILE, Catalog, StoredDocument, read_catalog_id
from ingest.catalog_search import ChunkFilter, KeywordSearch, VectorHit
from ingest.chunking import CHUNKER_VERSION
from ingest.errors import IndexMismatch, IndexMissing, StoreMismatch
from ingest.lock import WriterLock
from ingest.models import Chunk, Clause, Document, ParsedDocument
from ingest.settings import Settings
from ingest.store import VectorBackend, VectorStore, validate_server_url

BROAD_FILTER = 0.05  # a filter admitting this share of chunks or more is applied after the vector search
EXACT_LIMIT = 2000  # a filter admitting at most this many chunks is scored exactly over their vectors


def index_key(settings: Settings) -> str:
    basis = f"{settings.embedding_model}|{CHUNKER_VERSION}|{settings.chunk_chars}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Manifest:
    embedding_model: str
    dimension: int
    chunker_version: str
    chunk_chars: int
    # What embedded the passages ("onnxruntime-int8", "torch-fp32"): both give one model's vectors
    # (int8 is used only where its cosine to fp32 is at least 0.99), so either may add to the index.
    passage_encoders: list[str] = field(default_factory=list)

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> "Manifest":
        encoders = [e for e in meta.get("passage_encoders", "").split(",") if e]
        return cls(meta["embedding_model"], int(meta["dimension"]), meta["chunker_version"], int(meta["chunk_chars"]),
                   encoders)


@dataclass(frozen=True)
class Snapshot:
    """The document and clause tables at one generation. Immutable: a reader keeps the one it
    started a request with; a newer one is swapped in with one assignment."""

    generation: int
    chunk_count: int
    stored: Mapping[str, StoredDocument]  # in listing order
    clauses: Mapping[str, tuple[Clause, ...]]
    by_path: Mapping[str, Mapping[str, Clause]]

    def documents(self) -> list[Document]:
        return [s.document for s in self.stored.values()]

    def document(self, doc_id: str) -> Document | None:
        stored = self.stored.get(doc_id)
        return stored.document if stored else None

    def clause(self, doc_id: str, path: str) -> Clause | None:
        return self.by_path.get(doc_id, {}).get(path)


_EMPTY = Snapshot(-1, 0, MappingProxyType({}), MappingProxyType({}), MappingProxyType({}))


class PolicyIndex:
    def __init__(self, settings: Settings, create: bool = False, chroma_url: str | None = None):
        """`create=True` for writers (ingest, upload, repair); readers need an existing index."""
        self.settings = settings
        self.key = index_key(settings)
        self.folder = settings.data_dir / f"index-{self.key}"
        self.chroma_url = validate_server_url(chroma_url) if chroma_url else None
        if not create and not (self.folder / CATALOG_FILE).exists() and not read_catalog_id(self.folder):
            self._explain_missing()
        self.catalog = Catalog(self.folder, create=create)
        self.collection_name = f"policyqa-{self.key}-{self.catalog.catalog_id}"
        self.store: VectorBackend = VectorStore(settings.data_dir / "chroma", self.collection_name, self.chroma_url,
                                 create=create, info=self._store_info())
        self.lock = WriterLock(settings.data_dir)
        self.search = KeywordSearch(self.catalog)
        self._snapshot = _EMPTY
        self._library_vectors: tuple[tuple, tuple[list[tuple], np.ndarray]] | None = None
        self._swap = threading.Lock()
        self._store_generation = self.catalog.state().generation  # what the vector store client has seen
        if not create:
            self.verify()

    # ---- manifest -------------------------------------------------------------------------
    def _explain_missing(self) -> None:
        others = []
        for folder in sorted(self.settings.data_dir.glob("index-*")):
            manifest = _read_manifest(folder)
            if manifest:
                others.append(manifest)
        if others:
            built = others[0]
            raise IndexMismatch(
                f"the index in {self.settings.data_dir} was built with embedding model "
                f"'{built.embedding_model}' (dimension {built.dimension}, chunker {built.chunker_version}, "
                f"{built.chunk_chars} chars); the settings ask for '{self.settings.embedding_model}' "
                f"(chunker {CHUNKER_VERSION}, {self.settings.chunk_chars} chars). Run `policyqa ingest` to "
                f"build an index for it, or set POLICYQA_EMBEDDING_MODEL={built.embedding_model}"
            )
        raise IndexMissing(f"no index in {self.settings.data_dir} yet: run `policyqa ingest corpus/` first")

    def manifest(self) -> Manifest | None:
        meta = self.catalog.meta()
        if "embedding_model" not in meta:
            return None
        return Manifest.from_meta(meta)

    def note_passage_encoder(self, encoder: str | None) -> None:
        """Record in the catalog what embedded passages (once per kind of encoder)."""
        manifest = self.manifest()
        if encoder and manifest is not None and encoder not in manifest.passage_encoders:
            self.catalog.set_meta({"passage_encoders": ",".join([*manifest.passage_encoders, encoder])})

    def check_model(self, model_name: str, dimension: int) -> None:
        """Refuse to mix vectors: the catalog must name this model and dimension."""
        manifest = self.manifest()
        if manifest is None:
            self.catalog.set_meta({"embedding_model": model_name, "dimension": str(dimension),
                                   "chunker_version": CHUNKER_VERSION, "chunk_chars": str(self.settings.chunk_chars)})
        elif (manifest.embedding_model, manifest.dimension) != (model_name, dimension):
            raise IndexMismatch(
                f"index {self.folder} was built with '{manifest.embedding_model}' (dimension "
                f"{manifest.dimension}) but the loaded model is '{model_name}' (dimension {dimension}); "
                "delete the folder and run `policyqa ingest` again"
            )

    # ---- the vector store against the catalog ----------------------------------------------
    def _store_info(self) -> dict:
        state = self.catalog.state()
        manifest = self.manifest()
        info = {"catalog_id": self.catalog.catalog_id, "generation": state.generation,
                "chunks": state.chunk_count, "digest": state.digest, "chunker": CHUNKER_VERSION}
        if manifest:
            info.update(embedding_model=manifest.embedding_model, dimension=manifest.dimension)
        return info

    def _in_step(self) -> bool:
        """The cheap check: the collection records this catalog's generation and digest and holds as
        many vectors as the catalog has chunks."""
        state = self.catalog.state()
        info = self.store.info()
        return (self.store.count() == state.chunk_count and info.get("generation") == state.generation
                and info.get("digest") == state.digest)

    def _compare(self) -> tuple[set[str], set[str]]:
        """(catalog ids missing from the vector store, vector ids the catalog does not list).

        Catalog ids are read, then the store is listed, then the generation is read again: if no
        commit happened in between, every catalog id was upserted before the listing (writers
        upsert before they commit) and none was deleted during it (deletes follow a commit)."""
        for _ in range(10):
            with self.catalog.reading():
                before = self.catalog.state().generation
                catalog_ids = self.catalog.chunk_ids()
            store_ids = self.store.ids()
            if self.catalog.state().generation == before:
                return catalog_ids - store_ids, store_ids - catalog_ids
        return set(), set()  # a writer is busy committing: it keeps the store in step itself

    def _repair_hint(self) -> str:
        return "policyqa" + (f" --chroma-url {self.chroma_url}" if self.chroma_url else "") + \
            f" --data-dir {self.settings.data_dir} repair"

    def verify(self) -> None:
        """On open: the vector store must hold every chunk the catalog lists."""
        state = self.catalog.state()
        if state.chunk_count == 0 or self._in_step():
            return
        where = f"the vector store at {self.store.where}"
        if not self.store.exists:
            raise StoreMismatch(f"{where} has no collection {self.collection_name} for the {state.chunk_count} chunks "
                                f"of this catalog: run `{self._repair_hint()}` to embed them again")
        missing, _ = self._compare()
        if missing:
            raise StoreMismatch(f"{where} lacks {len(missing)} of the catalog's {state.chunk_count} chunks "
                                f"(collection {self.collection_name}): run `{self._repair_hint()}` to embed them again")

    def reconcile(self, allow_missing: bool = False) -> tuple[set[str], int]:
        """Writers, under the lock: delete orphan vectors. → (catalog ids without a vector, orphans deleted)"""
        if self.catalog.state().chunk_count == 0 and self.store.count() == 0:
            return set(), 0
        if self._in_step():
            return set(), 0
        missing, orphans = self._compare()
        self.store.delete(sorted(orphans))
        if missing and not allow_missing:
            raise StoreMismatch(f"the vector store at {self.store.where} lacks {len(missing)} of the catalog's "
                                f"chunks (collection {self.collection_name}): run `{self._repair_hint()}` first")
        if not missing:
            self.mark()
        return missing, len(orphans)

    def mark(self) -> None:
        """Record in the collection which catalog generation it matches (the cheap check on open)."""
        self.store.set_info(self._store_info())

    # ---- writing --------------------------------------------------------------------------
    @contextmanager
    def writing(self, wait: bool = True, on_wait: Callable[[str], None] | None = None,
                allow_missing: bool = False) -> Iterator[None]:
        """Hold the data folder's writer lock; the first holder sweeps orphans, the last marks."""
        self.lock.acquire(wait, on_wait)
        outermost = self.lock._depth == 1
        try:
            if outermost:
                self._follow_other_writers()
                self.reconcile(allow_missing)
            yield
            if outermost and self.store.info().get("generation") != self.catalog.state().generation:
                self.mark()
        finally:
            self.lock.release()

    def write_document(self, parsed: ParsedDocument, chunks: list[Chunk], embeddings: np.ndarray,
                       root: str = "", vectors_present: bool = False) -> None:
        """Add or replace a document: vectors under new ids, then one catalog transaction, then the
        old vectors go. Any failure removes the new vectors the catalog did not take."""
        ids = [c.chunk_id for c in chunks]
        with self.writing():
            try:
                if chunks and not vectors_present:
                    self.store.upsert(ids, embeddings, [_vector_metadata(c, root) for c in chunks])
                stale = self.catalog.put_document(parsed.document, root, parsed.clauses, chunks)
            except BaseException:
                self._drop_uncommitted(ids)
                raise
            self._store_generation = self.catalog.state().generation  # our own write: our client holds it
            self.store.delete(stale)

    def _drop_uncommitted(self, ids: list[str]) -> None:
        try:
            kept = set(self.search.fetch(ids))  # same ids as a committed version: those vectors stay
            self.store.delete([i for i in ids if i not in kept])
        except (Exception, KeyboardInterrupt):  # left as orphans: the next writer deletes them
            pass

    def remove_document(self, doc_id: str) -> None:
        with self.writing():
            stale = self.catalog.remove_document(doc_id)
            self._store_generation = self.catalog.state().generation
            self.store.delete(stale)

    def _follow_other_writers(self) -> None:
        """Another process committed since our vector client looked: open a fresh one."""
        generation = self.catalog.state().generation
        if generation != self._store_generation:
            self.store.reopen()
            self._store_generation = generation

    def set_root(self, doc_id: str, root: str) -> None:
        with self.writing():
            self.catalog.set_root(doc_id, root)

    # ---- reading --------------------------------------------------------------------------
    def reading(self):
        """One read transaction for a request: every catalog read inside sees one generation."""
        return self.catalog.reading()

    def snapshot(self) -> Snapshot:
        """The document and clause tables at the committed generation (one SELECT when unchanged)."""
        with self.catalog.reading():
            state = self.catalog.state()
            current = self._snapshot
            if current.generation == state.generation:
                return current
            built = self._build(current, state.generation, state.chunk_count)
        if not self.lock.held:  # a writer follows other writers when it takes the lock
            with self._swap:
                self._follow_other_writers()
        self._snapshot = built  # one assignment; a request keeps the one it started with
        return built

    def _build(self, previous: Snapshot, generation: int, chunk_count: int) -> Snapshot:
        """Reload only documents written since `previous` (same transaction as the generation read)."""
        if generation < previous.generation:  # a rebuilt catalog (`repair`) counts again from 0
            previous = _EMPTY
        listed = self.catalog.document_generations()
        changed = [d for d, g in listed if d not in previous.stored or previous.stored[d].generation != g]
        loaded = self.catalog.load(changed)
        stored, clauses = {}, {}
        for doc_id, _ in listed:
            if doc_id in loaded:
                stored[doc_id], clauses[doc_id] = loaded[doc_id]
            else:
                stored[doc_id], clauses[doc_id] = previous.stored[doc_id], previous.clauses[doc_id]
        by_path = {d: previous.by_path[d] if d not in loaded else MappingProxyType({c.path: c for c in clauses[d]})
                   for d in stored}
        return Snapshot(generation, chunk_count, MappingProxyType(stored), MappingProxyType(clauses),
                        MappingProxyType(by_path))

    def documents(self) -> list[Document]:
        return self.snapshot().documents()

    def document(self, doc_id: str) -> Document | None:
        return self.snapshot().document(doc_id)

    def clauses(self, doc_id: str) -> list[Clause]:
        return list(self.snapshot().clauses.get(doc_id, ()))

    def chunk_count(self, doc_id: str) -> int:
        stored = self.snapshot().stored.get(doc_id)
        return stored.chunk_count if stored else 0

    def stored(self, doc_id: str) -> StoredDocument | None:
        """The latest committed record (writers: not from a snapshot)."""
        return self.catalog.find(doc_id)

    def doc_for_source(self, source: str) -> str | None:
        return next((d for d, s in self.snapshot().stored.items() if s.document.source == source), None)

    def keywords(self) -> KeywordSearch:
        return self.search

    def _all_vectors(self) -> tuple[list[tuple], np.ndarray] | None:
        """Every chunk's catalog row and vector when the library holds at most EXACT_LIMIT chunks,
        fetched once per catalog generation (an immutable pair, swapped whole)."""
        state = self.catalog.state()
        if state.chunk_count > EXACT_LIMIT:
            return None
        key = (state.generation, state.digest)
        if self._library_vectors is None or self._library_vectors[0] != key:
            rows = self.search.admitted(ChunkFilter(), EXACT_LIMIT) or []
            vectors = self.store.embeddings([row[0] for row in rows]) if rows else {}
            present = [row for row in rows if row[0] in vectors]
            matrix = np.stack([vectors[row[0]] for row in present]) if present else np.zeros((0, 1), np.float32)
            self._library_vectors = (key, (present, matrix))
        return self._library_vectors[1]

    def nearest(self, vector: np.ndarray, k: int, scope: ChunkFilter = ChunkFilter()) -> list[VectorHit]:
        """The k nearest chunks the filter admits, without asking chroma to evaluate a `where` over
        the collection (~0.2–0.4 s at 10⁵ chunks): a narrow filter (some documents or clauses) is
        scored exactly over its chunks' vectors, fetched by id; a broad one (a level, a status) is
        applied to an over-fetched unfiltered list. Chroma's `where` remains the fallback."""
        if scope.unrestricted:
            # A small library is scored exactly, from its vectors kept per generation: chroma's HNSW
            # graph, rebuilt in parallel when a process opens it, answered differently from one
            # process to the next (a chunk at cosine 0.85, 7th best, missing from the 40 best).
            if (library := self._all_vectors()) is not None:
                return _exactly(*library, vector, k)
            return self.search.place(self.store.query(vector, k))
        admitted = self.search.admitted(scope, EXACT_LIMIT)
        if admitted is not None:
            vectors = self.store.embeddings([row[0] for row in admitted])
            present = [row for row in admitted if row[0] in vectors]
            if not present:
                return []
            return _exactly(present, np.stack([vectors[row[0]] for row in present]), vector, k)
        share = self.search.share(scope)
        if share >= BROAD_FILTER:
            fetch = min(int(2 * k / share) + 1, max(self.catalog.state().chunk_count, k))
            hits = [h for h in self.search.place(self.store.query(vector, fetch)) if scope.admits(h.level, h.status)]
            if len(hits) >= k:
                return hits[:k]
        return self.search.place(self.store.query(vector, k, scope.chroma_where()))


def _exactly(rows: list[tuple], matrix: np.ndarray, vector: np.ndarray, k: int) -> list[VectorHit]:
    """The k rows whose vectors are nearest the query (cosine), ties in the rows' order."""
    if not rows:
        return []
    scores = matrix @ vector / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(vector) + 1e-12)
    order = np.argsort(-scores, kind="stable")[:k]
    return [VectorHit(rows[i][0], float(scores[i]), *rows[i][1:]) for i in order]


def _vector_metadata(chunk: Chunk, root: str) -> dict:
    """Filters (doc_id, clause_path, level, status, kind) and where the source is, for `repair`."""
    meta = chunk.metadata
    return {"doc_id": chunk.doc_id, "clause_path": chunk.clause_path, "part": chunk.part,
            "level": meta.get("level", ""), "status": meta.get("status", ""), "kind": meta.get("kind", ""),
            "source": meta.get("source", ""), "root": root}


def _read_manifest(folder: Path) -> Manifest | None:
    """What an index folder was built with (this version's catalog, or an older manifest.json)."""
    try:
        if (folder / CATALOG_FILE).exists():
            connection = sqlite3.connect(f"file:{folder / CATALOG_FILE}?mode=ro", uri=True)
            try:
                meta = dict(connection.execute("SELECT key, value FROM meta"))
            finally:
                connection.close()
            return Manifest.from_meta(meta)
        return Manifest(**json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError, sqlite3.Error):
        return None
