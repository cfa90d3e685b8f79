"""What a question asks for, and what it names: a document (文号, title, nickname), a clause path."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.metadata import canonical_doc_number, place_prefix
from ingest.models import Document
from ingest.normalize import normalize_for_matching, repair_chars
from rag.lookup import NUMBER_REF, match_documents, split_citation

# Checked in this order; the first kind whose pattern matches wins.
_KINDS = [
    ("docfact", r"文号|发文(机关|单位)?|印发|哪个单位(发|出)|成文|签发|发布(日期|时间)|正式文件|征求意见稿|草案|草稿|主送|发给(谁|哪)|是什么文件|哪个文件|哪份文件|哪些文件|依据|根据哪|按照.{0,6}(哪|什么)(个|份)?.{0,4}文件"),
    ("who", r"谁|哪个部门|哪些部门|哪个单位|哪些单位|哪几个部门|牵头|负责|责任单位|主管|设在哪|由哪|归哪"),
    ("when", r"什么时候|何时|哪天|哪一天|哪几天|哪年|哪一年|哪几年|什么时间|时间安排|期限|截止|多久|多长时间|几个阶段|阶段|规划期|时间|日期|频次|多长时间"),
    ("how_much", r"多少|几个|几家|几户|几场|几次|几项|目标是|规模|比例|比重|产值|增加值|数量|百分之|达到|不低于|提高到"),
    ("which", r"哪些|哪类|哪几|哪[一二三四五六七八九十]个|什么产业|什么项目|什么领域|哪个领域|有哪|是什么|指什么|指哪"),
]
_KIND_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in _KINDS]
_LEAD = re.compile(r"牵头|主抓|带头")
_ORDINAL = re.compile(r"第([一二三四五六七八九十]+|\d+)(阶段|季|期|批|届|轮|次)")
_FOLLOW_UP = re.compile(r"^(那|那么|它|其|该|这|此|上述|这个|那个|这项|那项)|呢[？?]?$|^(牵头|责任)")
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True)
class Intent:
    question: str
    kind: str  # docfact | who | when | how_much | which | lookup | other
    documents: tuple[Document, ...]  # documents the question names
    unknown_doc_number: str | None  # a 文号 the question names that no document has
    clause_expr: str | None  # a clause path the question names, e.g. （七）
    wants_lead: bool
    ordinals: tuple[str, ...]  # 第四季, 第二阶段 …
    years: tuple[str, ...]
    follow_up: bool

    @property
    def doc_ids(self) -> frozenset[str]:
        return frozenset(d.doc_id for d in self.documents)


def named_documents(question: str, documents: list[Document]) -> list[Document]:
    """Documents named by 文号 or by a distinctive piece of their title (百日攻坚, 十四五, 融圈强链)."""
    text = normalize_for_matching(question)
    named = [d for score, d in match_documents(documents, text) if score >= 6]
    if named:
        return named
    exact = [d for d in documents if normalize_for_matching(d.title) in text
             or normalize_for_matching(_without_place(d.title)) in text]
    if exact:
        return exact
    scored = []
    for document in documents:
        quoted = re.findall(r"“([^”]{2,12})”", document.title)
        hits = [term for term in quoted if term in text]
        distinctive = _longest_shared(text, _strip_generic(document.title))
        if hits or len(distinctive) >= 4:
            scored.append((max([len(t) + 2 for t in hits] + [len(distinctive)]), document))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [d for score, d in scored if score == best]


_GENERIC = ("人民政府", "办公厅", "办公室", "关于", "实施意见", "实施方案", "工作方案",
            "制造业", "发展", "规划", "行动", "工作", "方案", "意见", "的")


def _without_place(title: str) -> str:
    """达州市承接…方案 → 承接…方案: the issuing place is shared by many titles."""
    found = place_prefix(title)
    return title[len(found[0]) + len(found[1]):] if found else title


def _strip_generic(title: str) -> str:
    title = "|" + _without_place(title)
    for word in _GENERIC:
        title = title.replace(word, "|")
    return title


def _longest_shared(text: str, title: str) -> str:
    best = ""
    for start in range(len(text)):
        for end in range(start + len(best) + 1, len(text) + 1):
            piece = text[start:end]
            if "|" in piece or piece not in title:
                break
            best = piece
    return best


def classify(question: str) -> str:
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(question):
            return kind
    return "other"


def analyze(question: str, documents: list[Document]) -> Intent:
    question = repair_chars(question).strip()
    doc_part, clause_expr = split_citation(question)
    named = named_documents(question, documents)
    unknown = None
    if number := canonical_doc_number(normalize_for_matching(question)):
        if not any(d.doc_number == number for d in documents):
            unknown = number
    kind = classify(question)
    if clause_expr and (named or len(re.sub(r"[^\u4e00-\u9fff]", "", doc_part)) <= 12):
        kind = "lookup" if kind in ("other", "which", "docfact") or len(question) <= 24 else kind
    return Intent(
        question=question,
        kind=kind,
        documents=tuple(named),
        unknown_doc_number=unknown,
        clause_expr=clause_expr,
        wants_lead=bool(_LEAD.search(question)),
        ordinals=tuple(m.group(0) for m in _ORDINAL.finditer(question)),
        years=tuple(m.group(0) for m in _YEAR.finditer(NUMBER_REF.sub("", normalize_for_matching(question)))),
        follow_up=bool(_FOLLOW_UP.search(question)) and len(question) <= 20 and not named,
    )
