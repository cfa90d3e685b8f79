"""Extractive answers: find what the question asks for in the best clauses and say it first.

Every answer is built from phrases cut out of clause text, so every quote is found character for
character in the clause it cites. No LLM is involved here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from ingest.chunking import is_parent_path, sentences
from ingest.keyword import char_bigrams
from ingest.models import Clause, Document
from rag.intent import Intent
from rag.models import Citation, Evidence

QUESTION_WORDS = re.compile(
    r"请问|一下|什么时候|什么时间|何时|哪一天|哪天|哪一年|哪年|哪几年|多长时间|多久|多少|哪些|哪个|哪类|哪几|哪份|哪|谁|什么|"
    r"是否|有没有|有无|吗|呢|么|怎样|怎么|如何|几个|几家|几户|几场|几次|几|是|的|了|要|在|对|里|中|和|与|及|由"
)
TIME_EXPR = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{4}\s*[-—–至到]\s*\d{4}年|\d{4}年|"
    r"每(?:年|季度|季|月|周|天|日)|[一二两三四五六七八九十\d]+个阶段|年底|年内|期间"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|亿元|万元|元|个|家|户|项|场|次|万吨|吨|平方米|平方公里|亩|公里|人|倍|年)|[一两二三四五六七八九十百千]+(?:个|家|户|项|场|次)")
_PHRASE_SPLIT = re.compile(r"(?<=[，；：。！？])")


bigrams = char_bigrams  # one definition, shared with the term statistics the catalog stores


def question_terms(question: str) -> set[str]:
    return bigrams(QUESTION_WORDS.sub(" ", question).replace(" ", "|")) - {""}


class Weighting(Protocol):
    """How much a character bigram tells: `TermWeights` (from texts) or the catalog's stored counts."""

    def idf(self, gram: str) -> float: ...
    def known(self, gram: str) -> bool: ...


class TermWeights:
    """IDF of character bigrams over the given texts: 渠县 weighs more than 产业. The assistant
    reads the same figures from the catalog (`ingest.catalog_search.StoredTermWeights`)."""

    def __init__(self, texts: list[str]):
        import math

        frequency: dict[str, int] = {}
        for text in texts:
            for gram in bigrams(text):
                frequency[gram] = frequency.get(gram, 0) + 1
        total = max(len(texts), 1)
        self._idf = {gram: math.log((total + 1) / (count + 0.5)) for gram, count in frequency.items()}
        self._unseen = math.log((total + 1) / 0.5)

    def idf(self, gram: str) -> float:
        return self._idf.get(gram, self._unseen)

    def known(self, gram: str) -> bool:
        return gram in self._idf


def overlap(terms: set[str], text: str, weights: Weighting | None = None) -> float:
    """Share of the question's bigrams found in the text, IDF-weighted when weights are given."""
    return overlap_grams(terms, bigrams(text), weights)


def overlap_grams(terms: set[str], grams: set[str] | frozenset[str], weights: Weighting | None = None) -> float:
    if weights is not None:
        terms = {g for g in terms if weights.known(g)}  # bigrams across word joins (池项, 件被) match nothing
    if not terms:
        return 0.0
    found = terms & grams
    if weights is None:
        return len(found) / len(terms)
    return sum(weights.idf(g) for g in found) / sum(weights.idf(g) for g in terms)


def phrases(sentence: str) -> list[str]:
    """Comma/semicolon parts of a sentence, brackets kept whole."""
    parts, depth, current = [], 0, ""
    for char in sentence:
        depth += char in "（(〔【“"
        depth -= char in "）)〕】”"
        current += char
        if depth <= 0 and char in "，；。！？":
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()]


def strip_phrase(phrase: str) -> str:
    return phrase.strip().rstrip("，；：。、").strip()


@dataclass(frozen=True)
class Extract:
    """One answer piece: the direct text and the quote (a substring of the clause) backing it."""

    evidence: Evidence
    direct: str
    quote: str
    score: float

    @property
    def citation(self) -> Citation:
        return Citation(self.evidence.document, self.evidence.clause, self.quote)


