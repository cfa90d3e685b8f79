"""Claims in an LLM answer, checked against the clauses each sentence cites. Pure functions, no I/O.

An LLM may rephrase, never add: every sentence must cite at least one evidence id ([E1] …), and every
checkable fact in it — a number with its unit, a date, a percentage, a phone number, a URL or e-mail,
a quoted phrase, an organisation's name, a word that changes a rule's effect (取消, 废止 …) — must be
found in the text of a clause it cites. Both sides are normalized the same way first (full-width
digits, spaces, 2024-12-31 = 2024年12月31日, 六个 = 6个, 百分之二十 = 20%), so a faithful rephrasing
passes and an invented fact does not. Text in a clause that addresses the model (忽略以上指令 …) is
document content, never a source: it is cut off before checking, so an obeyed injection cannot cite
its way through.

The check errs on the side of dropping: a sentence it cannot verify is removed, and if nothing is
left the caller shows the extractive answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ingest.normalize import repair_chars

# Measure words and units a number is read with (六个 → 6个, 50亿元). Chinese numerals are turned into
# digits only when one of these follows (or 第 precedes), so words like 统一 or 十四五 stay as they are.
MEASURE_WORDS = (
    "万亿", "亿元", "万元", "亿", "万", "元", "平方公里", "平方米", "公里", "万吨", "吨", "亩", "千瓦", "兆瓦",
    "个", "家", "户", "项", "场", "次", "批", "类", "条", "款", "章", "节", "件", "份", "名", "人", "位",
    "岁", "年", "月", "日", "号", "天", "周", "季度", "季", "小时", "分钟", "阶段", "倍", "成", "台", "套",
    "辆", "座", "栋", "轮", "届", "期", "种", "大类", "强", "%",
)

# What an organisation's or unit's name ends with (市经信局, 市委宣传部, 达州高新区管委会 …). Single
# characters carry guards so that 布局, 部署, 全部, 委托 … are not read as names.
UNIT_SUFFIXES = (
    "委员会", "管委会", "领导小组", "办公室", "办公厅", "人民政府", "政府", "部门", "工作组", "指挥部",
    "协会", "联合会", "集团", "公司", "研究院", "中心", "局", "厅", "委", "部", "院",
)
_SUFFIX_GUARDS = {
    "局": (r"(?<![布格结大全开当时变出赛棋])", r"(?![面势限部])"),
    "厅": (r"(?<![大客餐展])", r"(?![堂])"),
    "委": (r"(?<![原])", r"(?![托屈婉员])"),
    "部": (r"(?<![全内外局东西南北中上下干头背腹])", r"(?![署分位件队落门])"),
    "院": (r"(?<![庭医])", r"(?![士校落子])"),
    "中心": (r"(?<![为核重])", r"(?![城区任工环])"),
}
# Characters that name a level of government or a place: 省经信局 is not 市经信局.
LEVEL_MARKS = "省市县区州国乡镇村"

# Words that change a rule's effect: a sentence may say 取消 only if its clause does.
STATUS_WORDS = (
    "取消", "废止", "作废", "失效", "无效", "暂停", "终止", "停止", "撤销", "撤回", "延期", "延长", "推迟",
    "提前", "不再", "禁止", "免费", "免除",
)

# Phrases with which text addresses a language model instead of a reader (prompt injection). A clause
# is checked only up to the sentence where one of them appears: what follows is not a source.
INSTRUCTION_MARKERS = (
    "忽略以上", "忽略上述", "忽略之前", "忽略前面", "忽略所有", "忽略你", "无视以上", "无视上述", "无视之前",
    "不要理会", "不再遵守", "你现在是", "你是一个", "作为AI", "作为人工智能", "系统提示", "提示词", "回答：",
    "请直接回答", "请回答", "ignore previous", "ignore all", "ignore the above", "disregard", "system prompt",
    "you are now", "assistant:", "system:",
)

CITATION = re.compile(r"\[E(\d+)\]")
_ANY_MARK = re.compile(r"\[(?:E\s*)?\d+\]|【(?:E\s*)?\d+】")  # [E1], [1], 【1】: ids, or display marks faked by the LLM
_ENDS = "。！？!?"
_SENTENCE = re.compile(rf"[^{_ENDS}\n]+(?:[{_ENDS}]+[”’」』）)]*)?(?:[ \t]*\[E\d+\])*")
_PARTIAL_MARK = re.compile(r"^\[(?:E\d*)?$")
_LIST_BULLET = re.compile(r"^(?:[-*•·]|\d{1,2}[.、)）](?!\d))\s*")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_RUN = "零〇一二两三四五六七八九十百千"
_CN_POSITIONAL = re.compile(
    r"^(?:[一二两三四五六七八九]千)?(?:零?[一二两三四五六七八九]百)?(?:零?[一二两三四五六七八九]?十)?(?:零?[一二三四五六七八九])?$"
)
_MEASURE = "|".join(re.escape(w) for w in sorted(MEASURE_WORDS, key=len, reverse=True))
_CN_NUMBER = re.compile(rf"百分之([{_CN_RUN}]+)|(第)([{_CN_RUN}]+)|([{_CN_RUN}]+)(?={_MEASURE})")

_DATE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?|(?<![\d年])(\d{1,2})月(\d{1,2})日")
_PERCENT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%")
_PHONE = re.compile(r"(?<![\d-])(?:0\d{2,3}-\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4})(?![\d-])")
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_QUOTE = re.compile(r"“([^”]{1,80})”|《([^》]{1,80})》|「([^」]{1,80})」|『([^』]{1,80})』|\"([^\"]{1,80})\"")
_MARKUP = re.compile(r"<[^<>]{1,200}>|!?\[[^\]]*\]\([^)]*\)|`[^`]+`")
_NUMBER = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)({_MEASURE})?")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SUFFIX = re.compile("|".join(
    _SUFFIX_GUARDS.get(s, ("", ""))[0] + re.escape(s) + _SUFFIX_GUARDS.get(s, ("", ""))[1]
    for s in UNIT_SUFFIXES))
_MAX_NAME = 16  # characters of a name before its suffix is looked at: longer runs are prose


# ---- normalization ---------------------------------------------------------------------------

def _cn_to_int(run: str, before_year: bool = False) -> int | None:
    """三 → 3, 十二 → 12, 一百零五 → 105, 二〇二四 (before 年) → 2024; anything else → None."""
    if before_year and len(run) == 4 and all(c in _CN_DIGITS for c in run):
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    if not _CN_POSITIONAL.match(run) or not run:
        return None
    total, current = 0, 0
    for char in run:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        else:
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[char]
            current = 0
    return total + current


def _arabic(match: re.Match) -> str:
    if match.group(1) is not None:  # 百分之二十
        value = _cn_to_int(match.group(1))
        return f"{value}%" if value is not None else match.group(0)
    if match.group(2):  # 第三
        value = _cn_to_int(match.group(3))
        return f"第{value}" if value is not None else match.group(0)
    run = match.group(4)
    following = match.string[match.end():match.end() + 1]
    value = _cn_to_int(run, before_year=following == "年")
    return str(value) if value is not None else run


def normalize(text: str) -> str:
    """One spelling for what can be written several ways: half-width digits, no spaces, Arabic
    numerals before a measure word, dates as 2024年12月31日, phone numbers without separators."""
    text = repair_chars(text).replace("％", "%")
    text = re.sub(r"(?<=\d)\s+(?=\d)", "|", text)  # table cells 479.9 1000 stay two numbers
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # 1,000 → 1000
    text = _CN_NUMBER.sub(_arabic, text)
    text = re.sub(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])",
                  lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)
    text = re.sub(r"(?<=[年月])0(?=\d)", "", text)  # 2024年01月05日 → 2024年1月5日
    text = re.sub(r"(?<=月)(\d{1,2})号", r"\1日", text)  # 12月31号 → 12月31日
    text = re.sub(r"(?<![\d|-])(1[3-9]\d)[-|](\d{4})[-|](\d{4})(?![\d|-])", r"\1\2\3", text)  # 138-0000-0000
    return text


_MARKERS = tuple(normalize(m).lower() for m in INSTRUCTION_MARKERS)


def addresses_model(text: str) -> bool:
    """Does the text speak to a language model (忽略以上指令 …) rather than to a reader?"""
    plain = normalize(text).lower()
    return any(marker in plain for marker in _MARKERS)


@lru_cache(maxsize=512)
def checkable(evidence_text: str) -> str:
    """The normalized evidence a claim may come from: cut at the sentence that addresses the model."""
    text = normalize(evidence_text)
    lowered = text.lower()
    found = [i for i in (lowered.find(m) for m in _MARKERS) if i >= 0]
    if not found:
        return text
    start = min(found)
    sentence_start = max(text.rfind(end, 0, start) for end in "。！？；!?") + 1
    return text[:sentence_start]


# ---- sentences -------------------------------------------------------------------------------

def split_sentences(reply: str) -> list[str]:
    """Sentences of a reply, each with the [E#] marks that follow its end punctuation (…结束。[E1])."""
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(reply)) if s]


