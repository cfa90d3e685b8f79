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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ingest.chunking import chunk_document
from ingest.clauses import parse_clauses
from ingest.errors import SkippedFile
from ingest.guards import Refusal, drop_repeated_clauses, scan_paths
from ingest.index import PolicyIndex
from ingest.loaders import LoadOptions, check_file, load_file
from ingest.metadata import extract_metadata
from ingest.models import Document, ParsedDocument
from ingest.normalize import Paragraph, normalize_document
from ingest.settings import Settings

UPLOADS = "uploads"


def file_hash(path: Path) -> str:
    """SHA-256 of the file, read in blocks: hashing never holds a whole file in memory."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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


def _without_running_titles(paragraphs: list[Paragraph], title: str) -> list[Paragraph]:
    """A printed page may repeat the title in its body (a running header, a 历史版本 link): a short
    paragraph that starts with the title and holds no sentence is furniture after its first use."""
    seen, kept = False, []
    for paragraph in paragraphs:
        text = paragraph.text
        if title and text.startswith(title) and len(text) <= len(title) + 25 and "。" not in text:
            if seen:
                continue
            seen = True
        kept.append(paragraph)
    return kept


def parse_document(path: Path, settings: Settings, content_hash: str | None = None, doc_id: str | None = None,
                   source: str | None = None, progress=None) -> ParsedDocument:
    options = LoadOptions(max_pdf_pages=settings.max_pdf_pages, ocr=settings.ocr, progress=progress)
    extracted = load_file(path, settings.max_file_mb * 1024 * 1024, options)
    normalized = normalize_document(extracted.pages, extracted.paged, extracted.ocr_pages)
    if not any(p.text.strip() for p in normalized.paragraphs):
        raise SkippedFile(path, "no readable text after cleaning")
    meta = extract_metadata(normalized.paragraphs, fallback_title=path.stem, furniture=normalized.furniture)
    clauses = tuple(parse_clauses(_without_running_titles(normalized.paragraphs, meta.title)))
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
        issuers=meta.issuers,
        effective_date=meta.effective_date,
        kind=meta.kind,
        status_word=meta.status_word,
        ocr_pages=len(extracted.ocr_pages),
    )
    return ParsedDocument(document, clauses)


def collect_files(paths: list[Path | SourceFile]) -> tuple[list[SourceFile], list[Refusal]]:
    """Files to ingest: the given files (named for themselves), and the files under given folders
    that ingest.guards lets in (named by their path below the folder), with the walk's refusals."""
    found: list[SourceFile] = []
    refused: list[Refusal] = []
    for path in paths:
        if isinstance(path, SourceFile):
            found.append(path)
            continue
        collected = scan_paths([path])
        refused += collected.refused
        if path.is_dir():
            root = path.resolve()
            for file in collected.files:
                source = file.relative_to(path).as_posix()
                found.append(SourceFile(file, source, str(root), source_id(source), source))
        else:
            found += [SourceFile(f, f.name, str(f.resolve().parent), source_id(f.name), f.name) for f in collected.files]
    return found, refused


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
    files, refused = collect_files(paths)
    report.outcomes += [FileOutcome(r.path.name, "skipped", reason=r.reason) for r in refused]
    index.check_model(embedder.name, embedder.dimension)
    bar = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", desc="入库", file=sys.stderr, dynamic_ncols=True)

    def pages_read(done: int, total: int, note: str) -> None:  # OCR reports each page of a scan
        if bar is not None:
            bar.set_postfix_str(f"{note}（{done}/{total}页）")

    try:
        with index.writing(wait=wait, on_wait=on_wait):
            seen: dict[str, str] = {}
            for number, file in enumerate(files, start=1):
                report.outcomes.append(_ingest_safely(file, settings, index, embedder, seen, pages_read))
                if bar is not None:
                    bar.update(1)
                    elapsed = time.perf_counter() - started
                    bar.set_postfix(chunks=report.chunks_written,
                                    rate=f"{report.chunks_written / max(elapsed, 1e-6):.1f} chunks/s")
                if progress:
                    progress(number, len(files), file.name)
            if prune:
                for doc_id, root, source in index.catalog.sources():
                    if not resolve_source(settings, root, source).exists():
                        title = index.stored(doc_id).document.title
                        index.remove_document(doc_id)
                        report.outcomes.append(FileOutcome(source, "removed", title))
    finally:  # also when the lock wait is interrupted: the error is printed on a line of its own
        if bar is not None:
            bar.close()
    report.total_chunks = index.catalog.state().chunk_count
    report.seconds = time.perf_counter() - started
    return report


def _ingest_safely(file: SourceFile, settings: Settings, index: PolicyIndex, embedder, seen: dict[str, str],
                   pages_read=None) -> FileOutcome:
    """One file; whatever goes wrong in it is that file's outcome, never the batch's."""
    try:
        return _ingest_one(file, settings, index, embedder, seen, pages_read)
    except SkippedFile as skipped:
        return FileOutcome(file.name, "skipped", reason=skipped.reason)
    except Exception as error:  # parse, id collision, store: the file is skipped, its writes rolled back
        detail = " ".join(str(error).split())[:200]
        return FileOutcome(file.name, "skipped", reason=f"not ingested ({type(error).__name__}: {detail})")


def _ingest_one(file: SourceFile, settings: Settings, index: PolicyIndex, embedder, seen: dict[str, str],
                pages_read=None) -> FileOutcome:
    try:
        check_file(file.path, settings.max_file_mb * 1024 * 1024)  # from stat: a too-large file is never read
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
    parsed = parse_document(file.path, settings, content_hash, file.doc_id, file.source, progress=pages_read)
    clauses, repeated = drop_repeated_clauses(parsed.clauses)
    parsed = replace(parsed, clauses=clauses)
    notes = [f"{repeated} clauses repeating an earlier clause word for word were dropped (the first is kept): "
             "check the file"] if repeated else []
    chunks = chunk_document(parsed, settings.chunk_chars)
    embeddings = embedder.embed_passages([c.embed_text for c in chunks], settings.embed_batch_size)
    index.note_passage_encoder(getattr(embedder, "passage_encoder", None))
    index.write_document(parsed, chunks, embeddings, root=file.root)
    document = parsed.document
    duplicates = index.catalog.same_number(document.doc_number, document.doc_id) if document.doc_number else []
    if duplicates:
        notes.append(f"possible duplicate of {'、'.join(duplicates)} (same 文号 {document.doc_number}); both kept")
    return FileOutcome(file.name, "updated" if existing else "added", document.title, len(parsed.clauses),
                       len(chunks), "; ".join(notes))
