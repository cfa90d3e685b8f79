"""产业查询: every clause that names an industry (the term, words that start with it and related
words found in the documents themselves), by document and place, the term marked, as a table that
scrolls inside itself and as CSV."""

from __future__ import annotations

import re
from html import escape

from rag.industry import COLUMNS, search_industry, to_csv
from ui.context import AppContext, reported

EXAMPLES = ["锂电", "预制菜", "无人机", "服装", "新材料"]


def marked(sentence: str, terms: list[str]) -> str:
    """The sentence with every searched term marked (longest first, so 锂电池 is one mark, not 锂 + 电池)."""
    if not terms:
        return escape(sentence)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    parts, last = [], 0
    for match in pattern.finditer(sentence):
        parts += [escape(sentence[last:match.start()]), f'<mark class="pq-hl">{escape(match.group(0))}</mark>']
        last = match.end()
    return "".join(parts) + escape(sentence[last:])


def table_html(search) -> str:
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    rows = []
    for hit in search.hits:
        row = hit.row()
        cells = [f"<td>{escape(str(row[c]))}</td>" for c in COLUMNS[:-1]]
        cells.append(f'<td class="pq-wrap">{marked(hit.sentence, list(search.terms))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="pq-table-scroll" id="pq-industry-scroll"><table class="pq-table"><thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>")


def build(ctx: AppContext) -> None:
    import gradio as gr

    with gr.Row():
        term = gr.Textbox(label="产业", placeholder="例如：锂电、预制菜、无人机、服装", elem_id="pq-term", scale=4)
        search = gr.Button("查询", variant="primary", elem_id="pq-industry-search", scale=1)
    gr.Examples(EXAMPLES, inputs=term, label="常见产业")
    summary = gr.Markdown("", elem_id="pq-industry-summary")
    table = gr.HTML("", elem_id="pq-industry-table")
    download = gr.DownloadButton("下载 CSV", visible=False, elem_id="pq-industry-csv")

    @reported("产业查询")
    def run(text: str):
        text = (text or "").strip()
        if not text:
            return "", gr.update(value=None, visible=False), "请输入产业关键词，例如：锂电、预制菜、无人机。"
        found = search_industry(ctx.assistant.retriever, text, embedder=ctx.assistant.embedder)
        if not found.hits:
            return "", gr.update(value=None, visible=False), f"已收录文件中没有提到“{text}”的条款。"
        path = ctx.exports / f"industry-{''.join(ch for ch in text if ch.isalnum())[:20] or 'query'}.csv"
        path.write_text(to_csv(found.hits), encoding="utf-8")
        documents = len({h.document.doc_id for h in found.hits})
        related = [t for t in found.terms if t != text]
        note = f"共 {len(found.hits)} 处，涉及 {documents} 份文件。"
        if related:
            note += f" 同时查找了：{'、'.join(related)}。"
        return table_html(found), gr.update(value=str(path), visible=True), note

    search.click(run, term, [table, download, summary], api_visibility="private")
    term.submit(run, term, [table, download, summary], api_visibility="private")
