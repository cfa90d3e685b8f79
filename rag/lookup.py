"""Citation lookup: `川办发〔2022〕67号 （七）`, `67号文 第七条`, `百日攻坚 三、（二）` → the clause.

Also used by retrieval to narrow a question that names a document or a clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.chunking import is_parent_path
from ingest.metadata import canonical_doc_number
from ingest.models import Clause, Document
from ingest.normalize import normalize_for_matching
from rag.numerals import to_number

_CN = "一二三四五六七八九十"
_PATH_TOKEN = (
    rf"(?:第[{_CN}百零〇\d]+[章节条]|[{_CN}]+、|（[{_CN}]+）|\d{{1,2}}[.．](?!\d)|（\d{{1,2}}）"
    r"|专栏\d+|附件\d*|备注)"
)
_PATH_EXPR = re.compile(rf"{_PATH_TOKEN}+")
# 67号, 川办发〔2022〕67号, and as people type them: 川办发2022第67号, 川办发2022年67号, 川办发(2022)67号
NUMBER_REF = re.compile(r"([\u4e00-\u9fff]{0,8}?)[〔\[［(（]?(\d{4})?(?:[〕\]］)）]|年)?第?(\d{1,4})号")


class CatalogView:
    """What lookup needs from the index: documents and their clauses (an interface, for tests)."""

    def documents(self) -> list[Document]: ...
    def clauses(self, doc_id: str) -> list[Clause]: ...


@dataclass(frozen=True)
class ClauseHit:
    document: Document
    clause: Clause
    children: tuple[Clause, ...] = ()


@dataclass
class LookupResult:
    query: str
    hits: list[ClauseHit] = field(default_factory=list)
    exact: bool = False
    message: str = ""
    documents: list[Document] = field(default_factory=list)  # documents the query names


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff\w]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def title_similarity(fragment: str, title: str) -> float:
    """Share of the fragment's character bigrams found in the title (十四五规划 → 0.75)."""
    wanted = _bigrams(fragment)
    return len(wanted & _bigrams(title)) / len(wanted) if wanted else 0.0


def abbreviates(fragment: str, title: str) -> bool:
    """医保法 → 医疗保障法, 居住证积分办法 → 居住证积分管理办法: the fragment's characters occur in the
    title in order, close together (a Chinese short name keeps the first character of each word)."""
    fragment = re.sub(r"[^\u4e00-\u9fff\w]", "", fragment)
    if len(fragment) < 3:
        return False
    positions, start = [], 0
    for char in fragment:
        start = title.find(char, start)
        if start < 0:
            return False
        positions.append(start)
        start += 1
    return positions[-1] - positions[0] + 1 <= 2 * len(fragment)


def normalized_path(path: str) -> str:
    return normalize_for_matching(path).replace("．", ".")


def _chinese_article_numbers(text: str) -> str:
    """第96条 / 96条 → 第九十六条: clause paths are written in Chinese numerals."""
    from rag.numerals import to_chinese

    return re.sub(r"(?<![\d〔号])第?(\d{1,3})([条章节])",
                  lambda m: f"第{to_chinese(int(m.group(1)))}{m.group(2)}", text)


def _loose_paths(text: str) -> str:
    """二.4 / 二(4) / 二（4） → 二、（四）: a clause typed without its marks."""
    from rag.numerals import to_chinese

    text = re.sub(rf"(?<![{_CN}\d])([{_CN}]{{1,3}})\.(\d{{1,2}})(?![\d.])",
                  lambda m: f"{m.group(1)}、（{to_chinese(int(m.group(2)))}）", text)
    return re.sub(rf"(?<![{_CN}\d第])([{_CN}]{{1,3}})（(\d{{1,2}}|[{_CN}]{{1,3}})）",
                  lambda m: f"{m.group(1)}、（{to_chinese(int(m.group(2))) if m.group(2).isdigit() else m.group(2)}）", text)


def split_citation(query: str) -> tuple[str, str | None]:
    """→ (the document part, the clause path expression or None)."""
    text = _loose_paths(_chinese_article_numbers(normalize_for_matching(query).replace("．", ".")))
    matches = list(_PATH_EXPR.finditer(text))
    if not matches:
        return text, None
    last = matches[-1]
    return (text[: last.start()] + text[last.end():]), last.group(0)


def match_documents(documents: list[Document], text: str) -> list[tuple[float, Document]]:
    """Documents named by 文号 (whole or `67号`), or by a title fragment / nickname."""
    scored: list[tuple[float, Document]] = []
    full = canonical_doc_number(text)
    refs = list(NUMBER_REF.finditer(text))
    remainder = NUMBER_REF.sub("", text)
    remainder = re.sub(r"号文|文件|的|里|中|关于", "", remainder)
    for document in documents:
        score = 0.0
        number = document.doc_number or ""
        if full and full == number:
            score += 10
        for ref in refs:
            prefix, year, serial = ref.groups()
            if number.endswith((f"〕{int(serial)}号", f"第{int(serial)}号")) and (not year or f"〔{year}〕" in number) \
                    and (not prefix or prefix in number):
                score += 6
        if len(remainder) >= 2:
            similarity = title_similarity(remainder, document.title)
            if similarity >= 0.5:
                score += 4 * similarity
            elif abbreviates(remainder, document.title + (document.status_word or "")):
                score += 2
        if score > 0:
            scored.append((score, document))
    scored.sort(key=lambda pair: -pair[0])
    return scored


