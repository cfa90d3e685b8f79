"""Batch ingest: load → repair → metadata and clauses → chunks → vectors and keywords.

A bad file is skipped with its reason; the rest of the batch goes in and the index stays intact.
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
from ingest.guards import drop_repeated_clauses, scan_paths
from ingest.index import PolicyIndex
from ingest.loaders import LoadOptions, check_file, load_file
from ingest.metadata import extract_metadata
from ingest.models import Document, ParsedDocument
from ingest.normalize import Paragraph, normalize_document
from ingest.settings import Settings


def file_hash(path: Path) -> str:
    """SHA-256 of the file, read in blocks: hashing never holds a whole file in memory."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def document_id(title: str, doc_number: str | None, status: str) -> str:
    """A document is its 文号 (or title) and status: a final version never overwrites its draft."""
    return hashlib.sha1(f"{doc_number or title}|{status}".encode("utf-8")).hexdigest()[:16]


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


def parse_document(path: Path, settings: Settings, content_hash: str | None = None, progress=None) -> ParsedDocument:
    options = LoadOptions(max_pdf_pages=settings.max_pdf_pages, ocr=settings.ocr, progress=progress)
    extracted = load_file(path, settings.max_file_mb * 1024 * 1024, options)
    normalized = normalize_document(extracted.pages, extracted.paged, extracted.ocr_pages)
    if not any(p.text.strip() for p in normalized.paragraphs):
        raise SkippedFile(path, "no readable text after cleaning")
    meta = extract_metadata(normalized.paragraphs, fallback_title=path.stem, furniture=normalized.furniture)
    clauses = tuple(parse_clauses(_without_running_titles(normalized.paragraphs, meta.title)))
    document = Document(
        doc_id=document_id(meta.title, meta.doc_number, meta.status),
        title=meta.title,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        date=meta.date,
        status=meta.status,
        level=meta.level,
        addressees=meta.addressees,
        source=str(path.resolve()),
        content_hash=content_hash or file_hash(path),
        pages=len(extracted.pages) if extracted.paged else None,
        issuers=meta.issuers,
        effective_date=meta.effective_date,
        kind=meta.kind,
        status_word=meta.status_word,
        ocr_pages=len(extracted.ocr_pages),
    )
    return ParsedDocument(document, clauses)


def collect_files(paths: list[Path]) -> list[Path]:
    """Files to ingest: the given files, and the files under given folders that ingest.guards lets in
    (`scan_paths` also says why each other file is left out)."""
    return scan_paths(paths).files


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


def ingest(paths: list[Path], settings: Settings, index: PolicyIndex, embedder, prune: bool = False,
           progress: Progress | None = None, show_bar: bool = False) -> IngestReport:
    """Ingest files and folders into `index`. `progress(done, total, name)` is called per file."""
    started = time.perf_counter()
    report = IngestReport()
    collected = scan_paths(paths)
    files = collected.files
    report.outcomes += [FileOutcome(r.path.name, "skipped", reason=r.reason) for r in collected.refused]
    index.check_model(embedder.name, embedder.dimension)
    bar = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", desc="入库", file=sys.stderr, dynamic_ncols=True)
    seen_ids: set[str] = set()
    try:
        def pages_read(done: int, total: int, note: str) -> None:  # OCR reports each page of a scan
            if bar is not None:
                bar.set_postfix_str(f"{note}（{done}/{total}页）")

        for number, path in enumerate(files, start=1):
            report.outcomes.append(_ingest_one(path, settings, index, embedder, seen_ids, pages_read))
            if bar is not None:
                bar.update(1)
                elapsed = time.perf_counter() - started
                bar.set_postfix(chunks=report.chunks_written, rate=f"{report.chunks_written / max(elapsed, 1e-6):.1f} chunks/s")
            if progress:
                progress(number, len(files), path.name)
    finally:  # also when a file's failure ends the batch: the error is printed on a line of its own
        if bar is not None:
            bar.close()
    if prune:
        for document in index.documents():
            if not Path(document.source).exists():
                index.remove_document(document.doc_id)
                report.outcomes.append(FileOutcome(Path(document.source).name, "removed", document.title))
    index.refresh_keywords()
    report.total_chunks = index.store.count()
    report.seconds = time.perf_counter() - started
    return report


def _ingest_one(path: Path, settings: Settings, index: PolicyIndex, embedder, seen_ids: set[str],
                pages_read=None) -> FileOutcome:
    name = path.name
    try:
        check_file(path, settings.max_file_mb * 1024 * 1024)  # from stat: a too-large file is never read
        content_hash = file_hash(path)
    except SkippedFile as skipped:
        return FileOutcome(name, "skipped", reason=skipped.reason)
    except OSError as error:
        return FileOutcome(name, "skipped", reason=f"cannot be read ({error.strerror})")
    source = str(path.resolve())
    previous_id = index.doc_for_source(source)
    if previous_id and (doc := index.document(previous_id)) and doc.content_hash == content_hash:
        seen_ids.add(previous_id)
        return FileOutcome(name, "unchanged", doc.title, len(index.clauses(previous_id)), index.chunk_count(previous_id))
    try:
        parsed = parse_document(path, settings, content_hash, progress=pages_read)
    except SkippedFile as skipped:
        return FileOutcome(name, "skipped", reason=skipped.reason)
    clauses, repeated = drop_repeated_clauses(parsed.clauses)
    parsed = replace(parsed, clauses=clauses)
    note = (f"{repeated} clauses repeating an earlier clause word for word were dropped (the first is kept): "
            "check the file" if repeated else "")
    document = parsed.document
    if document.doc_id in seen_ids:
        return FileOutcome(name, "skipped", document.title,
                           reason="same document (文号/title and status) as another file in this batch: not ingested twice")
    seen_ids.add(document.doc_id)
    existing = index.document(document.doc_id)
    if existing and existing.source != source and Path(existing.source).exists():
        if existing.content_hash == content_hash:
            return FileOutcome(name, "unchanged", document.title, len(parsed.clauses), index.chunk_count(document.doc_id))
    chunks = chunk_document(parsed, settings.chunk_chars)
    embeddings = embedder.embed_passages([c.embed_text for c in chunks], settings.embed_batch_size)
    index.note_passage_encoder(getattr(embedder, "passage_encoder", None))
    index.write_document(parsed, chunks, embeddings)
    if previous_id and previous_id != document.doc_id:
        index.remove_document(previous_id)  # the file now reads as another document
    status = "updated" if (existing or previous_id) else "added"
    return FileOutcome(name, status, document.title, len(parsed.clauses), len(chunks), reason=note)
