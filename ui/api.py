"""The app's API for programs (gradio_client or plain HTTP): named endpoints that return JSON.

/ask, /lookup, /industry, /documents, /upload, /remove. The page's own events are private (not in the
API page, not callable by clients); these are the public surface, documented in the README. A bad
value is refused with one Chinese line naming it (the client raises it as its error).
"""

# No `from __future__ import annotations`: gradio reads these functions' type hints to describe them.

from pathlib import Path

import gradio as gr

from rag.industry import search_industry
from rag.library import find_document, summaries
from rag.lookup import lookup as lookup_clause
from rag.models import Answer, Citation
from rag.retrieval import Scope
from ui.citations import clause_url
from ui.context import AppContext, reported
from ui.library_tab import may_edit, upload_files
from ui.views import support_label


def citation_json(citation: Citation) -> dict:
    return {"document": citation.document.title, "doc_number": citation.document.doc_number,
            "doc_id": citation.document.doc_id, "status": citation.document.status_label,
            "clause_path": citation.clause.path, "quote": citation.quote, "page": citation.page,
            "url": clause_url(citation)}


def answer_json(answer: Answer) -> dict:
    return {"question": answer.question, "answer": answer.text, "refused": answer.refused,
            "confidence": round(answer.confidence, 3), "support": support_label(answer) or "未能回答",
            "citations": [citation_json(c) for c in answer.citations],
            "nearest": [citation_json(c) for c in answer.nearest], "notice": answer.notice or None}


def register(ctx: AppContext) -> None:
    """Declare the endpoints inside the app's Blocks."""
    assistant = ctx.assistant

    def _documents(references: list[str]) -> frozenset[str] | None:
        chosen = set()
        for reference in references or []:
            document = find_document(assistant.index, str(reference))
            if document is None:
                raise gr.Error(f"documents 中的“{reference}”不是文件库中的文件：请给出 doc_id、文号或完整标题（见 /documents）。")
            chosen.add(document.doc_id)
        return frozenset(chosen) or None

    @reported("问答")
    def ask(question: str, documents: list[str] | None = None) -> dict:
        """Answer a question with clause-level citations. documents: optional doc_ids / 文号 / titles to search in."""
        if not (question or "").strip():
            raise gr.Error("question 为空：请给出问题，例如“百日攻坚第三季什么时候结束？”")
        answer, _ = assistant.ask(question, None, Scope(doc_ids=_documents(documents or [])))
        return answer_json(answer)

    @reported("条款查询")
    def lookup(citation: str) -> dict:
        """Find a clause by 文号 / title + clause path, e.g. 川办发〔2022〕67号 （七）."""
        if not (citation or "").strip():
            raise gr.Error("citation 为空：请给出文号或标题以及条款路径，例如“川办发〔2022〕67号 （七）”。")
        result = lookup_clause(assistant.retriever, citation)
        return {"query": citation, "exact": result.exact, "message": result.message or None,
                "clauses": [{"document": h.document.title, "doc_number": h.document.doc_number,
                             "doc_id": h.document.doc_id, "clause_path": h.clause.path, "heading": h.clause.heading,
                             "text": h.clause.text, "page": h.clause.page_start, "units": list(h.clause.units),
                             "lead_unit": h.clause.lead_unit} for h in result.hits]}

    @reported("产业查询")
    def industry(term: str) -> dict:
        """Every clause naming an industry term, with document, place and sentence."""
        if len((term or "").strip()) < 1:
            raise gr.Error("term 为空：请给出产业关键词，例如“锂电”。")
        search = search_industry(assistant.retriever, term, embedder=assistant.embedder)
        return {"term": term, "terms": list(search.terms),
                "hits": [{**hit.row(), "doc_id": hit.document.doc_id, "matched": hit.term} for hit in search.hits]}

    @reported("文件列表")
    def documents() -> list:
        """The documents in the library with their metadata and counts."""
        return [s.to_dict() for s in summaries(assistant.index)]

    @reported("移除")
    def remove(document: str, request: gr.Request) -> dict:
        """Remove one document (doc_id, 文号 or exact title). There is no default: name the document."""
        if refusal := may_edit(ctx, request):
            raise gr.Error(refusal)
        found = find_document(assistant.index, document or "") if (document or "").strip() else None
        if found is None:
            raise gr.Error(f"文件库中没有“{document}”：请给出 doc_id、文号或完整标题（见 /documents）。")
        return {"removed": found.doc_id, "title": found.title, "message": ctx.library.remove(found.doc_id)}

    for endpoint in (ask, lookup, industry, documents, remove):
        gr.api(endpoint, api_name=endpoint.__name__, concurrency_limit=4)

    # Files need gradio's upload route, so /upload is an event of two hidden components.
    with gr.Group(visible=False):
        files = gr.File(file_count="multiple", label="files", elem_id="pq-api-files")
        outcome = gr.JSON(label="outcome")
        trigger = gr.Button("upload", elem_id="pq-api-upload")
    used = gr.State((0, 0))  # what this client session has handed in (the same quota as a browser session)

    @reported("入库")
    def upload(files, used, request: gr.Request):
        if refusal := may_edit(ctx, request):
            raise gr.Error(refusal)
        if not files:
            raise gr.Error("files 为空：请给出要入库的 PDF / DOCX / TXT / MD 文件。")
        paths = [Path(getattr(f, "name", f)) for f in files]
        message, used = upload_files(ctx, paths, used)
        return {"message": message, "documents": [s.to_dict() for s in summaries(assistant.index)]}, used

    trigger.click(upload, [files, used], [outcome, used], api_name="upload",
                  api_description="Add files (PDF/DOCX/TXT/MD) to the library; returns the outcome and the documents.")
