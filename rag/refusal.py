"""Knowing when not to answer, as a calibrated decision.

The support score is a logistic regression over the best candidate's features (its ranker
probability, how much of the question's rare wording the clause holds, whether the asked-for answer
type is present, dense similarity) fitted on the TRAIN split by `rag/fit.py`: it estimates the chance
that the answer is right. Below the threshold (also chosen on TRAIN, stored with the weights in
`rag/refusal.json`) the assistant refuses and names the closest clauses. Two facts are checked
outright because no score can stand in for them: a year or an ordinal (第四季) the question names
must occur in the answering clause.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag import lexicon as lx
from rag.numerals import to_number
from rag.rank import Candidate

WEIGHTS_FILE = Path(__file__).with_name("refusal.json")
TYPED_KINDS = {"when": "时间", "duration": "期限", "frequency": "频次", "amount": "数额", "person": "人员姓名"}
GATE_FEATURES = ("ranker", "overlap_clause", "rare_terms", "answer_type", "dense", "margin")
_FALLBACK = {"version": "fallback", "coef": [4.0, 2.0, 2.0, 1.0, 2.0, 1.0], "intercept": -5.0, "threshold": 0.5}


@dataclass(frozen=True)
class Decision:
    refuse: bool
    confidence: float  # calibrated chance the answer is right (0 for a refusal by rule)
    reason: str = ""
    candidate: Candidate | None = None


@lru_cache(maxsize=1)
def gate() -> dict:
    try:
        return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _FALLBACK


def gate_features(ranked: list[Candidate], answer_types: tuple[str, ...]) -> tuple[float, ...]:
    best = ranked[0]
    dense, _, overlap_clause, _, _, _, rare = best.features
    typed = 1.0 if best.typed(answer_types) or not answer_types else 0.0
    margin = best.score - (ranked[1].score if len(ranked) > 1 else 0.0)
    return (best.score, overlap_clause, rare, typed, dense, margin)


def support(features: tuple[float, ...], model: dict | None = None) -> float:
    model = model or gate()
    z = model["intercept"] + sum(w * x for w, x in zip(model["coef"], features))
    return 1.0 / (1.0 + math.exp(-z))


SURE_SCORE, SURE_MARGIN = 0.4, 0.15  # kind scores (rag.kinds.classify) that make the typed rule safe
MEASURE_DEPTH = 10  # candidate sentences searched for a quantity in the unit a question names


def _sure_of(question, name: str) -> bool:
    """The typed rule is only as good as the kind detection: a question that is as much about who or
    where as about how much (由哪一级定？要报哪里备案？) is left to the calibrated gate."""
    own = question.kind_scores.get(name, 0.0)
    runner_up = max((v for k, v in question.kind_scores.items() if k != name), default=0.0)
    return own >= SURE_SCORE and own - runner_up >= SURE_MARGIN


# 多少辆 names its unit; 多少亿元以上产业项目 asks how many projects of that size, not how much money.
_ASKED_UNIT = re.compile(r"(?:多少|几)[十百千万亿]*(" + "|".join(sorted(map(re.escape, lx.MEASURE_UNITS), key=len, reverse=True))
                         + r")(?!以上|以下|级)")
_SHARE = frozenset({"%", "％", "‰", "个百分点", None})  # None: 三分之二 — a share has no unit
# a fine or a refund is often a multiple of another sum (处骗取金额二倍以上五倍以下的罚款)
_MULTIPLE = frozenset({"倍"})


def asked_units(text: str) -> frozenset | None:
    """The units an amount answer must be in: money's when the question is about money (补贴多少,
    多少亿元; a share counts too), any counter when it names one (多少张 is answered by 500件), else the
    unit it names (多少吨); None when the question does not say."""
    named = set(_ASKED_UNIT.findall(text))
    if named & set(lx.CURRENCY_UNITS) or (not named and any(word in text for word in lx.MONEY_WORDS)):
        return frozenset(lx.CURRENCY_UNITS) | _SHARE | _MULTIPLE
    if named & set(lx.COUNTERS):
        return frozenset(lx.COUNTERS)
    return frozenset(named) or None


_ASKED_TIME = re.compile(r"(?:多少|几)(" + "|".join(sorted(map(re.escape, lx.TIME_UNITS), key=len, reverse=True)) + ")")
_SAME_TIME = {"天": "日", "自然日": "日", "星期": "周"}


def _time_unit(unit: str | None) -> str:
    unit = (unit or "").removeprefix("个")
    return _SAME_TIME.get(unit, unit)


def asked_time_units(text: str) -> frozenset[str]:
    """多少天内 asks for days (15日内, not 1个月内); 几个工作日 for working days."""
    return frozenset(_time_unit(unit) for unit in _ASKED_TIME.findall(text))


def named_measure(text: str) -> frozenset[str]:
    """The units of measure a question names outright (满多少岁, 多少万平方米, 多少吨), not money's or a
    counter's: whatever kind it is read as, its answer states a quantity in one of them."""
    named = set(_ASKED_UNIT.findall(text)) - set(lx.CURRENCY_UNITS) - set(lx.COUNTERS) - _SHARE - _MULTIPLE - {"分"}
    return frozenset(named | ({"岁"} if "周岁" in named else set()) | ({"周岁"} if "岁" in named else set()))


