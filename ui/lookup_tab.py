"""条款查询: a citation typed as people write it, or a document's clauses browsed; a clause has a
stable address (`?doc=<doc_id>&path=<clause path>&q=<quote>`) that opens this tab on it with the quote
highlighted and, for a PDF, the original page with the quote marked."""

from __future__ import annotations

from html import escape

from ingest.chunking import is_parent_path
from rag.lookup import lookup
from ui import views
from ui.context import AppContext, reported
from ui.library_tab import document_choices

EMPTY_FOUND = '<div class="pq-empty">输入后点击查询；或在下方按文件浏览条款。</div>'
EMPTY_BROWSED = '<div class="pq-empty">选择文件和条款后显示条款原文。</div>'


def clause_choices(ctx: AppContext, doc_id: str | None) -> list[tuple[str, str]]:
    """The document's clause tree, indented by depth, in document order."""
    clauses = ctx.assistant.clauses(doc_id) if doc_id else []
    depth = {c.path: sum(is_parent_path(p.path, c.path) for p in clauses) for c in clauses}
    return [("　" * depth[c.path] + f"{c.path} {c.heading}".strip(), c.path) for c in clauses]


def clause_view(ctx: AppContext, doc_id: str | None, path: str | None, quote: str = "") -> str:
    document = next((d for d in ctx.assistant.documents() if d.doc_id == doc_id), None) if doc_id else None
    clause = ctx.assistant.retriever.clause(doc_id, path) if document and path else None
    if clause is None:
        if doc_id and document is None:
            return '<div class="pq-empty">该文件已不在文件库中（可能已被移除）。</div>'
        return EMPTY_BROWSED
    children = [c for c in ctx.assistant.clauses(doc_id) if is_parent_path(clause.path, c.path)]
    html = views.clause_html(document, clause, children)
    if quote and quote in clause.text:  # the quote a citation link carries, marked in the clause
        html = html.replace(f'<div class="pq-clause">{escape(clause.text)}</div>',
                            f'<div class="pq-clause">{views.highlighted(clause.text, quote)}</div>', 1)
    return html


def page_view(ctx: AppContext, doc_id: str | None, path: str | None, quote: str = ""):
    """The original PDF page of the clause with the quote marked, or None (not a PDF, no page)."""
    from rag.page_image import page_image

    document = next((d for d in ctx.assistant.documents() if d.doc_id == doc_id), None) if doc_id else None
    clause = ctx.assistant.retriever.clause(doc_id, path) if document and path else None
    if clause is None or not clause.page_start:
        return None
    return page_image(ctx.assistant.original_file(doc_id), clause, quote or clause.text[:40])


def build(ctx: AppContext):
    """The tab's components; returns the pieces an address (`?doc=…&path=…`) fills in."""
    import gradio as gr

    with gr.Row():
        citation = gr.Textbox(label="文号 / 标题 + 条款路径", placeholder="川办发〔2022〕67号 （七）",
                              elem_id="pq-citation", scale=4)
        find = gr.Button("查询", variant="primary", elem_id="pq-find", scale=1)
    found = gr.HTML(EMPTY_FOUND, elem_id="pq-found")
    gr.Markdown("**按文件浏览**")
    with gr.Row():
        browse_doc = gr.Dropdown(document_choices(ctx.assistant), value=None, label="文件", elem_id="pq-browse-doc")
        browse_path = gr.Dropdown([], value=None, label="条款", elem_id="pq-browse-path")
    browsed = gr.HTML(EMPTY_BROWSED, elem_id="pq-browsed")
    page = gr.Image(None, label="原文页面（引用处已标出）", visible=False, interactive=False, elem_id="pq-page-image",
                    buttons=["download", "fullscreen"])

    @reported("条款查询")
    def lookup_citation(text: str) -> str:
        if not (text or "").strip():
            return '<div class="pq-empty">请输入文号或文件标题以及条款路径，例如：川办发〔2022〕67号 （七）</div>'
        result = lookup(ctx.assistant.retriever, text)
        parts = [f"<p>{escape(result.message)}</p>"] if result.message else []
        parts += [views.clause_html(hit.document, hit.clause, list(hit.children)) for hit in result.hits]
        return "".join(parts) or '<div class="pq-empty">未找到。</div>'

    @reported("条款浏览")
    def choose_document(doc_id: str):
        choices = clause_choices(ctx, doc_id)
        first = choices[0][1] if choices else None
        return gr.update(choices=choices, value=first), clause_view(ctx, doc_id, first), _page(doc_id, first)

    @reported("条款浏览")
    def choose_clause(doc_id: str, path: str):
        return clause_view(ctx, doc_id, path), _page(doc_id, path)

    def _page(doc_id, path, quote=""):
        image = page_view(ctx, doc_id, path, quote)
        return gr.update(value=image, visible=image is not None)

    find.click(lookup_citation, citation, found, api_visibility="private")
    citation.submit(lookup_citation, citation, found, api_visibility="private")
    browse_doc.input(choose_document, browse_doc, [browse_path, browsed, page], api_visibility="private")
    browse_path.input(choose_clause, [browse_doc, browse_path], [browsed, page], api_visibility="private")

    def open_address(params: dict):
        """Updates for (browse_doc, browse_path, browsed, page) from an address's query, or None."""
        doc_id, path, quote = params.get("doc"), params.get("path"), params.get("q", "")
        if not doc_id:
            return None
        known = {doc_id for _, doc_id in document_choices(ctx.assistant)}
        if doc_id not in known:
            return (gr.update(), gr.update(), '<div class="pq-empty">链接指向的文件已不在文件库中（可能已被移除）。</div>',
                    gr.update(visible=False))
        choices = clause_choices(ctx, doc_id)
        path = path if path in {p for _, p in choices} else None
        return (gr.update(value=doc_id), gr.update(choices=choices, value=path), clause_view(ctx, doc_id, path, quote),
                _page(doc_id, path, quote))

    return browse_doc, [browse_doc, browse_path, browsed, page], open_address
