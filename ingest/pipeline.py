"""Batch ingest: load → repair → metadata and clauses → chunks → vectors and catalog.

A document's identity is where it came from (its path relative to the folder ingested, or an
upload's content hash), never its title or 文号: two files are two documents. A batch never
aborts: any failure in one file skips that file with a one-line reason, its partial writes rolled
back, and the rest goes in. The whole batch holds the data folder's writer lock.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ingest.chunking import chunk_document
from ingest.clauses import parse_clauses
from ingest.errors import SkippedFile
from ingest.index import PolicyIndex
from ingest.loaders import SUPPORTED, load_file
from ingest.metadata import extract_metadata
from ingest.models import Document, ParsedDocument
from ingest.normalize import normalize_pages
from ingest.settings import Settings

UPLOADS = "uploads"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_id(source: str) -> str:
    """A document ingested from a folder is its path relative to that folder."""
    return hashlib.sha1(f"source|{source}".encode("utf-8")).hexdigest()[:16]


def upload_id(content_hash: str) -> str:
    """An uploaded document is its content: the same bytes uploaded twice are one document."""
    return hashlib.sha1(f"upload|{content_hash}".encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class SourceFile:
    path: Path  # where it is read from
    source: str  # as stored: relative to root
    root: str  # the folder it was ingested from, absolute ('' = the data folder: uploads)
    doc_id: str
    name: str  # as shown in reports

    @classmethod
    def upload(cls, stored: Path, content_hash: str, original_name: str) -> "SourceFile":
        return cls(stored, f"{UPLOADS}/{content_hash}/{original_name}", "", upload_id(content_hash), original_name)


def resolve_source(settings: Settings, root: str, source: str) -> Path:
    return (Path(root) if root else settings.data_dir) / source


def parse_document(path: Path, settings: Settings, content_hash: str | None = None, doc_id: str | None = None,
                   source: str | None = None) -> ParsedDocument:
    extracted = load_file(path, settings.max_file_mb * 1024 * 1024, settings.max_pdf_pages)
    paragraphs = normalize_pages(extracted.pages, extracted.paged)
    if not any(p.text.strip() for p in paragraphs):
        raise SkippedFile(path, "no readable text after cleaning")
    meta = extract_metadata(paragraphs, fallback_title=path.stem)
    clauses = tuple(parse_clauses(paragraphs))
    document = Document(
        doc_id=doc_id or source_id(source or path.name),
        title=meta.title,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        date=meta.date,
        status=meta.status,
        level=meta.level,
        addressees=meta.addressees,
        source=source or path.name,
        content_hash=content_hash or file_hash(path),
        pages=len(extracted.pages) if extracted.paged else None,
    )
    return ParsedDocument(document, clauses)


def collect_files(paths: list[Path | SourceFile]) -> list[SourceFile]:
    """Files to ingest: the given files (named for themselves), and supported files under given
    folders (named by their path below the folder; README.md and hidden files excluded)."""
    found: list[SourceFile] = []
    for path in paths:
        if isinstance(path, SourceFile):
            found.append(path)
        elif path.is_dir():
            root = path.resolve()
            for file in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                               and p.name.lower() != "readme.md" and not p.name.startswith(".")):
                source = file.relative_to(root).as_posix()
                found.append(SourceFile(file, source, str(root), source_id(source), source))
        else:
            found.append(SourceFile(path, path.name, str(path.resolve().parent), source_id(path.name), path.name))
    return found


@dataclass
class FileOutcome:
    name: str
    status: str  # added | updated | unchanged | skipped | removed
    title: str = ""
    clauses: int = 0
    chunks: int = 0
    reason: str = ""


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    total_chunks: int = 0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def skipped(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "skipped"]

    @property
    def chunks_written(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.status in ("added", "updated"))

    @property
    def nothing_ingested(self) -> bool:
        return not any(o.status in ("added", "updated", "unchanged") for o in self.outcomes)


Progress = Callable[[int, int, str], None]


def ingest(paths: list[Path | SourceFile], settings: Settings, index: PolicyIndex, embedder, prune: bool = False,
           progress: Progress | None = None, show_bar: bool = False, wait: bool = True,
           on_wait: Callable[[str], None] | None = None) -> IngestReport:
    """Ingest files and folders into `index`. `progress(done, total, name)` is called per file.
    Holds the writer lock for the batch: another writer waits (or, with wait=False, fails fast)."""
    started = time.perf_counter()
    report = IngestReport()
    files = collect_files(paths)
    index.check_model(embedder.name, embedder.dimension)
    bar = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", desc="入库", file=sys.stderr, dynamic_ncols=True)
    with index.writing(wait=wait, on_wait=on_wait):
        seen: dict[str, str] = {}
        for number, file in enumerate(files, start=1):
            report.outcomes.append(_ingest_safely(file, settings, index, embedder, seen))
            if bar is not None:
                bar.update(1)
                elapsed = time.perf_counter() - started
                bar.set_postfix(chunks=report.chunks_written, rate=f"{report.chunks_written / max(elapsed, 1e-6):.1f} chunks/s")
            if progress:
                progress(number, len(files), file.name)
        if bar is not None:
            bar.close()
        if prune:
            for doc_id, root, source in index.catalog.sources():
                if not resolve_source(settings, root, source).exists():
                    title = index.stored(doc_id).document.title
                    index.remove_document(doc_id)
                    report.outcomes.append(FileOutcome(source, "removed", title))
    report.total_chunks = index.catalog.state().chunk_count
    report.seconds = time.perf_counter() - started
    return report


def _ingest_safely(file: SourceFile, settings: Settings, index: PolicyIndex, embedder, seen: dict[str, str]) -> FileOutcome:
    """One file; whatever goes wrong in it is that file's outcome, never the batch's."""
    try:
        return _ingest_one(file, settings, index, embedder, seen)
    except SkippedFile as skipped:
        return FileOutcome(file.name, "skipped", reason=skipped.reason)
    except Exception as error:  # parse, id collision, store: the file is skipped, its writes rolled back
        detail = " ".join(str(error).split())[:200]
        return FileOutcome(file.name, "skipped", reason=f"not ingested ({type(error).__name__}: {detail})")


def _ingest_one(file: SourceFile, settings: Settings, index: PolicyIndex, embedder, seen: dict[str, str]) -> FileOutcome:
    try:
        content_hash = file_hash(file.path)
    except OSError as error:
        return FileOutcome(file.name, "skipped", reason=f"cannot be read ({error.strerror})")
    if file.doc_id in seen:
        return FileOutcome(file.name, "unchanged", reason=f"same file as {seen[file.doc_id]} in this batch")
    seen[file.doc_id] = file.name
    existing = index.stored(file.doc_id)
    if existing and existing.document.content_hash == content_hash:
        if existing.root != file.root:
            index.set_root(file.doc_id, file.root)
        return FileOutcome(file.name, "unchanged", existing.document.title,
                           len(index.catalog.load([file.doc_id])[file.doc_id][1]), existing.chunk_count)
    parsed = parse_document(file.path, settings, content_hash, file.doc_id, file.source)
    chunks = chunk_document(parsed, settings.chunk_chars)
    embeddings = embedder.embed_passages([c.embed_text for c in chunks], settings.embed_batch_size)
    index.write_document(parsed, chunks, embeddings, root=file.root)
    document = parsed.document
    duplicates = index.catalog.same_number(document.doc_number, document.doc_id) if document.doc_number else []
    reason = f"possible duplicate of {'、'.join(duplicates)} (same 文号 {document.doc_number}); both kept" if duplicates else ""
    return FileOutcome(file.name, "updated" if existing else "added", document.title, len(parsed.clauses),
                       len(chunks), reason)
