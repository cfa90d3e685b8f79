"""One analysed question, computed once: its text, content terms, the documents and clause it names,
levels, years, ordinals, whether it leans on a previous answer, and a score for every question kind.
Everything downstream reads this object; nothing re-parses the question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.metadata import canonical_doc_number, place_prefix
from ingest.models import Document
from ingest.normalize import normalize_for_matching, repair_chars
from rag.english import chinese_references, english_cues, leans_back, without_english
from rag.lexicon import ANAPHORA, COLLOQUIAL_TO_FORMAL, LEVEL_WORDS, ORDINAL_COUNTERS, QUESTION_WORDS
from rag.lookup import NUMBER_REF, split_citation
from rag.naming import named_groups
from rag.places import documents_of_places_named

_ORDINAL = re.compile(rf"第([一二三四五六七八九十]+|\d+)({'|'.join(ORDINAL_COUNTERS)})")
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
_DOC_NUMBERS = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,4}\s*号|[\u4e00-\u9fff]{1,8}令第[\d一二三四五六七八九十百]+号")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def content_terms(text: str) -> tuple[str, ...]:
    """jieba words that carry content (question words and particles removed)."""
    from ingest.keyword import word_tokens

    return tuple(dict.fromkeys(w for w in word_tokens(text) if w not in QUESTION_WORDS and len(w.strip()) >= 1))


def bigrams(text: str) -> frozenset[str]:
    text = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", text)
    return frozenset(text[i: i + 2] for i in range(len(text) - 1))


def content_grams(text: str) -> frozenset[str]:
    """Character bigrams of the question with question words blanked out (什么时候, 哪些, 吗 …)."""
    blanked = text
    for word in sorted(QUESTION_WORDS, key=lambda w: (-len(w), w)):  # a set: ties in a fixed order, or the hash seed decides
        if len(word) >= 2:
            blanked = blanked.replace(word, "|")
    return frozenset(g for part in blanked.split("|") for g in bigrams(part))


def _formal_grams(text: str) -> frozenset[str]:
    """The bigrams of the formal words the question's colloquial ones stand for (每天 → 每日): a
    sentence saying 每日升挂 shares the question's wording as retrieval already read it."""
    return frozenset(g for said, formal in COLLOQUIAL_TO_FORMAL.items() if said in text for g in bigrams(formal))


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]
    grams: frozenset[str]
    documents: tuple[Document, ...]  # every document the question names (文号, title, nickname)
    names_apart: bool  # it names two or more documents each by its own words or 文号 (not one phrase several share)
    unknown_doc_numbers: tuple[str, ...]  # 文号 the question names that no document has
    clause_expr: str | None  # a clause path the question names: （七）, 第二十一条
    levels: frozenset[str]  # province / city / county named (省里, 达州 …)
    years: tuple[str, ...]
    ordinals: tuple[str, ...]  # 第二阶段, 第四季 …
    anaphoric: bool  # leans on something said before (它, 这项, 那…呢)
    english: bool
    place_doc_ids: frozenset[str] = frozenset()  # an English question's places (Dazhou's …): their documents
    cues: str = ""  # an English question's question words as Chinese ones (When … take effect? → 什么时候施行)
    kind_scores: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        return max(self.kind_scores, key=self.kind_scores.get) if self.kind_scores else "other"

    @property
    def asked(self) -> str:
        """What the question asks, as Chinese question words read it: an English question's text
        followed by its cues (rag.english)."""
        return self.text + self.cues

    @property
    def doc_ids(self) -> frozenset[str]:
        return frozenset(d.doc_id for d in self.documents)


def _levels(text: str, documents: list[Document]) -> frozenset[str]:
    levels = {level for level, words in LEVEL_WORDS.items() if re.search(words, text)}
    places = {found for document in documents for name in (document.issuer, document.title) if (found := place_prefix(name))}
    for place in places:
        for match in re.finditer(rf"(?<![—\-－]){place[0]}(?![—\-－])", text):
            # a place listed after another (川东（达州、南充）) is part of a name; after a clause
            # (省里叫啥、达州叫啥) it is a level of its own
            before = text[:match.start()]
            if not (before.endswith("、") and any(before[:-1].endswith(other[0]) for other in places)):
                levels.add(place[2])
    return frozenset(levels)