def _path_match(path_expr: str, clause: Clause) -> int | None:
    """Which reading of the citation the clause's path is (0: as written; higher: a looser one), or None."""
    path = normalized_path(clause.path)
    for rank, expr in enumerate(_alternatives(path_expr)):
        if path == expr or (path.endswith(expr) and _segment_boundary(path, expr)):
            return rank
    return None


def _alternatives(path_expr: str) -> list[str]:
    """People cite （七） as 第七条 and vice versa; both are tried."""
    if match := re.fullmatch(rf"第([{_CN}百零]+)条", path_expr):
        # a plan numbered 一、/（一）/1. is cited by article too: 第二条 → 二、, 第11条 → 11.
        number = to_number(match.group(1))
        arabic = [f"{int(number)}."] if number else []
        return [path_expr, f"（{match.group(1)}）", f"{match.group(1)}、", *arabic]
    if match := re.fullmatch(rf"（([{_CN}]+)）", path_expr):
        return [path_expr, f"第{match.group(1)}条"]
    return [path_expr]


def _segment_boundary(path: str, suffix: str) -> bool:
    before = path[: len(path) - len(suffix)]
    return not before or before.endswith(("、", "）", ".", "章", "节", "条"))


_ASKING = re.compile(r"讲的是什么|讲了什么|说的是什么|是什么内容|什么内容|规定了什么|写了什么|的内容|是什么|内容|讲什么|说什么|呢|吗|[？?。！]")


def lookup(catalog: CatalogView, query: str, limit: int = 5, named: list[Document] | None = None) -> LookupResult:
    """`named`: documents the caller already recognised in the query (by nickname, say)."""
    result = LookupResult(query=query)
    doc_text, path_expr = split_citation(query)
    doc_text = _ASKING.sub("", doc_text)
    all_documents = catalog.documents()
    if not all_documents:
        result.message = "索引中还没有文件：请先运行 `policyqa ingest corpus/`。"
        return result
    matched = match_documents(all_documents, doc_text) if doc_text.strip() else []
    if named:
        result.documents = list(named)
    elif matched:
        best = matched[0][0]
        result.documents = [d for s, d in matched if s >= best - 1e-9]
    if doc_text.strip() and len(re.sub(r"[^\u4e00-\u9fff\w]", "", doc_text)) >= 2 and not result.documents:
        nearest = sorted(all_documents, key=lambda d: -title_similarity(doc_text, d.title))[:3]
        result.documents = nearest
        result.message = f"未找到与“{doc_text}”对应的文件。最接近的文件：" + "；".join(d.label for d in nearest)
        return result
    candidates = result.documents or all_documents

    if path_expr:
        found: list[tuple[int, ClauseHit]] = []  # (which reading of the citation, the hit)
        for document in candidates:
            clauses = catalog.clauses(document.doc_id)
            for clause in clauses:
                if (reading := _path_match(path_expr, clause)) is not None:
                    children = tuple(c for c in clauses if is_parent_path(clause.path, c.path))
                    found.append((reading, ClauseHit(document, clause, children)))
        found.sort(key=lambda pair: (pair[0], len(pair[1].clause.path)))
        result.hits = [hit for _, hit in found]
        if result.hits:
            result.exact = bool(result.documents) or len(result.hits) == 1
            if not result.exact:
                result.message = f"没有指明文件，{len(result.hits)} 个文件中都有条款 {path_expr}："
            result.hits = result.hits[:limit]
            return result
        result.message = _nearest_message(catalog, candidates, path_expr, result)
        return result

    if result.documents:
        document = result.documents[0]
        clauses = catalog.clauses(document.doc_id)
        result.message = f"找到文件{document.label}，请再给出条款路径，例如：" + " / ".join(
            c.path for c in clauses if c.kind == "clause"
        )[:160]
        return result
    result.message = "请给出文号或文件标题，以及条款路径，例如：川办发〔2022〕67号 （七）"
    return result


def _nearest_message(catalog: CatalogView, candidates: list[Document], path_expr: str, result: LookupResult) -> str:
    """No clause has that path: offer the clauses whose last segment matches, or the top level."""
    last = re.findall(_PATH_TOKEN, path_expr)[-1]
    near: list[ClauseHit] = []
    for document in candidates:
        for clause in catalog.clauses(document.doc_id):
            if last in normalized_path(clause.path):
                near.append(ClauseHit(document, clause))
    result.hits = near[:5]
    scope = "、".join(d.label for d in candidates[:2]) if len(candidates) <= 2 else "已收录文件"
    if near:
        return f"{scope}中没有条款 {path_expr}。最接近的条款："
    tops = [c.path for d in candidates[:1] for c in catalog.clauses(d.doc_id) if c.kind == "clause"][:12]
    return f"{scope}中没有条款 {path_expr}。该文件的条款有：" + " / ".join(tops)
