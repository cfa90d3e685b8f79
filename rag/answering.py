"""From ranked candidates to an answer: the generic path every span kind takes, and the pieces the
special kinds (document facts, comparisons, lookups) share — citations, refusals, phrasing."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rag import lexicon as lx
from rag.kinds import Kind
from ingest.models import Clause
from rag.models import Answer, Citation, Evidence
from rag.notes import Note, marks_on, notes_in
from rag.question import Question, bigrams
from rag.rank import Candidate
from rag.refusal import Decision, decide

if TYPE_CHECKING:
    from rag.assistant import Assistant, Conversation
    from rag.retrieval import Scope

MAX_ANSWER = 110  # longer sentences are cut to the phrases that carry the answer
_MARKER = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+条|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d{1,2}[.．、](?!\d))\s*")
_PHRASE = re.compile(r"[^，；：。！？]+[，；：。！？]?")


@dataclass(frozen=True)
class Context:
    """What a kind needs to answer: the analysed question, the assistant's read-only views, the scope."""

    question: Question
    assistant: "Assistant"
    scope: "Scope"
    conversation: "Conversation"
    evidence: tuple[Evidence, ...]  # retrieved once, best first


def without_marker(sentence: str) -> str:
    return _MARKER.sub("", sentence.strip())


def phrase(candidate: Candidate, types: tuple[str, ...], question: Question) -> str:
    """The sentence as the answer; a long one is cut to the phrases holding the typed span and the
    question's words (every piece is still a substring of the clause)."""
    sentence = re.sub(r"\n", "", re.sub(r"\n{2,}", " ", without_marker(candidate.sentence)))  # a table row's wrapped label
    defines_asked = any(s.kind == "definition" and isinstance(s.value, str) and len(s.value) >= 2
                        and s.value in question.text for s in candidate.spans)
    if len(sentence) <= (2 * MAX_ANSWER if defines_asked else MAX_ANSWER):  # “四带”即：… is said whole
        return sentence
    parts = _PHRASE.findall(sentence)
    spans = candidate.typed(types)

    def weight(part: str) -> float:
        typed = any(s.text in part for s in spans)
        return 2.0 * typed + sum(g in part for g in question.grams) / max(len(question.grams), 1)

    best = max(range(len(parts)), key=lambda i: weight(parts[i]))
    chosen = {best}
    for index in sorted(range(len(parts)), key=lambda i: -weight(parts[i])):
        if sum(len(parts[i]) for i in chosen | {index}) > MAX_ANSWER:
            continue
        chosen.add(index)
    return "".join(parts[i] for i in sorted(chosen)).rstrip("，；：") + ("…" if len(chosen) < len(parts) else "")


def quote_for(candidate: Candidate) -> str:
    return candidate.sentence.strip()


def citation(candidate: Candidate) -> Citation:
    return Citation(candidate.evidence.document, candidate.evidence.clause, quote_for(candidate))


def first_sentence(evidence: Evidence) -> str:
    text = evidence.clause.text.strip()
    match = re.match(r"[^。！？；\n]+[。！？；]?", text)
    return match.group(0).strip() if match else text[:60]


def nearest(evidence: list[Evidence] | tuple[Evidence, ...], count: int = 3) -> list[Citation]:
    return [Citation(e.document, e.clause, first_sentence(e)) for e in list(evidence)[:count]]


def refuse(ctx: Context, reason: str, evidence=None, confidence: float = 0.0) -> Answer:
    """A refusal says so plainly; the closest clauses are named as such, never as sources."""
    evidence = list(ctx.evidence if evidence is None else evidence)
    answer = Answer(ctx.question.text, f"{reason}。", [], evidence, refused=True, kind=ctx.question.kind,
                    confidence=confidence, nearest=nearest(evidence))
    if answer.nearest:
        answer.text += "最接近的条款：" + "；".join(f"{c.document.label}{c.clause.path}" for c in answer.nearest) + "。"
    return answer


def draft_note(citations: list[Citation]) -> str:
    words = {c.document.status_label for c in citations if c.document.is_draft}  # a draft may lack its own word
    return f"（出自{'、'.join(sorted(words))}，非正式文件）" if words else ""


def _units_answer(candidate: Candidate, question: Question, named_task: bool) -> tuple[str, str] | None:
    """A clause with a （责任单位：…） block answers from it who is responsible for its task, the lead
    where defined: when the question asks about responsibility, names the task, or the block is the
    best sentence. Who else a clause names (提交链长、副链长) is answered by the sentence saying so."""
    clause = candidate.evidence.clause
    if not clause.units:
        return None
    match = re.search(r"[（〔(]\s*(?:牵头|责任)单位[^。]*", clause.text)
    if not match:
        return None
    asks = named_task or any(word in question.text + question.cues for word in lx.RESPONSIBILITY_WORDS)
    if not asks and match.group(0).strip() not in candidate.sentence:
        return None
    quote = match.group(0)
    if clause.lead_unit:
        text = f"牵头单位：{clause.lead_unit}；责任单位：{'、'.join(clause.units)}"
    else:
        text = f"责任单位：{'、'.join(clause.units)}（文件未明确牵头单位）"
    return text, quote