def _units_sentence(clause: Clause) -> str | None:
    match = re.search(r"[（〔(]\s*(?:牵头|责任)单位[^。]*", clause.text)
    return match.group(0) if match else None


ORG_NAME = re.compile(r"[\u4e00-\u9fff]{1,12}(局|厅|委|办|政府|管委会|中心)(?![\u4e00-\u9fff]{0,1}(面|势|限))")
_LISTY = re.compile(r"产业|行业|项目|领域|企业|产品|地区|区域")


def names_other_unit(phrase: str, question: str) -> bool:
    """The phrase names a unit the question does not already name (市融圈强链办 asks, 市经济和信息化局 answers)."""
    return any(match.group(0) not in question for match in ORG_NAME.finditer(phrase))


def _kind_bonus(kind: str, phrase: str, listy: bool, question: str = "") -> float:
    if kind == "when":
        return 0.5 if TIME_EXPR.search(phrase) else 0.0
    if kind == "how_much":
        return 0.5 if amount(phrase) else 0.0
    if kind == "who":
        return 0.4 if names_other_unit(phrase, question) and re.search(r"牵头|负责|承担|组织|编发|开展|落实", phrase) else 0.0
    if kind == "which" or listy:
        return min(phrase.count("、"), 3) * 0.07
    return 0.0


def amount(phrase: str) -> str | None:
    """A quantity that is not just a year (到2027年 is a date, 500亿元 is an amount)."""
    for match in _NUMBER.finditer(phrase):
        if not re.fullmatch(r"\d{4}\s*年", match.group(0)):
            return match.group(0)
    return None


def _section_headings(text: str) -> list[tuple[int, str]]:
    """(offset, heading) of short label lines inside a clause (专栏 sub-sections like 天然气化工)."""
    found, offset = [], 0
    for line in text.split("\n"):
        if 2 <= len(line) <= 10 and not re.search(r"[，。；：、\d]", line):
            found.append((offset, line))
        offset += len(line) + 1
    return found


@dataclass(frozen=True)
class _Window:
    core: str
    core_grams: frozenset[str]
    grams: frozenset[str]  # bigrams of section + core
    sentence_grams: frozenset[str]


@lru_cache(maxsize=4096)
def _windows(text: str) -> tuple[_Window, ...]:
    """Every run of 1–3 consecutive phrases of each sentence, with its bigrams (cached per clause)."""
    windows = []
    sections = _section_headings(text)
    offset = 0
    for sentence in sentences(text):
        section = next((h for o, h in reversed(sections) if o <= offset), "")
        offset += len(sentence)
        parts = phrases(sentence)
        sentence_grams = frozenset(bigrams(section + sentence))
        for start in range(len(parts)):
            for end in range(start + 1, min(start + 3, len(parts)) + 1):
                core = strip_phrase("".join(parts[start:end]))
                if len(core) >= 2 and core != section:
                    windows.append(_Window(core, frozenset(bigrams(core)), frozenset(bigrams(section + core)),
                                           sentence_grams))
    return tuple(windows)


def best_phrase(intent: Intent, evidence: list[Evidence], weights: Weighting | None = None,
                limit: int = 6) -> Extract | None:
    """The run of 1–3 consecutive phrases that best answers the question among the top clauses."""
    terms = question_terms(intent.question)
    listy = bool(_LISTY.search(intent.question))
    best: Extract | None = None
    top = evidence[0].score if evidence else 1.0
    for item in evidence[:limit]:
        clause = item.clause
        clause_weight = 0.3 * (item.score / top)
        heading_overlap = overlap(terms, clause.heading, weights) if clause.heading else 0.0
        topic = frozenset(bigrams(clause.heading)) if heading_overlap >= 0.3 else frozenset()  # （九）革命老区
        for window in _windows(clause.text):
            core = window.core
            bonus = _kind_bonus(intent.kind, core, listy, intent.question)
            if _is_heading(core, clause) and not _kind_bonus(intent.kind, core, False):
                continue
            if not bonus and not terms & window.core_grams:
                continue  # a window that says nothing the question asks about (附件1) is no answer
            score = (0.5 * overlap_grams(terms, window.grams | topic, weights)
                     + 0.15 * overlap_grams(terms, window.sentence_grams, weights)
                     + 0.15 * heading_overlap + bonus + clause_weight
                     - (0.001 if listy or intent.kind == "which" else 0.0025) * len(core))  # lists run long
            if best is None or score > best.score:
                best = Extract(item, core, core, score)
    return best