def _in_units(candidate: Candidate, units: frozenset) -> bool:
    return any(s.kind == "amount" and (s.unit in units or any(s.unit and s.unit.endswith(u) for u in units if u))
               for s in candidate.spans)


def _given(question) -> set[tuple]:
    """The quantities the question states itself (工作满一年以后…有几天): a sentence holding only these
    restates the question, it does not answer it."""
    from rag.extract import find_all

    return {(s.kind, s.value, s.unit) for s in find_all(question.text) if s.value is not None}


_MEMBER = re.compile(rf"(?<![一二三四五六七八九十百\d])(?:第([一二三四五六七八九十]|\d{{1,2}})({'|'.join(lx.ORDINAL_COUNTERS)})"
                     rf"|第?([一二三四五六七八九十]|\d{{1,2}})({'|'.join(lx.SERIES_COUNTERS)}))(?!以上|以下|及以)")


def members(text: str) -> dict[str, set]:
    """The members of numbered series a text names, by counter: 第二类和第三类 → {类: {2, 3}}."""
    found: dict[str, set] = {}
    for match in _MEMBER.finditer(text):
        number, counter = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        found.setdefault(counter, set()).add(to_number(number))
    return found


def _about_another_member(sentence: str, asked: dict[str, set]) -> bool:
    """The sentence names members of a series the question names, but not the one asked about."""
    own = members(sentence)
    return any(counter in own and not own[counter] & values for counter, values in asked.items())


def decide(question, kind, ranked: list[Candidate]) -> Decision:
    if not ranked:
        return Decision(True, 0.0, "已收录文件中未找到相关条款")
    if (measure := named_measure(question.asked)) and not any(_in_units(c, measure) for c in ranked[:MEASURE_DEPTH]):
        return Decision(True, 0.0, "已收录文件中未找到所问的具体数额", ranked[0])
    if kind.name in TYPED_KINDS and _sure_of(question, kind.name):
        # A when / how long / how much question needs a date, a duration or an amount in the answer: the
        # best sentence that holds one answers it; a sentence without one does not, however close its wording.
        given = _given(question)
        typed = [c for c in ranked if any((s.kind, s.value, s.unit) not in given for s in c.typed(kind.answer_types))]
        if kind.name == "amount" and (units := asked_units(question.asked)) is not None:
            typed = [c for c in typed if _in_units(c, units)]  # 补贴多少 is not answered by 50万吨
        if not typed:
            return Decision(True, 0.0, "已收录文件中未找到所问的具体" + TYPED_KINDS[kind.name], ranked[0])
        ranked = typed + [c for c in ranked if c not in typed]
    if kind.name == "duration" and (units := asked_time_units(question.text)):
        # 多少天内 is answered by a duration in days from the three best clauses first; another unit still
        # answers when none of them says it in days
        in_unit = [c for c in ranked if c.rank < 3 and any(s.kind == "duration" and _time_unit(s.unit) in units
                                                            for s in c.spans)]
        ranked = in_unit + [c for c in ranked if c not in in_unit]
    if ranked and (asked := members(question.text)):
        # 三类医疗器械审评要多久: 将第二类医疗器械审评平均时限压缩至40个工作日 is about another class
        fitting = [c for c in ranked if not _about_another_member(c.sentence, asked)]
        if not fitting:
            return Decision(True, 0.0, "已收录文件中未找到所问这一类（级）的相关规定", ranked[0])
        ranked = fitting
    judged = ranked  # what the support score weighs the best candidate against
    # the terms a question asks about by name: any it holds when it asks what one is, those it quotes
    # otherwise (“四带”是哪四条？)
    named = (lambda term: term in question.text) if kind.name == "definition" else \
        (lambda term: term in re.findall(r"[“\"]([^”\"]{2,12})[”\"]", question.text))
    quoting = kind.name not in TYPED_KINDS and ("“" in question.text or '"' in question.text)  # a value asked: typed first
    if kind.name == "definition" or quoting:
        # a sentence that defines the very term the question names (“两新一绿”是什么) answers it first, and
        # is judged among such sentences (a better-worded sentence defining another term is no rival)
        defining = [c for c in ranked if any(s.kind == "definition" and isinstance(s.value, str) and len(s.value) >= 2
                                             and named(s.value) for s in c.spans)]
        ranked = defining + [c for c in ranked if c not in defining]
        judged = defining or ranked
    best = ranked[0]
    document = best.evidence.document  # a year may name the document (its 文号 or date), not the clause
    clause_text = (best.evidence.clause.text + best.evidence.clause.heading + document.title
                   + (document.doc_number or "") + (document.date or "")[:4])
    for fact in question.years + question.ordinals:
        if fact not in clause_text and not any(fact in c.evidence.clause.text for c in ranked[:3]):
            return Decision(True, 0.0, f"已收录文件中未找到“{fact}”的相关规定", best)
    if lx.PHONE_ASKED.search(question.text) and not any(lx.PHONE_NUMBER.search(c.evidence.clause.text) for c in ranked[:3]):
        return Decision(True, 0.0, "已收录文件中未找到所问的联系电话", best)
    confidence = support(gate_features(judged, kind.answer_types))
    if confidence < gate()["threshold"]:
        return Decision(True, confidence, "已收录文件中未找到能直接回答该问题的条款", best)
    return Decision(False, confidence, "", best)