def complete_sentences(buffer: str) -> tuple[list[str], str]:
    """The sentences of a streaming reply that can no longer change, and the rest to wait for.

    A sentence is complete once something other than a citation mark follows its end: …结束。 may
    still get its [E1]."""
    done, consumed = [], 0
    for match in _SENTENCE.finditer(buffer):
        rest = buffer[match.end():].lstrip()
        if not rest or _PARTIAL_MARK.match(rest):
            break
        if match.group(0).strip():
            done.append(match.group(0).strip())
        consumed = match.end()
    return done, buffer[consumed:]


def cited_ids(sentence: str, available: int) -> tuple[int, ...]:
    """The evidence numbers a sentence cites that exist (1 … available), in order, without repeats."""
    return tuple(dict.fromkeys(n for n in map(int, CITATION.findall(sentence)) if 1 <= n <= available))


def strip_marks(sentence: str, evidence: str = "") -> str:
    """The sentence as a person reads it: no [E#] ids, no look-alike marks the LLM made up, no list
    bullet (1. / - ) in front. A mark the cited text itself holds is a value, not a mark: a plan's
    table writes a cumulative target as 【1500】."""
    def drop(mark: re.Match) -> str:
        return mark.group(0) if evidence and mark.group(0) in evidence else ""

    return _LIST_BULLET.sub("", _ANY_MARK.sub(drop, sentence).strip()).strip()


