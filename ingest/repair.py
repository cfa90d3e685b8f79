"""`policyqa repair`: bring the catalog and the vector store back in step.

- A damaged catalog (fails its integrity check, or is missing) is moved aside and rebuilt by
  re-parsing the stored sources: those the vector store's metadata names (folder + relative path)
  and every file under `uploads/`. Vectors whose chunk ids match are reused, not re-embedded.
- A healthy catalog: orphan vectors are deleted and chunks without a vector are embedded again
  from the catalog's own texts (a new or emptied chroma server).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ingest.catalog import CATALOG_FILE, Catalog
from ingest.chunking import chunk_document
from ingest.errors import CatalogDamaged, SkippedFile
from ingest.index import PolicyIndex, index_key
from ingest.lock import WriterLock
from ingest.pipeline import UPLOADS, SourceFile, file_hash, parse_document, resolve_source, upload_id
from ingest.settings import Settings


@dataclass
class RepairReport:
    damage: str = ""  # what was wrong with the catalog ("" when it was sound)
    moved_to: Path | None = None
    documents: int = 0  # documents in the rebuilt catalog
    reembedded: int = 0  # chunks embedded again
    orphans: int = 0  # vectors deleted because no catalog entry names them
    lost: list[str] = field(default_factory=list)  # sources that could not be re-read


def _move_aside(folder: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{CATALOG_FILE}.damaged-{stamp}"
    for suffix in ("", "-wal", "-shm"):
        part = folder / (CATALOG_FILE + suffix)
        if part.exists():
            part.rename(Path(str(target) + suffix))
    return target


def repair(settings: Settings, embedder_factory: Callable[[], object], chroma_url: str | None = None,
           wait: bool = True, on_wait: Callable[[str], None] | None = None) -> RepairReport:
    report = RepairReport()
    folder = settings.data_dir / f"index-{index_key(settings)}"
    lock = WriterLock(settings.data_dir)
    lock.acquire(wait, on_wait)  # held across the move and the rebuild; the index re-enters it
    try:
        try:
            Catalog(folder).close()
        except CatalogDamaged as damaged:
            report.damage = str(damaged)
            report.moved_to = _move_aside(folder) if (folder / CATALOG_FILE).exists() else None
        except FileNotFoundError:
            report.damage = f"no catalog in {folder}"
        index = PolicyIndex(settings, create=True, chroma_url=chroma_url)
        index.lock = lock
        embedder = embedder_factory()
        index.check_model(embedder.name, embedder.dimension)
        with index.writing(allow_missing=True):
            if report.damage:
                _rebuild(index, settings, embedder, report)
            missing, report.orphans = index.reconcile(allow_missing=True)
            _embed_missing(index, settings, embedder, missing, report)
            index.mark()
        report.documents = len(index.catalog.sources())
        return report
    finally:
        lock.release()


def _rebuild(index: PolicyIndex, settings: Settings, embedder, report: RepairReport) -> None:
    """Re-parse every source the vector store or the uploads folder knows of."""
    known = {}
    for meta in index.store.metadatas().values():
        if meta.get("doc_id") and "source" in meta:
            known[str(meta["doc_id"])] = (str(meta.get("root", "")), str(meta["source"]))
    files: list[SourceFile] = []
    for doc_id, (root, source) in sorted(known.items(), key=lambda item: item[1]):
        path = resolve_source(settings, root, source)
        if not path.exists():
            report.lost.append(source)
            continue
        files.append(SourceFile(path, source, root, doc_id, source))
    uploads = settings.data_dir / UPLOADS
    listed = {f.doc_id for f in files}
    for stored in sorted(uploads.glob("*/*")) if uploads.exists() else []:
        content_hash = stored.parent.name
        if stored.is_file() and upload_id(content_hash) not in listed:
            files.append(SourceFile.upload(stored, content_hash, stored.name))
    for file in files:
        try:
            parsed = parse_document(file.path, settings, file_hash(file.path), file.doc_id, file.source)
        except SkippedFile as skipped:
            report.lost.append(f"{file.source} ({skipped.reason})")
            continue
        chunks = chunk_document(parsed, settings.chunk_chars)
        ids = [c.chunk_id for c in chunks]
        vectors = index.store.embeddings(ids)
        if len(vectors) == len(ids):  # the same file: its vectors are still there
            index.write_document(parsed, chunks, np.stack([vectors[i] for i in ids]) if ids else np.zeros((0, 1)),
                                 root=file.root, vectors_present=True)
        else:
            embeddings = embedder.embed_passages([c.embed_text for c in chunks], settings.embed_batch_size)
            index.write_document(parsed, chunks, embeddings, root=file.root)
            report.reembedded += len(chunks)


def _embed_missing(index: PolicyIndex, settings: Settings, embedder, missing: set[str], report: RepairReport) -> None:
    """Chunks the catalog lists but the vector store lacks: embedded again from the catalog's texts."""
    if not missing:
        return
    from ingest.index import _vector_metadata
    from ingest.models import Chunk

    roots = {doc_id: (root, source) for doc_id, root, source in index.catalog.sources()}
    chunks = []
    for chunk_id, row in index.keywords().fetch(sorted(missing)).items():
        root, source = roots[row.doc_id]
        chunks.append((Chunk(chunk_id, row.doc_id, row.clause_path, row.part, row.text, row.embed_text,
                             {"level": row.level, "status": row.status, "kind": row.kind, "source": source}), root))
    embeddings = embedder.embed_passages([c.embed_text for c, _ in chunks], settings.embed_batch_size)
    index.store.upsert([c.chunk_id for c, _ in chunks], embeddings, [_vector_metadata(c, root) for c, root in chunks])
    report.reembedded += len(chunks)
