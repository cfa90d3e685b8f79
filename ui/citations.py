"""Answers as the chat shows them, with citations a person can follow.

An answer is kept (in the browser, see ui.chat) as a small record: its text, whether it was refused,
its confidence, and its citations as (doc_id, clause path, quote). The clause text is read back from
the index when the answer is shown, so a quote is always checked against the clause it cites, and a
citation of a document removed since is shown as such.

Each numbered citation is a link: its address (`?doc=…&path=…&q=…`) opens 条款查询 on the clause;
in the page, a click opens that answer's sources in the sources panel with the quote highlighted
(ui.theme's script), and on a phone the sources listed under the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from rag.models import Answer, Citation
from ui.views import citation_label, highlighted, support_label, units_html


@dataclass
class ShownAnswer:
    """One answer as shown: `number` counts the answers of the chat from 1."""

    number: int
    question: str
    text: str
    refused: bool = False
    confidence: float = 0.0
    notice: str = ""
    citations: list[Citation] = field(default_factory=list)
    nearest: list[Citation] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)  # citations whose document was removed since


def record(answer: Answer) -> dict:
    """What the browser keeps of an answer: JSON, no clause text (that is read back from the index)."""

    def refs(citations: list[Citation]) -> list[dict]:
        return [{"doc_id": c.document.doc_id, "path": c.clause.path, "quote": c.quote, "title": c.document.title}
                for c in citations]

    return {"question": answer.question, "text": answer.text, "refused": answer.refused,
            "confidence": round(answer.confidence, 3), "notice": answer.notice or "",
            "citations": refs(answer.citations), "nearest": refs(answer.nearest)}


def resolve(assistant, number: int, kept: dict) -> ShownAnswer:
    """A kept record back to citations over the index as it is now."""
    shown = ShownAnswer(number, str(kept.get("question", "")), str(kept.get("text", "")), bool(kept.get("refused")),
                        float(kept.get("confidence") or 0.0), str(kept.get("notice") or ""))
    for key, target in (("citations", shown.citations), ("nearest", shown.nearest)):
        for ref in kept.get(key) or []:
            citation = _citation(assistant, ref)
            if citation is not None:
                target.append(citation)
            elif key == "citations":
                shown.missing.append(ref)
    return shown


def _citation(assistant, ref: dict) -> Citation | None:
    if not isinstance(ref, dict):
        return None
    doc_id, path, quote = str(ref.get("doc_id", "")), str(ref.get("path", "")), str(ref.get("quote", ""))
    document = next((d for d in assistant.documents() if d.doc_id == doc_id), None)
    clause = assistant.retriever.clause(doc_id, path) if document else None
    if clause is None or quote not in clause.text:
        return None
    return Citation(document, clause, quote)


def shown_from(answer: Answer, number: int) -> ShownAnswer:
    return ShownAnswer(number, answer.question, answer.text, answer.refused, answer.confidence, answer.notice or "",
                       list(answer.citations), list(answer.nearest))


def clause_url(citation: Citation) -> str:
    """The stable address of a cited clause: opens 条款查询 on it with the quote highlighted."""
    return "?" + urlencode({"doc": citation.document.doc_id, "path": citation.clause.path, "q": citation.quote})


def support_badge(shown: ShownAnswer) -> str:
    if shown.refused:
        return '<span class="pq-badge pq-badge-refused">未能回答</span>'
    label = support_label(Answer("", "", refused=False, confidence=shown.confidence))
    strong = "pq-badge-strong" if shown.confidence >= 0.6 else ("pq-badge-fair" if shown.confidence >= 0.4 else "pq-badge-weak")
    return (f'<span class="pq-badge {strong}" title="回答层的校准分数：回答正确的估计概率">'
            f"{escape(label)} · {shown.confidence:.0%}</span>")


def _cite_link(shown: ShownAnswer, n: int, citation: Citation) -> str:
    # the chat strips data-* attributes: answer and citation numbers travel in class names
    return (f'<a class="pq-cite pq-a-{shown.number} pq-n-{n}" href="{escape(clause_url(citation))}" '
            f'title="{escape(citation_label(citation))}">[{n}]</a>')


def _source_item(shown: ShownAnswer, n: int, citation: Citation, is_open: bool) -> str:
    marks = f' <span class="pq-draft">【{escape(citation.document.status_word)}】</span>' if citation.document.status_word else ""
    if citation.clause.ocr:
        marks += ' <span class="pq-draft">【OCR识别，请核对原件】</span>'
    page = citation.clause.page_start
    page_link = (f' <a class="pq-page-link" href="{escape(clause_url(citation))}" target="_blank" rel="noopener">'
                 f"查看原页（第{page}页）</a>") if page else ""
    return (f'<details class="pq-source pq-n-{n}" data-answer="{shown.number}" data-n="{n}"{" open" if is_open else ""}>'
            f'<summary>[{n}] {escape(citation_label(citation))}{marks}</summary>'
            f'<div class="pq-clause">{highlighted(citation.clause.text, citation.quote)}</div>'
            f'{units_html(citation.clause)}<div class="pq-source-links"><a class="pq-open-lookup" '
            f'href="{escape(clause_url(citation))}" target="_blank" rel="noopener">在条款查询中打开</a>{page_link}</div>'
            "</details>")


def sources_block(shown: ShownAnswer, open_first: bool = True) -> str:
    """The sources of one answer; a refusal lists the closest clauses, plainly not as sources."""
    if shown.refused:
        if not shown.nearest:
            return '<div class="pq-refused">未找到直接依据，也没有足够接近的条款。</div>'
        items = "".join(f'<details class="pq-source pq-nearest"><summary>{escape(citation_label(c))}</summary>'
                        f'<div class="pq-clause">{escape(c.clause.text)}</div></details>' for c in shown.nearest)
        return f'<div class="pq-refused">未找到直接依据。最接近的条款（仅供参考，不是回答的依据）：</div>{items}'
    items = [_source_item(shown, n, c, open_first and n == 1) for n, c in enumerate(shown.citations, start=1)]
    items += [f'<div class="pq-source pq-missing">《{escape(str(ref.get("title", "")))}》{escape(str(ref.get("path", "")))}：'
              "该文件已从文件库移除</div>" for ref in shown.missing]
    return "".join(items) or '<div class="pq-empty">这条回答没有引用。</div>'


def answer_message(shown: ShownAnswer) -> str:
    """The chat message of an answer: text with numbered links, how well it is supported, and (shown on
    narrow screens) its sources, collapsible, right under it."""
    text = escape(shown.text).replace("\n", "<br>")
    if shown.refused:
        head = f'{support_badge(shown)} <span class="pq-refused">{text}</span>'
    else:
        links = " ".join(_cite_link(shown, n, c) for n, c in enumerate(shown.citations, start=1))
        head = f"{text} {links}<br>{support_badge(shown)}"
    notice = f'<div class="pq-notice">（{escape(shown.notice)}）</div>' if shown.notice else ""
    count = len(shown.citations) if not shown.refused else len(shown.nearest)
    title = f"来源（{count}）" if not shown.refused else f"最接近的条款（{count}，不是依据）"
    inline = (f'<details class="pq-inline-sources"><summary>{title}</summary>'
              f"{sources_block(shown, open_first=False)}</details>") if count or shown.missing else ""
    return f'<div class="pq-answer pq-a-{shown.number}">{head}{notice}{inline}</div>'


def sources_panel(answers: list[ShownAnswer], current: int | None) -> str:
    """Every answer's sources, each group under its question; the `current` one is shown."""
    if not answers:
        return '<div class="pq-empty">引用来源将显示在这里：点击回答中的编号 [1] 打开对应条款，引用句高亮；点击较早的回答查看它的来源。</div>'
    current = current if current is not None else answers[-1].number
    groups = []
    for shown in answers:
        state = " pq-current" if shown.number == current else ""
        groups.append(f'<section class="pq-group{state}" data-answer="{shown.number}">'
                      f'<div class="pq-group-title">第 {shown.number} 问：{escape(shown.question)}</div>'
                      f"{sources_block(shown)}</section>")
    return "".join(groups)


def markdown_export(title: str, answers: list[ShownAnswer]) -> str:
    """A chat as Markdown, each answer with its support and its citations (document, 文号, clause, page, quote)."""
    lines = [f"# {title}", ""]
    for shown in answers:
        lines += [f"## 问 {shown.number}：{shown.question}", ""]
        if shown.refused:
            lines += [f"**未能回答**：{shown.text}", ""]
            if shown.nearest:
                lines.append("最接近的条款（不是依据）：")
                lines += [f"- {c.label}" for c in shown.nearest]
                lines.append("")
            continue
        badge = support_label(Answer("", "", confidence=shown.confidence))
        lines += [shown.text, "", f"*{badge}（置信度 {shown.confidence:.0%}）*", ""]
        for n, c in enumerate(shown.citations, start=1):
            page = f"，第{c.clause.page_start}页" if c.clause.page_start else ""
            lines.append(f"{n}. {c.document.label} {c.clause.path}{page}：“{c.quote}”")
        for ref in shown.missing:
            lines.append(f"- 《{ref.get('title', '')}》{ref.get('path', '')}（该文件已从文件库移除）")
        lines.append("")
    return "\n".join(lines)
