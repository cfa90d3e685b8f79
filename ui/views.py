"""HTML and Markdown for the web app. Pure functions of the domain objects: easy to test and read."""

from __future__ import annotations

from html import escape

from ingest.models import Clause, Document
from rag.models import Answer, Citation

CSS = """
.pq-source { border: 1px solid #d0d7de; border-radius: 8px; padding: 6px 10px; margin: 6px 0; background: #fff; }
.pq-source summary { cursor: pointer; font-weight: 600; }
.pq-source mark { background: #ffe58f; padding: 0 2px; }
.pq-clause { white-space: pre-wrap; line-height: 1.7; margin-top: 6px; }
.pq-draft { color: #b54708; font-weight: 600; }
.pq-lead { color: #0550ae; font-weight: 700; }
.pq-refused { color: #b42318; }
.pq-empty { color: #667085; padding: 12px; }
"""


def citation_label(citation: Citation) -> str:
    document, clause = citation.document, citation.clause
    parts = [f"《{document.title}》"]
    if document.doc_number:
        parts.append(document.doc_number)
    parts.append(clause.path)
    if clause.pages:
        parts.append(clause.pages)
    return " ".join(parts)


def highlighted(text: str, quote: str) -> str:
    """The clause text with the quoted sentence marked (the quote is always a substring)."""
    start = text.find(quote)
    if start < 0 or not quote:
        return escape(text)
    end = start + len(quote)
    return f"{escape(text[:start])}<mark>{escape(text[start:end])}</mark>{escape(text[end:])}"


def sources_html(answer: Answer | None) -> str:
    if answer is not None and answer.refused and answer.nearest:
        items = "".join(f'<details class="pq-source"><summary>{escape(citation_label(c))}</summary>'
                        f'<div class="pq-clause">{escape(c.clause.text)}</div></details>' for c in answer.nearest)
        return f'<div class="pq-refused">未找到直接依据。最接近的条款（仅供参考，不是答案来源）：</div>{items}'
    if answer is None or not answer.citations:
        return '<div class="pq-empty">引用来源将显示在这里：每条来源可展开查看条款原文，引用句高亮。</div>'
    blocks = []
    for number, citation in enumerate(answer.citations, start=1):
        draft = f' <span class="pq-draft">【{citation.document.status_word}】</span>' if citation.document.status_word else ""
        if citation.clause.ocr:
            draft += ' <span class="pq-draft">【OCR识别，请核对原件】</span>'
        blocks.append(
            f'<details class="pq-source" id="pq-source-{number}"{" open" if number == 1 else ""}>'
            f"<summary>[{number}] {escape(citation_label(citation))}{draft}</summary>"
            f'<div class="pq-clause">{highlighted(citation.clause.text, citation.quote)}</div>'
            f"{units_html(citation.clause)}</details>"
        )
    return "".join(blocks)


def support_label(answer: Answer) -> str:
    """How well an answer is supported, from the calibrated score of the answering layer."""
    if answer.refused:
        return ""
    return "依据充分" if answer.confidence >= 0.6 else ("依据一般" if answer.confidence >= 0.4 else "依据较弱，请核对原文")


def answer_markdown(answer: Answer) -> str:
    """The chat message: the answer first, then numbered sources with their quotes; a refusal lists
    the closest clauses as such, never as sources."""
    text = answer.text.replace("\n", "  \n")
    if answer.refused:
        text = f"⚠️ **未能回答**：{text}"
    elif label := support_label(answer):
        text += f"  \n<small>（{label}，置信度 {answer.confidence:.0%}）</small>"
    lines = [text]
    if answer.notice:
        lines.append(f"\n*（{answer.notice}）*")
    if answer.citations:
        lines.append("\n**来源**")
        for number, citation in enumerate(answer.citations, start=1):
            draft = f"【{citation.document.status_word}】" if citation.document.status_word else ""
            draft += "【OCR识别】" if citation.clause.ocr else ""
            lines.append(f"{number}. {citation_label(citation)}{draft}：“{citation.quote}”")
    return "\n".join(lines)


def units_html(clause: Clause) -> str:
    if not clause.units:
        return ""
    names = []
    for unit in clause.units:
        if unit == clause.lead_unit:
            names.append(f'<span class="pq-lead">{escape(unit)}（牵头）</span>')
        else:
            names.append(escape(unit))
    note = "" if clause.lead_unit else "（文件未规定牵头单位）"
    rule = f"<div>通用要求：{escape(clause.standing_rule)}</div>" if clause.standing_rule else ""
    return f"<div><b>责任单位：</b>{'、'.join(names)}{note}</div>{rule}"


def clause_html(document: Document, clause: Clause, children: list[Clause] | None = None) -> str:
    draft = f' <span class="pq-draft">【{document.status_word}】</span>' if document.status_word else ""
    meta = " · ".join(x for x in (document.doc_number, document.issuer, document.date, clause.pages) if x)
    kids = ""
    if children:
        kids = "<div><b>下设条款：</b>" + "；".join(escape(f"{c.path} {c.heading}") for c in children) + "</div>"
    return (f'<div class="pq-source"><div><b>《{escape(document.title)}》 {escape(clause.path)}</b>{draft}</div>'
            f"<div>{escape(meta)}</div><div class=\"pq-clause\">{escape(clause.text)}</div>"
            f"{units_html(clause)}{kids}</div>")


def document_rows(rows) -> list[list]:
    """Library table rows from rag.library summaries (the same code `policyqa docs` prints)."""
    from rag.library import LEVEL_LABELS

    return [[row.title, row.doc_number or "—", "、".join(row.issuers) or "—", row.date or "—",
             row.effective_date or "—", row.kind or "—", row.status + ("（含OCR页）" if row.ocr_pages else ""),
             LEVEL_LABELS.get(row.level or "", "—"), row.clauses, row.chunks, row.source] for row in rows]
