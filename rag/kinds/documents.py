"""Which documents: "哪些文件支持X" lists every document whose best clause supports X, each cited."""

from __future__ import annotations

import re

from rag.kinds import Kind

_ASKS = re.compile(r"哪些文件|哪份文件|哪个文件|哪几份|哪些政策|which documents?|which polic", re.IGNORECASE)
MAX_DOCUMENTS = 5


def answer(ctx):
    from rag.answering import answer_from, refuse
    from rag.models import Answer

    question = ctx.question
    if not _ASKS.search(question.text):
        return None
    if question.unknown_doc_numbers:  # 哪些文件落实了X〔2021〕215号？ (a document the library cites, not holds)
        from rag.kinds.docfact import citing_documents

        return citing_documents(ctx)
    inner = ctx.assistant.inner_kind(question, exclude=("documents", "docfact", "compare"))
    seen, parts, citations, confidence = set(), [], [], []
    for item in ctx.evidence:
        document = item.document
        if document.doc_id in seen or len(seen) >= MAX_DOCUMENTS:
            continue
        seen.add(document.doc_id)
        found = [e for e in ctx.evidence if e.document.doc_id == document.doc_id]
        ranked = ctx.assistant.rank(question, inner, found)
        piece, decision = answer_from(ctx, inner, found, ranked, name_document=True)
        if not piece.refused:
            parts.append(piece.text)
            citations += piece.citations
            confidence.append(decision.confidence)
    if not parts:
        return refuse(ctx, "已收录文件中未找到支持该事项的文件")
    return Answer(question.text, "；\n".join(parts), citations, list(ctx.evidence), kind="documents",
                  confidence=max(confidence))


KIND = Kind(
    name="documents",
    examples=(
        "哪些文件支持这类项目？", "哪个文件提到了这件事？", "哪份文件规定了这件事？", "哪些政策涉及新能源汽车？",
        "Which documents mention it?", "哪些文件里有这方面的内容？", "在哪些文件里被支持？",
        "哪个文件对这个有规定？",
    ),
    cues=_ASKS.pattern,
    answer=answer,
)
