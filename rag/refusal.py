"""Knowing when not to answer: false premises and facts the documents never state.

Three checks, calibrated on the dev split of eval/questions.jsonl:
- a year the question names must stand in the clause that would answer it;
- a content word of the question that occurs nowhere in the corpus (补贴, 局长, 获批) means the
  documents do not speak of it;
- the answering clause must share enough of the question's wording (character bigrams).
"""

from __future__ import annotations

import re

from ingest.catalog_search import KeywordSearch
from rag.compose import TIME_EXPR, QUESTION_WORDS, Extract, Weighting, amount, bigrams, overlap, question_terms
from rag.intent import Intent
from rag.models import Evidence

MIN_SUPPORT = 0.25
# Colloquial words that carry no content of their own ("一把手" is a person the text calls 主要负责同志).
_COLLOQUIAL = frozenset("时候 县里 市里 省里 区里 一把手 出去 多久 咋 啥 弄 搞 办 开 几天 几年 要求 提出 规定 说法 有没有 能不能 可以 哪里 多大 东西 事情 方面 情况 内容 讲 说 提到 涉及 分别 各自 一共 总共 具体 主要 目前 现在 今年 明年 相关 有关".split())
_SALIENT_POS = ("n", "vn", "eng")  # nouns: verbs and adjectives vary with phrasing


def _jieba_posseg():
    from ingest.keyword import _jieba

    _jieba()
    import jieba.posseg as posseg

    return posseg


class RefusalGate:
    def __init__(self, search: KeywordSearch, weights: Weighting):
        self.weights = weights
        self._search = search  # per-word look-ups in the catalog's indexes, not a copy of the corpus

    def unknown_terms(self, question: str) -> list[str]:
        """Content words of the question that occur nowhere in the corpus."""
        unknown = []
        pairs = list(_jieba_posseg().cut(question))
        for pair in pairs:
            word, flag = pair.word, pair.flag
            if len(word) < 2 or word in _COLLOQUIAL or QUESTION_WORDS.fullmatch(word) or not flag.startswith(_SALIENT_POS):
                continue
            if self._search.knows_word(word) or self._search.contains_text(word):
                continue
            # Segmentation slips (县市区, 段时间) still share bigrams with the text; unseen ideas do not.
            if any(self.weights.known(gram) for gram in bigrams(word)) and len(word) > 2:
                continue
            unknown.append(word)
        return unknown

    def reason(self, intent: Intent, extract: Extract, evidence: list[Evidence], context: str = "") -> str | None:
        """Why the documents cannot answer this (None: they can). `context`: the clause's parent headings."""
        clause_text = context + extract.evidence.clause.text + extract.evidence.document.title
        for year in intent.years:
            if year not in clause_text:
                return f"已收录文件中未找到{year}年的相关规定"
        unknown = self.unknown_terms(intent.question)
        if unknown:
            return f"已收录文件中未找到关于“{'、'.join(unknown[:3])}”的内容"
        support = overlap(question_terms(intent.question), clause_text, self.weights)
        if support < MIN_SUPPORT:
            return "已收录文件中未找到直接回答该问题的条款"
        # The answer must be of the kind asked for: a time for "when", a quantity for "how much".
        if intent.kind == "how_much" and not amount(extract.direct) and not re.search(r"\d", extract.quote):
            return "已收录文件中未给出具体数额"
        if intent.kind == "when" and not TIME_EXPR.search(extract.direct):
            return "已收录文件中未给出具体时间"
        return None
