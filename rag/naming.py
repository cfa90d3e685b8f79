"""Which documents a piece of text names: by 文号 (whole or `67号`), by exact title, by a quoted
nickname (“百日攻坚”) or by the longest distinctive piece of a title it shares."""

from __future__ import annotations

import re

from ingest.metadata import place_prefix
from ingest.models import Document
from ingest.normalize import normalize_for_matching
from rag import lexicon as lx
from rag.lookup import match_documents
from rag.places import place_of

MAX_NAMED_ALIKE = 3  # documents one phrase may name at once (the province's and the city's 承接…转移 plans)


def named_documents(question: str, documents: list[Document]) -> list[Document]:
    """Documents named by 文号 or by a distinctive piece of their title (百日攻坚, 十四五, 融圈强链)."""
    return [d for group in named_groups(question, documents) for d in group]


def named_groups(question: str, documents: list[Document]) -> list[list[Document]]:
    """The documents a question names, one group per naming: a question may name several apart
    (劳动法和医疗保障法草案分别…): once a document is found, the words that named it are set aside and
    the rest of the question is read for another. Documents one phrase names alike (承接制造业转移
    的意见: the province's and the city's) form one group."""
    text = normalize_for_matching(question)
    matched = [(score, d) for score, d in match_documents(documents, text) if score >= 6]
    if len(matched) > MAX_NAMED_ALIKE:  # 67号文 where many documents are 67号: only more than the number names one
        best = matched[0][0]
        matched = [(score, d) for score, d in matched if score == best > 6]
        matched = matched if len(matched) <= MAX_NAMED_ALIKE else []
    named = [d for _, d in matched]
    if named:
        return [[d] for d in named]
    # 北京电动自行车…: a title piece (电动自行车) does not name another place's document (南宁市电动自行车…)
    places = {place for d in documents if (place := place_of(d)) and place in text}
    if places:
        documents = [d for d in documents if place_of(d) in places or place_of(d) is None]
    groups: list[list[Document]] = []
    while (best := _best_named(text, [d for group in groups for d in group], documents)) is not None:
        group, pieces = best
        groups.append(group)
        for piece in pieces:
            text = text.replace(piece, "|")
    return groups


def _best_named(text: str, found: list[Document], documents: list[Document]) -> tuple[list[Document], list[str]] | None:
    """The documents (not yet found) the text names best, and the pieces of the text that name them."""
    documents = [d for d in documents if d not in found]
    exact = [(d, piece) for d in documents for piece in (normalize_for_matching(d.title),
                                                        normalize_for_matching(_without_place(d.title)))
             if piece and piece in text]
    if exact:
        return list(dict.fromkeys(d for d, _ in exact)), [piece for _, piece in exact]
    scored = []
    for document in documents:
        quoted = [term for term in re.findall(r"“([^”]{2,12})”", document.title) if term in text]
        title = _strip_generic(document.title)
        distinctive = _longest_shared(text, title)
        # a short title's whole distinctive part names it too (中华人民共和国劳动法 → 劳动法)
        whole = len(distinctive) >= 3 and f"|{distinctive}|" in f"{title}|"
        short = _short_name(text, document.title)
        if quoted or len(distinctive) >= 4 or whole or short:
            score = max([len(t) + 2 for t in quoted] + [len(distinctive) + whole] + [len(short) - 1 if short else 0])
            pieces = quoted + [distinctive] if distinctive else quoted
            scored.append((score, document, pieces + [short] if short else pieces))
    if not scored:
        return None
    best = max(score for score, _, _ in scored)
    chosen = [(d, pieces) for score, d, pieces in scored if score == best]
    shared = {piece for _, pieces in chosen for piece in pieces if piece}
    if sum(any(piece in d.title for piece in shared) for d in documents) > MAX_NAMED_ALIKE:
        return None  # a phrase many titles share (承接产业转移) is the question's topic, not a document's name
    return [d for d, _ in chosen], [piece for _, pieces in chosen for piece in pieces]


_GENERIC = ("中华人民共和国", "人民政府", "办公厅", "办公室", "关于", "实施意见", "实施方案", "工作方案",
            "发展", "规划", "行动", "工作", "方案", "意见", "的")


# What a title calls the document, last: a short name ends with it too (承接转移方案)
_TYPE_WORDS = r"实施方案|工作方案|方案|实施意见|意见|规划|管理办法|办法|管理条例|条例|规定|通知|法"


def _short_name(text: str, title: str) -> str:
    """承接转移方案 names 达州市承接制造业有序转移工作方案: a run of the text ending with the title's own
    type word, whose other characters are pieces of 2+ characters of the title, in order."""
    place = place_prefix(title)
    best = ""
    for match in re.finditer(_TYPE_WORDS, text):
        if not title.endswith(match.group()):
            continue
        for start in range(max(0, match.start() - 12), match.start() - 1):
            fragment = text[start:match.start()]
            # the place alone (上海…办法) names no document: three more characters must come from the title,
            # or two after the title's own place (上海积分办法, 上海的积分办法)
            rest = re.sub(rf"^{re.escape(place[0])}(?:{re.escape(place[1])})?", "", fragment) if place else fragment
            placed = rest != fragment
            rest = rest.removeprefix("的") if placed else rest
            # after a demonstrative (这份落户意见) two characters are enough: the user points at one document
            pointed = len(rest) == 2 and text[:start].endswith(lx.DOCUMENT_DEMONSTRATIVES)
            if (len(rest) >= 3 or pointed or (placed and len(rest) == 2)) \
                    and _in_pieces(rest if placed else fragment, title[:-len(match.group())]):
                best = max(best, text[start:match.end()], key=len)
                break
    return best


def _in_pieces(fragment: str, title: str) -> bool:
    """Whether the fragment is pieces of 2+ characters of the title, taken in the title's order."""
    position = 0
    while fragment:
        size = next((n for n in range(len(fragment), 1, -1) if title.find(fragment[:n], position) >= 0), 0)
        if not size:
            return False
        position = title.find(fragment[:size], position) + size
        fragment = fragment[size:]
    return True


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


def without_names(text: str, documents: list[Document] | tuple[Document, ...]) -> str:
    """The text less the words naming these documents (劳动法和医疗保障法草案分别… → 和分别…): searched
    inside each document, its own name matches only its title page."""
    for document in documents:
        for word in (document.doc_number, document.status_word):
            text = text.replace(word or "\0", " ")
        piece = _longest_shared(text, "|" + document.title + "|")
        if len(piece) >= 2:
            text = text.replace(piece, " ", 1)
    return text
