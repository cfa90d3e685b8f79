"""What an answer is made of: retrieved evidence, citations a person can check, the answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.models import Clause, Document


@dataclass(frozen=True)
class Evidence:
    """One retrieved clause with the chunk that matched best; `score` is fused, higher is better."""

    document: Document
    clause: Clause
    score: float
    chunk_text: str
    dense: float = 0.0  # cosine similarity of the best chunk
    chunk_id: str = ""  # the best chunk's id in the catalog and the vector store


@dataclass(frozen=True)
class Citation:
    document: Document
    clause: Clause
    quote: str  # occurs character for character in clause.text

    def __post_init__(self) -> None:
        if self.quote not in self.clause.text:
            raise ValueError(f"quote not found in {self.document.title} {self.clause.path}: {self.quote!r}")

    @property
    def page(self) -> int | None:
        return self.clause.page_start

    @property
    def label(self) -> str:
        pages = f"，{self.clause.pages}" if self.clause.pages else ""
        return f"{self.document.label} {self.clause.path}{pages}"

    def to_json(self) -> dict:
        return {
            "doc_title": self.document.title,
            "doc_number": self.document.doc_number,
            "clause_path": self.clause.path,
            "page": self.page,
            "quote": self.quote,
            "text": self.clause.text,
        }


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    refused: bool = False
    kind: str = "other"
    notice: str = ""  # e.g. the LLM failed and the extractive answer is shown
    source: str = "extractive"  # "llm" when the text is an LLM's phrasing that passed the claim check
    confidence: float = 0.0  # calibrated chance the answer is right (rag.refusal); shown as 依据充分/较弱
    nearest: list[Citation] = field(default_factory=list)  # a refusal's closest clauses: NOT sources

    def to_json(self, question_id=None) -> dict:
        payload = {"answer": self.text, "refused": self.refused, "confidence": round(self.confidence, 3),
                   "citations": [c.to_json() for c in self.citations],
                   "nearest": [c.to_json() for c in self.nearest]}
        if question_id is not None:
            payload = {"id": question_id, **payload}
        return payload  # a stable shape: tools outside the project read it

    def render(self) -> str:
        """Plain text for a terminal: the answer, then numbered sources with their quotes."""
        lines = [self.text]
        if self.notice:
            lines.append(f"（{self.notice}）")
        for number, citation in enumerate(self.citations, start=1):
            lines.append(f"[{number}] {citation.label}")
            lines.append(f"    “{citation.quote}”")
        return "\n".join(lines)