_LEAD_IN = re.compile(r"(下列|如下|以下)[^。]{0,30}[：:]?$|[：:]$")
MAX_ITEMS = 12


def _listed_items(ctx: Context, best: Candidate) -> str:
    """A lead-in sentence (有下列情形之一的：) answers with the items that follow it, which ingest keeps
    as child clauses (第三十二条（一）…): their text, joined, each still quotable from its clause."""
    if not _LEAD_IN.search(best.sentence.rstrip("。；")):
        return ""
    from ingest.chunking import is_parent_path

    clause = best.evidence.clause
    children = [c for c in ctx.assistant.clauses(best.evidence.document.doc_id)
                if is_parent_path(clause.path, c.path) and c.path.count("（") + c.path.count(".") ==
                clause.path.count("（") + clause.path.count(".") + 1]
    return "；".join(without_marker(c.text.splitlines()[0]).rstrip("；;。") for c in children[:MAX_ITEMS])


def _table_notes(ctx: Context, best: Candidate) -> list[tuple[Note, Clause]]:
    """The notes (备注：【】内为5年累计数) under the table the answering row is read from, whose marks
    sit on a value of that row; each with the clause that prints it."""
    from ingest.chunking import is_parent_path

    clause = best.evidence.clause
    if not re.search(r"\d", best.sentence):
        return []
    below = [c for c in ctx.assistant.clauses(best.evidence.document.doc_id)
             if c.path == clause.path or is_parent_path(clause.path, c.path)]
    explained = []
    for note_clause in below:
        explained += [(note, note_clause) for note in marks_on(best.sentence, notes_in(note_clause.text))]
    return explained


def _named_task_with_units(question: Question, kind: Kind, ranked: list[Candidate]) -> Candidate | None:
    if kind.name != "who":
        return None
    for candidate in ranked:
        clause = candidate.evidence.clause
        heading = bigrams(clause.heading)
        if candidate.rank == 0 and clause.units and heading and len(heading & question.grams) >= 0.6 * len(heading):
            return candidate
    return None


def answer_from(ctx: Context, kind: Kind, evidence: list[Evidence], ranked: list[Candidate],
                name_document: bool = False) -> tuple[Answer, Decision]:
    """The best candidate, gated; phrased for the kind, cited by its whole sentence."""
    question = ctx.question
    decision = decide(question, kind, ranked)
    named_task = _named_task_with_units(question, kind, ranked)
    if named_task is not None:  # the question names a task by its heading and asks who: its units answer
        decision = Decision(False, max(decision.confidence, 0.6), "", named_task)
    if decision.refuse:
        return refuse(ctx, decision.reason, evidence, decision.confidence), decision
    best = decision.candidate
    text, quote = phrase(best, kind.answer_types, question), quote_for(best)
    if items := _listed_items(ctx, best):
        text = f"{text.rstrip('：:')}：{items}"
    if kind.name == "who" and (units := _units_answer(best, question, named_task is best)):
        text, quote = units
    cited = [Citation(best.evidence.document, best.evidence.clause, quote)]
    if explained := _table_notes(ctx, best):  # 【1500】 is a five-year total: the note under the table says so
        text = f"{text}（{'；'.join(note.quote for note, _ in explained)}）"
        cited += [Citation(best.evidence.document, clause, note.quote) for note, clause in explained]
    if name_document:
        text = f"{best.evidence.document.label}{best.evidence.clause.path}：{text}"
    answer = Answer(question.text, text, cited, list(evidence), kind=kind.name, confidence=decision.confidence)
    return answer, decision


def joined(question: str, answers: list[tuple[str, Answer]]) -> Answer:
    """One answer from the answers to each part of a question: every part answered says its answer,
    a part that could not be answered says so; refused only when no part was answered."""
    answered = [a for _, a in answers if not a.refused]
    if not answered:
        return answers[0][1]
    texts, citations, evidence = [], [], []
    for part, answer in answers:
        text = answer.text if not answer.refused else f"关于“{part.rstrip('？?')}”，已收录文件中未找到能直接回答的条款"
        text = re.sub(r"[。；，]+$", "", text)
        if text not in texts:
            texts.append(text)
        citations += [c for c in answer.citations if all((c.document.doc_id, c.clause.path, c.quote) !=
                                                         (o.document.doc_id, o.clause.path, o.quote) for o in citations)]
        evidence += [e for e in answer.evidence if e not in evidence]
    return Answer(question, "；".join(texts), citations, evidence, kind=answered[0].kind,
                  confidence=min(a.confidence for a in answered))


def finish(answer: Answer) -> Answer:
    if answer.refused:
        return answer
    text = re.sub(r"[，；：、]+$", "", answer.text.strip())
    if not text.endswith(("。", "！", "？", "…", "）", "”")):
        text += "。"
    return replace(answer, text=text + draft_note(answer.citations))
