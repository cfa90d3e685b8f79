"""Lookups: a pasted or named citation (X府发〔2020〕5号 （三）, 某某法第二十一条) shows that clause."""

from __future__ import annotations

import re

from rag.kinds import Kind
from rag.lexicon import VALUE_ASKING

SHOWN_CHARS = 400


def _asked_beside(text: str) -> str:
    from rag.lookup import NUMBER_REF, split_citation

    return NUMBER_REF.sub("", split_citation(text)[0])


def answer(ctx):
    from rag.answering import first_sentence, refuse
    from rag.lookup import lookup
    from rag.models import Answer, Citation, Evidence

    question = ctx.question
    if not question.clause_expr:
        return None
    wordy = len(re.sub(r"[^\u4e00-\u9fff]", "", question.text)) > 22
    if wordy and not question.documents:
        return None  # a long question that mentions 第三条 in passing is asked, not looked up
    from rag.english import without_english

    cited = question.text
    if question.english:  # Article 62 of the Labour Law (劳动法第六十二条) → 劳动法 + 第六十二条
        from rag.lookup import _PATH_EXPR, split_citation

        cited = _PATH_EXPR.sub("", split_citation(without_english(question.text))[0]) + question.clause_expr
    result = lookup(ctx.assistant.retriever, cited, named=list(question.documents))
    if not result.exact or not result.hits:
        if wordy or any(word in _asked_beside(question.text) for word in VALUE_ASKING):
            return None
        return refuse(ctx, (result.message or "已收录文件中未找到该条款").rstrip("。"))
    hit = result.hits[0]
    body = hit.clause.text
    text = f"{hit.document.label}{hit.clause.path}：{body[:SHOWN_CHARS]}{'…' if len(body) > SHOWN_CHARS else ''}"
    if hit.children:  # the items an article lists are its content: their text while it fits, then their names
        budget, items = 2 * SHOWN_CHARS, []
        for child in hit.children:
            own = child.text.strip()
            items.append(own if len(own) <= budget else f"{child.path}{child.heading}")
            budget -= len(own)
        text += "\n下设：" + "\n".join(items)
    evidence = Evidence(hit.document, hit.clause, 1.0, hit.clause.text)
    return Answer(question.text, text, [Citation(hit.document, hit.clause, first_sentence(evidence))], [evidence],
                  kind="lookup", confidence=1.0)


KIND = Kind(
    name="lookup",
    examples=(
        "12号文第七条讲的啥", "这部法第二十一条", "第三条是什么内容", "三、（二）说了什么", "某府发〔2020〕5号 （三）",
        "第十五条的原文", "What does article 21 say?", "附件2是什么", "专栏1的内容", "第二章第五条",
    ),
    cues=r"第[一二三四五六七八九十百零\d]+条|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}[.．]\d|(?<![\d.])\d{1,3}条(?![款项例件])|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|专栏\s*\d|附件\s*\d|article \d+",
    answer=answer,
)
