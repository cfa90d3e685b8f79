"""Comparisons: a question naming two documents or two levels is answered from each, cited separately."""

from __future__ import annotations

from rag.kinds import Kind


def answer(ctx):
    from rag.answering import answer_from, refuse
    from rag.models import Answer
    from rag.naming import without_names

    question = ctx.question
    groups = {}
    if len(question.doc_ids) >= 2:
        topic = without_names(question.text, question.documents)
        for document in question.documents:
            groups[document.label] = ctx.assistant.search(topic, ctx.scope, document=document)
    elif len(question.levels) >= 2:
        for level in sorted(question.levels):
            groups[level] = ctx.assistant.search(question.text, ctx.scope, level=level)
    else:
        return None
    inner = ctx.assistant.inner_kind(question, exclude=("compare",))
    parts, citations, evidence, confidence = [], [], [], []
    for name, found in groups.items():
        if not found:
            continue
        ranked = ctx.assistant.rank(question, inner, found)
        piece, decision = answer_from(ctx, inner, found, ranked, name_document=True)
        evidence += found[:2]
        if not piece.refused:
            parts.append(piece.text)
            citations += piece.citations
            confidence.append(decision.confidence)
    if not parts:
        return refuse(ctx, "已收录文件中未找到可比较的相关条款", evidence)
    text = "；\n".join(parts)
    if len(parts) < len(groups):
        text += "；\n另一份文件中未找到对应规定"
    return Answer(question.text, text, citations, evidence, kind="compare", confidence=min(confidence))


KIND = Kind(
    name="compare",
    examples=(
        "两份文件有什么区别？", "省里和市里的目标分别是多少？", "这两个条例对罚款的规定有什么不同？",
        "分别由哪个部门牵头？", "省级文件和市级文件的说法有何差异？", "A办法和B规定相比哪个更严？",
        "Compare the two regulations on fines", "What is the difference between the two documents?",
        "两部法律各自怎么规定的？", "省市两级都支持哪些产业，有什么不同？",
    ),
    cues=r"区别|不同|差别|差异|相比|对比|比较|分别|各自|两份|两个文件|两部|compare|difference",
    answer=answer,
)