# ---- claims ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    kind: str  # date | percent | phone | url | email | quote | markup | number | org | status
    text: str  # normalized, as it must be found in the cited clause

    def supported_by(self, evidence: str) -> bool:
        """Is the claim in this normalized evidence text?"""
        if self.kind in ("url", "email"):
            return self.text.lower().rstrip("/") in evidence.lower()
        if self.kind == "date":
            return _date_supported(self.text, evidence)
        if self.kind in ("number", "percent", "phone"):
            return _number_supported(self.text, evidence)
        if self.kind == "org":
            return _org_supported(self.text, evidence)
        return self.text in evidence


def _number_supported(number: str, evidence: str) -> bool:
    """3个 is found as written (3 is not in 35 or 3.5); 1500亿元 also as the bare 1500 in a table
    whose header gives the unit: 制造业投资额（亿元） - 【1500】."""
    def found(text: str) -> bool:
        after = r"(?!\d|\.\d)" if text[-1].isdigit() else ""
        return re.search(rf"(?<![\d.]){re.escape(text)}{after}", evidence) is not None

    if found(number):
        return True
    value, unit = re.fullmatch(r"([\d.]+)(.*)", number).groups() if number[0].isdigit() else (number, "")
    return bool(unit) and re.search(rf"[（(]{re.escape(unit)}[）)]", evidence) is not None and found(value)


def _date_supported(date: str, evidence: str) -> bool:
    """2023年9月5日 is found as written, or as its year and its day (从2023年5月25日开始至9月5日)."""
    def found(part: str) -> bool:
        return re.search(rf"(?<!\d){re.escape(part)}", evidence) is not None

    if found(date):
        return True
    match = re.fullmatch(r"(\d{4}年)(\d{1,2}月(?:\d{1,2}日)?)", date)
    return bool(match) and found(match.group(1)) and found(match.group(2))


