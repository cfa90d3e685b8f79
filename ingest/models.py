"""Small immutable records that flow from ingest to retrieval and answers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, asdict


UNMARKED = "未标明"  # status label of a text that carries no mark of issue


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    doc_number: str | None  # 文号, e.g. 川办发〔2022〕67号
    issuer: str | None
    date: str | None  # ISO yyyy-mm-dd
    status: str  # "final" | "draft"
    level: str | None  # "province" | "city" | "county"
    addressees: tuple[str, ...]
    source: str  # path relative to the folder ingested (a single file: its name; an upload: uploads/<sha256>/<name>)
    content_hash: str
    pages: int | None = None  # PDFs only
    issuers: tuple[str, ...] = ()  # every issuing body (a joint document has several); issuer joins them
    effective_date: str | None = None  # ISO date of effect (施行), when the text states one
    kind: str | None = None  # 法律, 条例, 办法, 实施意见, 方案, 通知 …
    status_word: str | None = None  # what the document calls itself: 征求意见稿, 草案, 试行 …
    ocr_pages: int = 0  # pages read by OCR

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def label(self) -> str:
        """Title, 文号 and draft mark as a person reads them in a citation."""
        label = f"《{self.title}》"
        if self.doc_number:
            label += f"（{self.doc_number}）"
        if self.status_word:
            label += f"【{self.status_word}】"
        return label

    @property
    def status_label(self) -> str:
        """正式 / 征求意见稿 / 草案 / 试行 — the document's own word for what it is. 未标明 when nothing in
        the text marks it as issued (no 文号, issuer or date): a note or an excerpt is not a 正式 document."""
        if self.status_word or self.is_draft:
            return self.status_word or "征求意见稿"
        return "正式" if self.doc_number or self.issuers or self.issuer or self.date else UNMARKED

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> "Document":
        return cls(**{**raw, "addressees": tuple(raw.get("addressees", ())), "issuers": tuple(raw.get("issuers", ()))})


@dataclass(frozen=True)
class Clause:
    path: str  # e.g. 三、（一） / 专栏 1 / 附件 2 备注
    heading: str
    text: str  # normalized text, the source of every quote
    page_start: int | None = None
    page_end: int | None = None
    units: tuple[str, ...] = ()  # responsible units, as listed
    lead_unit: str | None = None  # set only where the document defines a lead rule
    standing_rule: str | None = None  # a document-wide duty attached to the clauses it covers
    kind: str = "clause"  # clause | box | annex | note | preamble
    ocr: bool = False  # its text was read by OCR from a scanned page: check it against the page

    @property
    def pages(self) -> str:
        if self.page_start is None:
            return ""
        if self.page_end in (None, self.page_start):
            return f"第{self.page_start}页"
        return f"第{self.page_start}–{self.page_end}页"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> "Clause":
        return cls(**{**raw, "units": tuple(raw.get("units", ()))})


@dataclass(frozen=True)
class ParsedDocument:
    document: Document
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    clause_path: str
    part: int
    text: str  # the clause text (or part of it) shown and quoted
    embed_text: str  # title + clause path + text, what is embedded and keyword-indexed
    metadata: dict = field(default_factory=dict)  # flat: str/int/float/bool only

    @staticmethod
    def make_id(doc_id: str, content_hash: str, ordinal: int, clause_path: str, part: int) -> str:
        """Unique within a document by construction (the clause's ordinal), and new for every
        version of the file (its content hash), so a new version's vectors never overwrite the
        old ones before the catalog switches to them."""
        basis = f"{doc_id}|{content_hash}|{ordinal}|{clause_path}|{part}"
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:24]