def _is_heading(phrase: str, clause: Clause) -> bool:
    """（九）革命老区 restates the question; it is never the answer."""
    return bool(clause.heading) and phrase.endswith(clause.heading) and len(phrase) <= len(clause.heading) + 6


# ---- kind-specific answers ---------------------------------------------------------------

def stage_summary(children: list[Clause]) -> str:
    """分为：动员部署阶段（5月25日至5月31日）、… when a clause's sub-clauses are stages."""
    stages = [c.heading for c in children if "阶段" in c.heading]
    return "分为" + "、".join(stages) if len(stages) >= 2 else ""


def answer_units(intent: Intent, evidence: list[Evidence], levels: set[str] | None = None) -> Extract | None:
    """Responsible units of the best clause that lists them; the lead only where the document defines one."""
    if "落实" in intent.question:  # who implements: the document-wide rule, where one is stated
        ruled = [e for e in evidence if e.clause.standing_rule]
        ruled = ([e for e in ruled if e.document.level in levels] or ruled) if levels else ruled
        # Cite the clause that states the rule; a clause the rule only covers cites its units block.
        ruled.sort(key=lambda e: e.clause.standing_rule not in e.clause.text)
        if ruled:
            item = ruled[0]
            rule = item.clause.standing_rule
            quote = rule if rule in item.clause.text else (_units_sentence(item.clause) or item.clause.units[0])
            return Extract(item, f"{rule}（文件对各项工作的统一规定）", quote, 1.0)
    for item in evidence[:3]:
        clause = item.clause
        if not clause.units:
            continue
        quote = _units_sentence(clause) or clause.units[0]
        units = "、".join(clause.units)
        if clause.lead_unit:
            direct = f"牵头单位：{clause.lead_unit}；责任单位：{units}"
        elif intent.wants_lead:
            direct = f"该文件未明确牵头单位（未规定“列首位的为牵头部门”），责任单位为：{units}"
        else:
            direct = f"责任单位：{units}"
        if clause.standing_rule:
            direct += f"。另：{clause.standing_rule}"
        return Extract(item, direct, quote, 1.0)
    return None


_BRACKET_NOTE = re.compile(r"([【\[][^】\]]*[】\]])内为(.+?)(?=[；;。]|\d+[.．]|$)")


_TABLE_VALUE = re.compile(r"^(?:[-\d.*%【】\[\]]+|全省平均|完成全省下达目标任务)$")


def _table_rows(text: str) -> list[tuple[str, list[str], str]]:
    """(label, values, quoted line) for each value row of a flattened table."""
    rows, pending = [], []
    for line in text.split("\n")[1:]:
        cells = line.split()
        values = []
        while cells and _TABLE_VALUE.match(cells[-1]):
            values.insert(0, cells.pop())
        label = "".join(cells)
        if not values:
            pending.append(line.strip())
            continue
        if not label or label.startswith("（"):
            label = "".join(p for p in pending if len(p) > 4) + label  # a label broken over lines
        rows.append((label, values, line))
        pending = []
    return rows