def _org_supported(name: str, evidence: str) -> bool:
    """A name is supported by the longest ending of it the clause contains (at least one character
    before the suffix), unless what is left over names a level or place (省经信局 is not 市经信局):
    明确市经信局 → 市经信局 is enough; 由市委宣传部 → 宣传部 must be there."""
    suffix = _SUFFIX.search(name)
    while suffix and suffix.end() < len(name):
        suffix = _SUFFIX.search(name, suffix.start() + 1)
    shortest = min(len(name), (len(suffix.group(0)) if suffix else 1) + 1)
    for start in range(0, len(name) - shortest + 1):
        if name[start:] in evidence:
            return not any(mark in name[:start] for mark in LEVEL_MARKS)
    return False


def claims(sentence: str) -> list[Claim]:
    """The checkable facts of one sentence (citation marks removed first)."""
    text = normalize(strip_marks(sentence))
    found: list[Claim] = []

    def take(kind: str, pattern: re.Pattern) -> None:
        nonlocal text
        found.extend(Claim(kind, match.group(0)) for match in pattern.finditer(text))
        text = pattern.sub(lambda m: "\x00" * len(m.group(0)), text)  # masked: not read again as numbers

    for match in _QUOTE.finditer(text):  # quoted phrases are checked whole; their numbers still count
        found.append(Claim("quote", next(g for g in match.groups() if g).strip("。，；：、 ")))
    found.extend(Claim("markup", match.group(0)) for match in _MARKUP.finditer(text))  # links, tags: and their URLs
    take("url", _URL)
    take("email", _EMAIL)
    take("date", _DATE)
    take("percent", _PERCENT)
    take("phone", _PHONE)
    for match in _NUMBER.finditer(text):
        found.append(Claim("number", match.group(0)))
    for run in _CJK_RUN.finditer(text):
        found.extend(Claim("org", name) for name in _names(run.group(0)))
    found.extend(Claim("status", word) for word in STATUS_WORDS if word in text)
    return [c for c in dict.fromkeys(found) if c.text]


def _names(run: str) -> list[str]:
    """Organisation names in a run of Chinese characters: each ends with a unit suffix and starts
    after the previous name (or at most _MAX_NAME characters back)."""
    names, start = [], 0
    for match in _SUFFIX.finditer(run):
        begin = max(start, match.end() - _MAX_NAME)
        if match.end() - begin > len(match.group(0)):  # a bare 部门 / 中心 names nothing
            names.append(run[begin:match.end()])
        start = match.end()
    return names


# ---- one sentence against its citations ------------------------------------------------------

@dataclass(frozen=True)
class SentenceCheck:
    sentence: str  # as a person reads it: without citation marks
    ids: tuple[int, ...]  # valid evidence numbers it cites
    unsupported: tuple[Claim, ...]  # facts not found in any cited clause

    @property
    def ok(self) -> bool:
        return bool(self.sentence) and bool(self.ids) and not self.unsupported

    @property
    def reason(self) -> str:
        if not self.sentence:
            return "empty"
        if not self.ids:
            return "cites no evidence"
        return "not in the cited clause: " + "、".join(f"{c.kind} {c.text}" for c in self.unsupported)


def check_sentence(sentence: str, evidence_texts: Sequence[str | tuple[str, ...]]) -> SentenceCheck:
    """Check one LLM sentence against the evidence it may cite: [E1] stands for evidence_texts[0],
    a text or several texts (each cut at its own instruction to the model, if any)."""
    ids = cited_ids(sentence, len(evidence_texts))
    sources = [evidence_texts[n - 1] for n in ids]
    cited = ["\n".join(map(checkable, s)) if isinstance(s, tuple) else checkable(s) for s in sources]
    plain = strip_marks(sentence, "\n".join(cited))
    if not ids or not plain.strip(_ENDS + "，；、 "):
        return SentenceCheck(plain, ids, ())
    missing = tuple(c for c in claims(plain) if not any(c.supported_by(text) for text in cited))
    return SentenceCheck(plain, ids, missing)
