"""The document library as people read it: one summary per document and a document's clause tree.

`policyqa docs`, the web app's 文件库 and the tests all use these, so the CLI, the UI and what the
tests pin never disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.models import Document

LEVEL_LABELS = {"national": "国家", "province": "省", "city": "市", "county": "县"}


@dataclass(frozen=True)
class DocumentSummary:
    doc_id: str
    title: str
    doc_number: str | None
    issuers: tuple[str, ...]
    date: str | None
    effective_date: str | None
    kind: str | None
    status: str  # 正式 / 征求意见稿 / 草案 / 试行 — the document's own word
    level: str | None
    clauses: int
    chunks: int
    source: str  # file name
    ocr_pages: int

    def to_dict(self) -> dict:
        return {**asdict(self), "issuers": list(self.issuers)}


def summarize(index, document: Document) -> DocumentSummary:
    return DocumentSummary(
        doc_id=document.doc_id, title=document.title, doc_number=document.doc_number,
        issuers=document.issuers or ((document.issuer,) if document.issuer else ()), date=document.date,
        effective_date=document.effective_date, kind=document.kind, status=document.status_label,
        level=document.level, clauses=len(index.clauses(document.doc_id)), chunks=index.chunk_count(document.doc_id),
        source=Path(document.source).name, ocr_pages=document.ocr_pages,
    )


def summaries(index) -> list[DocumentSummary]:
    order = {"national": 0, "province": 1, "city": 2, "county": 3}
    documents = sorted(index.documents(), key=lambda d: (order.get(d.level or "", 4), d.title))
    return [summarize(index, d) for d in documents]


def find_document(index, reference: str) -> Document | None:
    """A document by id, 文号, file name, exact title, or a unique part of its title."""
    reference = reference.strip()
    documents = index.documents()
    for document in documents:
        if reference in (document.doc_id, document.doc_number, document.title, Path(document.source).name):
            return document
    partial = [d for d in documents if reference and reference in d.title]
    return partial[0] if len(partial) == 1 else None


def clause_tree(index, document: Document) -> list[str]:
    """One line per clause, indented by depth, with its heading, units (lead marked) and an OCR mark."""
    lines = []
    for clause in index.clauses(document.doc_id):
        depth = clause.path.count("、") + clause.path.count("）") + clause.path.count(".") + clause.path.count(" ")
        line = "  " * max(depth - 1, 0) + clause.path
        if clause.heading:
            line += f" {clause.heading}"
        if clause.units:
            units = [f"{u}（牵头）" if u == clause.lead_unit else u for u in clause.units]
            line += f"  〔责任单位：{'、'.join(units)}〕"
        if clause.ocr:
            line += "  〔OCR〕"
        lines.append(line)
    return lines