def answer_table(intent: Intent, evidence: list[Evidence], notes: dict[str, str],
                 weights: Weighting | None = None) -> Extract | None:
    terms = question_terms(intent.question)
    best = None
    for item in evidence[:4]:
        if item.clause.kind != "box":
            continue
        years = re.findall(r"(20\d\d)年", item.clause.text.split("\n")[1] if "\n" in item.clause.text else "")
        for label, values, line in _table_rows(item.clause.text):
            score = overlap(terms, label, weights)
            if score >= 0.4 and (best is None or score > best[0]):
                best = (score, item, label, values, line, years)
    if best is None:
        return None
    _, item, label, values, line, years = best
    target = values[-1]
    described = target
    for bracket, meaning in notes.items():
        if target.startswith(bracket[0]):
            described = f"{target.strip('【】[]')}（{meaning.strip()}）"
    if target.endswith("*") and "*" in notes:
        described += f"（{notes['*']}）"
    direct = f"{label}：{years[-1] + '年' if years else ''}目标为{described}"
    if len(values) >= 2 and values[0] not in ("-",):
        direct += f"（{years[0] + '年' if len(years) > 1 else '基期'}为{values[0]}）"
    return Extract(item, direct, line.strip(), 1.0)


def box_notes(clauses: list[Clause], box: Clause) -> dict[str, str]:
    """Meanings of the brackets in a box's table, from its 备注: 【】 → 5年累计数, [ ] → 年均增速."""
    notes: dict[str, str] = {}
    for clause in clauses:
        if clause.kind == "note" and is_parent_path(box.path, clause.path):
            for bracket, meaning in _BRACKET_NOTE.findall(clause.text):
                notes[bracket.replace(" ", "")] = meaning
            if star := re.search(r"带\*为([^；。]+)", clause.text):
                notes["*"] = star.group(1)
    return notes


def metadata_fact(question: str, document: Document) -> str:
    """Document facts straight from the metadata read at ingest."""
    draft = "（征求意见稿，非正式印发文件）" if document.is_draft else ""
    if re.search(r"文号", question):
        return f"{document.label}的文号是{document.doc_number}。" if document.doc_number else \
            f"《{document.title}》没有文号{draft or '（文中未载明）'}。"
    if re.search(r"主送|发给", question):
        return f"{document.label}的主送单位：{'，'.join(document.addressees)}。" if document.addressees else \
            f"《{document.title}》未列主送单位{draft}。"
    if re.search(r"(哪天|哪一天|什么时候|何时|日期|时间|哪年).{0,4}(印发|发布|成文|签发)|(印发|发布|成文|签发).{0,6}(哪天|什么时候|何时|日期|时间)", question):
        if document.date:
            year, month, day = (int(x) for x in document.date.split("-"))
            return f"{document.label}的成文日期是{year}年{month}月{day}日。"
        return f"《{document.title}》未载明成文日期{draft}。"
    if re.search(r"印发|发文|单位|机关|部门", question):
        return f"{document.label}由{document.issuer}印发。" if document.issuer else \
            f"《{document.title}》未署发文机关{draft}。"
    if re.search(r"正式|征求意见稿|草案|草稿|生效", question):
        return (f"不是正式文件：《{document.title}》是征求意见稿。" if document.is_draft
                else f"是正式印发的文件：{document.label}，{document.issuer or ''}{document.date or ''}。")
    return f"{document.doc_number or '该文件'}是{document.label}" + (f"，{document.issuer}印发" if document.issuer else "") + "。"


def fact_quote(document: Document, clauses: list[Clause], question: str) -> Citation | None:
    """A citation for a metadata fact: the line of the text where the fact stands."""
    candidates = []
    if document.doc_number:
        candidates.append(document.doc_number)
    if document.date:
        year, month, day = (int(x) for x in document.date.split("-"))
        candidates.insert(0 if re.search("日期|哪天|什么时候|何时", question) else len(candidates), f"{year}年{month}月{day}日")
    if document.issuer:
        candidates.insert(0 if re.search("单位|机关|部门", question) else len(candidates), document.issuer)
    if document.addressees and re.search("主送|发给", question):
        candidates.insert(0, document.addressees[0])
    if document.is_draft:
        candidates.insert(0, "征求意见稿")
    candidates.append(document.title)
    ordered = sorted(clauses, key=lambda c: (c.kind != "preamble", c.kind != "endmatter"))
    for needle in candidates:
        for clause in ordered:
            for line in clause.text.split("\n"):
                if needle in line:
                    return Citation(document, clause, line if len(line) <= 120 else needle)
    return None