def _beyond_titles(grams: frozenset[str], named: list[Document], english: bool = False) -> frozenset[str]:
    """The question's wording less the titles and 文号 it names: once a document is named, its title
    says which document, not which sentence (百日攻坚第三季关注哪些新兴产业 → 新兴产业)."""
    if not named:
        return grams
    rest = grams - frozenset(g for document in named for g in bigrams(document.title) | bigrams(document.doc_number or "")
                             | bigrams(document.status_word or ""))
    # A Chinese question that is only a name asks about that document; an English one's wording is English.
    return rest if rest or english else grams


_PART_END = re.compile(r"(?<=[？?])")


def question_parts(text: str) -> list[str]:
    """The questions in one message (多少天内发证？偏远地区能拖多久？); one part when only one of them
    says enough to be asked on its own (…是什么？为什么？ is one question)."""
    parts = [p.strip() for p in _PART_END.split(text) if p.strip()]
    if len(parts) < 2 or any(len(_CJK.findall(p)) < 4 and len(_LATIN.findall(p)) < 12 for p in parts):
        return [text]
    return parts


def is_english(text: str) -> bool:
    """Mostly Latin letters: a question in English (or another Latin-script language)."""
    return len(_LATIN.findall(text)) > 2 * len(_CJK.findall(text))


def analyse(text: str, documents: list[Document], classify=None) -> Question:
    """`classify(text) -> {kind: score}` is the kind registry's scorer (rag.kinds). An English question
    is named, cited and counted from its Chinese part (达市府办函〔2023〕53号, 劳动法, Article 62 → 第六十二条)
    and its kind is read from the Chinese question words its own words map to."""
    text = repair_chars(text or "").strip()
    english = is_english(text)
    chinese = without_english(text) if english else text
    cues = english_cues(text) if english else ""
    matching = normalize_for_matching(chinese)
    groups = named_groups(chinese, documents) if chinese else []
    named = [d for group in groups for d in group]
    numbers = [canonical_doc_number(m.group(0)) for m in _DOC_NUMBERS.finditer(matching)]
    known = {d.doc_number for d in documents if d.doc_number}
    for number in numbers:  # every 文号 the question names, not only the first
        found = [d for d in documents if d.doc_number == number and d not in named]
        named += found
        groups += [found] if found else []
    # English words stay while the clause is found: "(season 3)" is no （3）, and "at age 16." ends a
    # sentence: an English question cites a clause the Chinese way (（二十）, 第六十二条 from Article 62).
    _, clause_expr = split_citation(chinese_references(text) if english else text)
    if english and clause_expr and not _CJK.search(clause_expr):
        clause_expr = None
    place_docs = documents_of_places_named(text, documents) if english and not named else []
    if len(place_docs) == 1:  # Sichuan's opinions, and the library holds one document of Sichuan: named
        named, groups = place_docs, [place_docs]
    without_numbers = NUMBER_REF.sub("", normalize_for_matching(text))
    return Question(
        text=text,
        terms=content_terms(chinese),
        grams=_beyond_titles(content_grams(chinese) | _formal_grams(chinese), named, english),
        documents=tuple(named),
        names_apart=len(groups) >= 2,
        place_doc_ids=frozenset(d.doc_id for d in place_docs),
        unknown_doc_numbers=tuple(n for n in numbers if n and n not in known),
        clause_expr=clause_expr,
        levels=_levels(chinese, documents),
        years=tuple(m.group(0) for m in _YEAR.finditer(without_numbers)),
        ordinals=tuple(m.group(0) for m in _ORDINAL.finditer(text)),
        anaphoric=leans_back(text) if english else bool(ANAPHORA.search(text)) and len(text) <= 24,
        english=english,
        cues=cues,
        kind_scores=(classify(((clause_expr or "") + cues) or text) if english else classify(text)) if classify else {},
    )
