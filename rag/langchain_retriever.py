"""The hybrid retriever as a langchain-core `BaseRetriever`, returning clause Documents."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from rag.retrieval import HybridRetriever, Scope


class PolicyRetriever(BaseRetriever):
    """`PolicyRetriever(hybrid=HybridRetriever(...)).invoke("问题")` → clauses with metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    hybrid: HybridRetriever
    k: int = 8
    scope: Any = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        evidence = self.hybrid.search(query, self.scope or Scope(), self.k)
        return [
            LCDocument(
                page_content=item.clause.text,
                metadata={
                    "doc_id": item.document.doc_id,
                    "doc_title": item.document.title,
                    "doc_number": item.document.doc_number or "",
                    "status": item.document.status,
                    "level": item.document.level or "",
                    "clause_path": item.clause.path,
                    "heading": item.clause.heading,
                    "page": item.clause.page_start,
                    "units": list(item.clause.units),
                    "lead_unit": item.clause.lead_unit,
                    "score": item.score,
                },
            )
            for item in evidence
        ]
