"""HTML for clauses and citations in the web app. Pure functions of the domain objects: easy to test and read.
(Colours are in ui.theme; answers and their sources in ui.citations.)"""

from __future__ import annotations

from html import escape

from ingest.models import Clause, Document
from rag.models import Answer, Citation


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


def support_label(answer: Answer) -> str:
    """How well an answer is supported, from the calibrated score of the answering layer."""
    if answer.refused:
        return ""
    return "依据充分" if answer.confidence >= 0.6 else ("依据一般" if answer.confidence >= 0.4 else "依据较弱，请核对原文")


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
