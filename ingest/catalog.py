"""The catalog: one SQLite file (WAL, foreign keys) holding documents, clauses, chunk texts with
their filter columns, the keyword index (FTS5) and per-term statistics, plus a generation counter.

Chroma holds only vectors, keyed by the same chunk ids. Every change of a document is one
transaction here; `PolicyIndex` orders it with the vector writes so a crash leaves at most
orphan vectors (ids the catalog does not list), which the next writer deletes.

Each thread gets its own connection; a reader wraps a request in `reading()` (one read
transaction: WAL gives it a consistent snapshot while a writer commits).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ingest.errors import CatalogDamaged
from ingest.keyword import FTS_TOKENIZER, bigram_tokens, char_bigrams, word_tokens
from ingest.models import Chunk, Clause, Document

SCHEMA_VERSION = "1"
CATALOG_FILE = "catalog.sqlite3"
ID_FILE = "catalog.id"  # the catalog id outside the database, so `repair` finds the collection of a lost catalog
EMPTY_DIGEST = "0" * 32
KEPT_GENERATIONS = 100

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,           -- insertion order: the order documents are listed in
    source TEXT NOT NULL,                  -- relative to root
    root TEXT NOT NULL,                    -- folder it was ingested from ('' = the data folder)
    content_hash TEXT NOT NULL,
    doc_number TEXT,
    generation INTEGER NOT NULL,           -- when it was last written: readers reload only what changed
    chunk_count INTEGER NOT NULL,
    record TEXT NOT NULL                   -- the Document as JSON
);
CREATE INDEX documents_number ON documents (doc_number);
CREATE TABLE clauses (
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    path TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal),
    UNIQUE (doc_id, path)
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,                -- shared with the FTS rows
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    clause_path TEXT NOT NULL,
    part INTEGER NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    embed_text TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks (doc_id, clause_path);
CREATE INDEX chunks_level ON chunks (level, status);
CREATE VIRTUAL TABLE chunk_words USING fts5 (tokens, tokenize = "{FTS_TOKENIZER}");
CREATE VIRTUAL TABLE chunk_bigrams USING fts5 (tokens, tokenize = "{FTS_TOKENIZER}");
-- how many chunks hold each term, per field (w: jieba word, b: keyword bigram, g: char bigram of the
-- term weights): read per query term instead of recomputed from all texts
CREATE TABLE term_stats (field TEXT NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL,
                         PRIMARY KEY (field, term)) WITHOUT ROWID;
CREATE TABLE generations (
    generation INTEGER PRIMARY KEY,
    chunk_count INTEGER NOT NULL,
    digest TEXT NOT NULL,                  -- XOR of the chunk ids' hashes: order-free, updated per change
    committed_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class CatalogState:
    generation: int
    chunk_count: int
    digest: str


@dataclass(frozen=True)
class StoredDocument:
    document: Document
    root: str
    chunk_count: int
    generation: int


def id_digest(chunk_ids) -> int:
    value = 0
    for chunk_id in chunk_ids:
        value ^= int.from_bytes(hashlib.sha1(chunk_id.encode()).digest()[:16], "big")
    return value


def _damaged(path: Path, detail: str) -> CatalogDamaged:
    return CatalogDamaged(f"the catalog {path} is damaged ({detail}): run `policyqa repair` to rebuild it "
                          "from the stored sources and the vector store")


def read_catalog_id(folder: Path) -> str | None:
    try:
        return (folder / ID_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


class Catalog:
    def __init__(self, folder: Path, create: bool = False, check: bool = True):
        self.folder = folder
        self.path = folder / CATALOG_FILE
        self._local = threading.local()
        if not self.path.exists():
            if not create:
                raise _damaged(self.path, "file missing") if read_catalog_id(folder) else FileNotFoundError(self.path)
            self._create(read_catalog_id(folder) or uuid.uuid4().hex)
        self.catalog_id = self._open(check)

    # ---- opening ---------------------------------------------------------------------------
    def _connect(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")  # WAL: durable across a killed process
        return connection

    def _create(self, catalog_id: str) -> None:
        """Built under a private name, then linked into place: a crash never leaves half a schema,
        and of two processes creating at once one wins and the other opens the winner's file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{CATALOG_FILE}.new-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        connection = self._connect(tmp)
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("BEGIN")
            for statement in _statements(_SCHEMA):
                connection.execute(statement)
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            connection.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("catalog_id", catalog_id), ("schema_version", SCHEMA_VERSION), ("created_at", now)])
            connection.execute("INSERT INTO generations VALUES (0, 0, ?, ?)", (EMPTY_DIGEST, now))
            connection.execute("COMMIT")
        finally:
            connection.close()
        try:
            os.link(tmp, self.path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)

    def _open(self, check: bool) -> str:
        try:
            connection = self._conn()
            if check:
                problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise _damaged(self.path, problems[0])
            meta = dict(connection.execute("SELECT key, value FROM meta"))
            self.state()
        except sqlite3.DatabaseError as error:
            raise _damaged(self.path, str(error)) from error
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise _damaged(self.path, f"schema version {meta.get('schema_version')!r}, this version reads {SCHEMA_VERSION}")
        on_file = read_catalog_id(self.folder)
        if on_file and on_file != meta.get("catalog_id"):
            raise _damaged(self.path, f"catalog id {meta.get('catalog_id')} but {ID_FILE} says {on_file}")
        if not on_file:  # kept beside the database: `repair` needs it when the database is lost
            id_tmp = self.folder / f"{ID_FILE}.{os.getpid()}.tmp"
            id_tmp.write_text(meta["catalog_id"], encoding="utf-8")
            os.replace(id_tmp, self.folder / ID_FILE)
        return meta["catalog_id"]

    def _conn(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect(self.path)
            self._local.inode = _inode(self.path)
        return connection

    def _reopen_if_replaced(self) -> None:
        """`policyqa repair` swaps in a rebuilt file: a long-running reader follows it (one stat)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and not connection.in_transaction and _inode(self.path) not in (None, self._local.inode):
            connection.close()
            self._local.connection = None

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    # ---- transactions ----------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction (nested calls share it): every read inside sees one generation."""
        self._reopen_if_replaced()
        connection = self._conn()
        if connection.in_transaction:
            yield connection
            return
        connection.execute("BEGIN")
        try:
            yield connection
        finally:
            connection.execute("COMMIT")

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        connection = self._conn()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    # ---- meta and generations ----------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return dict(self._conn().execute("SELECT key, value FROM meta"))

    def set_meta(self, values: dict[str, str]) -> None:
        with self._writing() as db:
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    def state(self) -> CatalogState:
        """The committed generation: one indexed SELECT, cheap enough for every request."""
        row = self._conn().execute(
            "SELECT generation, chunk_count, digest FROM generations ORDER BY generation DESC LIMIT 1").fetchone()
        return CatalogState(*row)

    def _commit_generation(self, db: sqlite3.Connection, removed: list[str], added: list[str]) -> int:
        last = CatalogState(*db.execute(
            "SELECT generation, chunk_count, digest FROM generations ORDER BY generation DESC LIMIT 1").fetchone())
        digest = int(last.digest, 16) ^ id_digest(removed) ^ id_digest(added)
        generation = last.generation + 1
        db.execute("INSERT INTO generations VALUES (?, ?, ?, ?)", (
            generation, last.chunk_count - len(removed) + len(added), f"{digest:032x}",
            datetime.now(timezone.utc).isoformat(timespec="seconds")))
        db.execute("DELETE FROM generations WHERE generation <= ?", (generation - KEPT_GENERATIONS,))
        return generation

    # ---- documents ---------------------------------------------------------------------------
    def document_generations(self) -> list[tuple[str, int]]:
        """(doc_id, generation last written) in listing order."""
        return self._conn().execute("SELECT doc_id, generation FROM documents ORDER BY seq").fetchall()

    def load(self, doc_ids: list[str]) -> dict[str, tuple[StoredDocument, tuple[Clause, ...]]]:
        """Documents with their clauses, for the given ids (a snapshot loads only what changed)."""
        found: dict[str, tuple[StoredDocument, tuple[Clause, ...]]] = {}
        db = self._conn()
        for start in range(0, len(doc_ids), 500):
            batch = doc_ids[start : start + 500]
            marks = ",".join("?" * len(batch))
            clauses: dict[str, list[Clause]] = {}
            for doc_id, record in db.execute(
                    f"SELECT doc_id, record FROM clauses WHERE doc_id IN ({marks}) ORDER BY doc_id, ordinal", batch):
                clauses.setdefault(doc_id, []).append(Clause.from_dict(json.loads(record)))
            for doc_id, record, root, chunk_count, generation in db.execute(
                    f"SELECT doc_id, record, root, chunk_count, generation FROM documents WHERE doc_id IN ({marks})", batch):
                stored = StoredDocument(Document.from_dict(json.loads(record)), root, chunk_count, generation)
                found[doc_id] = (stored, tuple(clauses.get(doc_id, ())))
        return found

    def find(self, doc_id: str) -> StoredDocument | None:
        row = self._conn().execute("SELECT record, root, chunk_count, generation FROM documents WHERE doc_id = ?",
                                   (doc_id,)).fetchone()
        return StoredDocument(Document.from_dict(json.loads(row[0])), *row[1:]) if row else None

    def sources(self) -> list[tuple[str, str, str]]:
        """(doc_id, root, source) of every document."""
        return self._conn().execute("SELECT doc_id, root, source FROM documents ORDER BY seq").fetchall()

    def same_number(self, doc_number: str, doc_id: str) -> list[str]:
        """Sources of other documents with this 文号 (possible duplicates)."""
        return [row[0] for row in self._conn().execute(
            "SELECT source FROM documents WHERE doc_number = ? AND doc_id != ? ORDER BY seq", (doc_number, doc_id))]

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self._conn().execute("SELECT chunk_id FROM chunks")}

    def chunk_places(self) -> list[tuple[str, str, str, int]]:
        """(chunk_id, doc_id, clause_path, part) of every chunk: for checks and repair, not queries."""
        return self._conn().execute("SELECT chunk_id, doc_id, clause_path, part FROM chunks ORDER BY id").fetchall()

    def document_chunk_ids(self, doc_id: str) -> list[str]:
        return [row[0] for row in self._conn().execute("SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY id", (doc_id,))]

    # ---- writing -----------------------------------------------------------------------------
    def put_document(self, document: Document, root: str, clauses: tuple[Clause, ...], chunks: list[Chunk]) -> list[str]:
        """Write (or replace) a document in one transaction; returns its chunk ids that are gone."""
        with self._writing() as db:
            old = self._drop_document(db, document.doc_id)
            new = [c.chunk_id for c in chunks]
            generation = self._commit_generation(db, old, new)
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
            db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                document.doc_id, seq, document.source, root, document.content_hash, document.doc_number,
                generation, len(chunks), json.dumps(document.to_dict(), ensure_ascii=False)))
            db.executemany("INSERT INTO clauses VALUES (?, ?, ?, ?)", [
                (document.doc_id, ordinal, c.path, json.dumps(c.to_dict(), ensure_ascii=False))
                for ordinal, c in enumerate(clauses)])
            terms: Counter[tuple[str, str]] = Counter()
            for chunk in chunks:
                meta = chunk.metadata
                rowid = db.execute("INSERT INTO chunks VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
                    chunk.chunk_id, chunk.doc_id, chunk.clause_path, chunk.part, meta.get("level", ""),
                    meta.get("status", ""), meta.get("kind", ""), chunk.text, chunk.embed_text)).lastrowid
                words, bigrams = word_tokens(chunk.embed_text), bigram_tokens(chunk.embed_text)
                db.execute("INSERT INTO chunk_words (rowid, tokens) VALUES (?, ?)", (rowid, " ".join(words)))
                db.execute("INSERT INTO chunk_bigrams (rowid, tokens) VALUES (?, ?)", (rowid, " ".join(bigrams)))
                terms.update(_chunk_terms(words, bigrams, chunk.embed_text))
            db.executemany("INSERT INTO term_stats VALUES (?, ?, ?) "
                           "ON CONFLICT (field, term) DO UPDATE SET df = df + excluded.df",
                           [(field, term, n) for (field, term), n in terms.items()])
        return sorted(set(old) - set(new))

    def remove_document(self, doc_id: str) -> list[str]:
        """Remove a document in one transaction; returns its chunk ids."""
        with self._writing() as db:
            existed = db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            old = self._drop_document(db, doc_id)
            if existed:
                self._commit_generation(db, old, [])
        return old

    def set_root(self, doc_id: str, root: str) -> None:
        """The same file, found under another folder: only where it lives changes."""
        with self._writing() as db:
            db.execute("UPDATE documents SET root = ? WHERE doc_id = ?", (root, doc_id))

    def _drop_document(self, db: sqlite3.Connection, doc_id: str) -> list[str]:
        rows = db.execute("SELECT id, chunk_id, embed_text FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
        terms: Counter[tuple[str, str]] = Counter()
        for rowid, _, embed_text in rows:
            # the stored tokens, not a fresh tokenization: the counts fall by exactly what they rose by
            words = db.execute("SELECT tokens FROM chunk_words WHERE rowid = ?", (rowid,)).fetchone()[0].split()
            bigrams = db.execute("SELECT tokens FROM chunk_bigrams WHERE rowid = ?", (rowid,)).fetchone()[0].split()
            terms.update(_chunk_terms(words, bigrams, embed_text))
            db.execute("DELETE FROM chunk_words WHERE rowid = ?", (rowid,))
            db.execute("DELETE FROM chunk_bigrams WHERE rowid = ?", (rowid,))
        db.executemany("UPDATE term_stats SET df = df - ? WHERE field = ? AND term = ?",
                       [(n, field, term) for (field, term), n in terms.items()])
        db.executemany("DELETE FROM term_stats WHERE field = ? AND term = ? AND df <= 0", list(terms))
        db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))  # clauses and chunks cascade
        return [row[1] for row in rows]


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _chunk_terms(words: list[str], bigrams: list[str], embed_text: str) -> set[tuple[str, str]]:
    """The (field, term) pairs a chunk counts once for."""
    return ({("w", t) for t in words} | {("b", t) for t in bigrams}
            | {("g", t) for t in char_bigrams(embed_text)})


def _statements(script: str) -> list[str]:
    """The schema's statements, run inside one transaction (executescript would commit first)."""
    return [s.strip() for s in script.split(";\n") if s.strip()]
