"""The assistant: analyse the question once → retrieve once → pick the kind → rank candidate
sentences → gate → assemble a cited answer.

Models load once in the constructor. `ask` keeps no state of its own: a follow-up question is
resolved against the `Conversation` the caller passes in and gets back (one per chat session).
Each request reads one catalog generation in one read transaction, on a private copy of the
assistant pinned to it; a new generation (another process ingested) is picked up per request.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from itertools import zip_longest
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.catalog_search import StoredTermWeights
from ingest.index import PolicyIndex, Snapshot
from ingest.pipeline import resolve_source
from ingest.settings import Settings
from rag import answering
from rag import lexicon as lx
from rag.places import place_of
from rag.refusal import SURE_SCORE
from rag.answering import Context, refuse
from rag.kinds import Kind, classify, kinds
from rag.models import Answer, Evidence
from rag.question import Question, analyse, question_parts
from rag.rank import Candidate, TermStats, candidates
from rag.retrieval import HybridRetriever, Scope

RETRIEVED = 8  # clauses retrieved once per question
# Kinds that read a question with two question marks as one question: a comparison asks about two
# documents at once, a lookup names one clause, "which documents" lists documents.
_WHOLE_KINDS = ("compare", "lookup", "documents")


@dataclass(frozen=True)
class Conversation:
    """What a follow-up may refer to: the previous answer's documents, clause and question kind."""

    doc_ids: frozenset[str] = frozenset()
    clause: tuple[str, str] | None = None  # (doc_id, clause path)
    kind: str = "other"
    question: str = ""


@dataclass(frozen=True)
class _Generation:
    """What answering needs from one catalog generation, built together and never changed."""

    snapshot: Snapshot
    retriever: HybridRetriever
    stats: TermStats


_CONFIGURED = object()  # `llm=` not given: use the phraser the assistant was built with
_NOT_PHRASED = ("lookup", "docfact", "empty")  # answers quoted or read from metadata: the LLM adds nothing


class Assistant:
    def __init__(self, settings: Settings, index: PolicyIndex | None = None, embedder=None, llm=None):
        from ingest.embedding import Embedder

        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.index = index or PolicyIndex(settings)
        self.index.check_model(self.embedder.name, self.embedder.dimension)
        self._llm = llm
        self._latest: _Generation | None = None
        self._pinned: _Generation | None = None  # set only on a request's own copy
        self.reload()

    @property
    def llm(self):
        """The LLM phraser given at construction (None: extractive only). Read-only: a request that
        wants another one passes `llm=` to `ask` / `ask_stream`; no request changes the assistant."""
        return self._llm

    def _generation(self) -> _Generation:
        """This request's generation, or the catalog's current one (one SELECT when unchanged):
        documents another process added show up without a restart."""
        if self._pinned is not None:
            return self._pinned
        snapshot = self.index.snapshot()
        latest = self._latest
        if latest is not None and latest.snapshot.generation == snapshot.generation:
            return latest
        retriever = HybridRetriever(self.index, self.embedder, adaptive=not self.settings.always_dense,
                                    snapshot=snapshot)
        # Term weights are read from the catalog's stored counts, never recomputed from every chunk.
        stats = TermStats(StoredTermWeights(self.index.catalog, snapshot.chunk_count))
        built = _Generation(snapshot, retriever, stats)
        self._latest = built  # one assignment: a request holds its own reference
        return built

    def reload(self) -> None:
        """Pick up the catalog's current generation now (requests also do it on their own)."""
        self._generation()

    @contextmanager
    def _request(self):
        """One read transaction and a private copy pinned to its generation: nothing a request
        changes is seen by another, and every read in it sees the same catalog."""
        with self.index.reading():
            bound = copy.copy(self)
            bound._pinned = self._generation()
            yield bound

    retriever = property(lambda self: self._generation().retriever, doc="HybridRetriever of this generation")
    stats = property(lambda self: self._generation().stats, doc="TermStats of this generation")

    # ---- helpers over the catalog ------------------------------------------------------------
    def documents(self):
        return self.retriever.documents()

    def clauses(self, doc_id: str):
        return self.retriever.clauses(doc_id)

    def original_file(self, doc_id: str) -> Path | None:
        """The stored file a document was read from (an upload or a file under an ingested folder)."""
        stored = self.retriever.snapshot.stored.get(doc_id)
        if stored is None:
            return None
        path = resolve_source(self.settings, stored.root, stored.document.source)
        return path if path.is_file() else None

    def _evidence_for(self, doc_id: str, path: str, score: float = 1.0) -> Evidence | None:
        clause = self.retriever.clause(doc_id, path)
        document = self.retriever.snapshot.document(doc_id)
        return Evidence(document, clause, score, clause.text) if clause and document else None

    # ---- the question ------------------------------------------------------------------------
    def ask(self, question: str, conversation: Conversation | None = None,
            scope: Scope | None = None, llm=_CONFIGURED) -> tuple[Answer, Conversation]:
        """The answer and the conversation a follow-up refers to. `llm=None` asks for the extractive
        answer only; by default the phraser given at construction (if any) phrases it."""
        llm = self._llm if llm is _CONFIGURED else llm
        with self._request() as bound:
            answer, state = bound._ask_extractive(question, conversation, scope)
        if llm is not None and self._phrased(answer):
            answer = llm.rephrase(answer)
        return answer, state

    def ask_stream(self, question: str, conversation: Conversation | None = None, scope: Scope | None = None,
                   llm=_CONFIGURED):
        """Yields ("delta", checked text so far) while an LLM phrases the answer, sentence by sentence,
        then ("final", (answer, conversation)). Without an LLM only the final event comes."""
        llm = self._llm if llm is _CONFIGURED else llm
        with self._request() as bound:
            answer, state = bound._ask_extractive(question, conversation, scope)
        if llm is None or not self._phrased(answer):
            yield "final", (answer, state)
            return
        for kind, payload in llm.stream(answer):
            if kind == "delta":
                yield kind, payload
            else:
                yield "final", (payload, state)

    @staticmethod
    def _phrased(answer: Answer) -> bool:
        return not answer.refused and answer.kind not in _NOT_PHRASED

    def _ask_extractive(self, question: str, conversation: Conversation | None,
                        scope: Scope | None) -> tuple[Answer, Conversation]:
        question = (question or "").strip()
        conversation = conversation or Conversation()
        if not question:
            return Answer(question, "请输入问题，例如：百日攻坚第三季什么时候结束？", refused=True, kind="empty"), \
                conversation
        analysed = analyse(question, self.documents(), classify)
        if analysed.anaphoric and conversation.question and not _asks_its_own(analysed):
            # "And the wrap-up stage?", 那集中攻坚呢？ ask nothing of their own: the previous question is asked
            # again, of something else.
            previous = analyse(conversation.question, self.documents(), classify)
            analysed = replace(analysed, kind_scores=previous.kind_scores, cues=previous.cues)
        answer = answering.finish(self._answer(analysed, scope or Scope(), conversation))
        return answer, self._remember(answer, analysed, conversation)

    def _remember(self, answer: Answer, question: Question, previous: Conversation) -> Conversation:
        if answer.refused or not answer.citations:
            if question.documents and answer.kind != "clarify":
                # nothing answered, but the document asked about is known: a follow-up (那园区建设那项呢？) asks it too
                return Conversation(question.doc_ids, None, answer.kind, question.text)
            return previous
        first = answer.citations[0]
        return Conversation(frozenset({first.document.doc_id}), (first.document.doc_id, first.clause.path),
                            answer.kind, question.text)

    # ---- the steps -----------------------------------------------------------------------------
    def _answer(self, question: Question, scope: Scope, conversation: Conversation) -> Answer:
        parts = question_parts(question.text)
        best_kind = max(question.kind_scores, key=question.kind_scores.get) if question.kind_scores else ""
        if len(parts) > 1 and best_kind not in _WHOLE_KINDS:
            return self._answer_parts(question, parts, scope, conversation)
        return self._answer_one(question, scope, conversation)

    def _answer_parts(self, question: Question, parts: list[str], scope: Scope, conversation: Conversation) -> Answer:
        """"多少天内发证？偏远地区能拖多久？": each part is answered for itself — its own kind and wording —
        from the evidence the whole question retrieves, and the answers are joined."""
        answers = []
        for part in parts:
            own = analyse(part, self.documents(), classify)
            # a part that names a document of its own (十四五规划里…？融圈强链方案…？) asks about that one
            sub = replace(question, kind_scores=own.kind_scores, years=own.years, ordinals=own.ordinals,
                          grams=own.grams or question.grams, anaphoric=False,
                          documents=own.documents or question.documents,
                          names_apart=own.names_apart if own.documents else question.names_apart)
            answers.append((part, self._answer_one(sub, scope, conversation)))
        return answering.joined(question.text, answers)

    def _answer_one(self, question: Question, scope: Scope, conversation: Conversation) -> Answer:
        follow_up = question.anaphoric and not question.documents
        if follow_up and not conversation.doc_ids:
            return self._which_one(question, scope)
        if question.unknown_doc_numbers and not (question.kind in ("docfact", "documents") and self._cited_in_texts(question, scope)):
            ctx = Context(question, self, scope, conversation, ())
            return refuse(ctx, f"已收录文件中没有文号为{'、'.join(question.unknown_doc_numbers)}的文件")
        if question.documents:
            named = question.doc_ids if scope.doc_ids is None else question.doc_ids & scope.doc_ids
            if not named:  # the user narrowed the search; a named document outside it is not searched
                ctx = Context(question, self, scope, conversation, ())
                return refuse(ctx, "问题提到的文件不在当前选定的范围内，请在范围中加入该文件或清除范围")
            scope = replace(scope, doc_ids=named)
        elif follow_up:
            scope = replace(scope, doc_ids=conversation.doc_ids)
        elif question.place_doc_ids:  # Dazhou's plan: searched among the documents issued for Dazhou
            scope = _within(scope, question.place_doc_ids)
        evidence = self.search(question.text, scope)
        if _elliptical(question) and not follow_up and conversation.doc_ids:
            # 到期以后还想接着骑怎么办？ says of what only through the chat: the chat's document (its last
            # clause first) is read beside the library, one clause of each in turn; the ranker still
            # prefers the library's clause when the question is about something else
            local = self.search(question.text, _within(scope, conversation.doc_ids))
            if conversation.clause and (previous := self._evidence_for(*conversation.clause)):
                local = [replace(previous, dense=max((e.dense for e in local), default=0.0))] + local
            evidence = _interleaved(local, evidence)
        if not question.documents and len(question.levels) == 1:
            # 省级层面…谁牵头: a question that names one level of government asks that level's documents
            # first; a city plan that mentions 省级层面 in passing comes after them
            level = next(iter(question.levels))
            evidence = [e for e in evidence if e.document.level == level] + [e for e in evidence if e.document.level != level]
        if not question.documents:
            evidence = other_places_last(evidence, question.text, self.documents())
        if follow_up and conversation.clause and (previous := self._evidence_for(*conversation.clause)):
            # The anchor is as close as the closest clause retrieved (an English follow-up has no other
            # similarity to it: "Which department leads that one?" names nothing of it).
            previous = replace(previous, dense=max((e.dense for e in evidence), default=0.0))
            evidence = [previous] + [e for e in evidence if (e.document.doc_id, e.clause.path) != conversation.clause]
        ctx = Context(question, self, scope, conversation, tuple(evidence))
        ordered = sorted(kinds().values(), key=lambda k: -question.kind_scores.get(k.name, 0.0))
        special = [k for k in ordered[:3] if k.answer is not None and question.kind_scores.get(k.name, 0) >= 0.25]
        if (question.names_apart or (len(question.levels) >= 2 and not question.documents)) \
                and kinds()["compare"] not in special:
            # two documents (or two levels: 省里和达州各…) named: each answers for itself, however it is asked
            special.append(kinds()["compare"])
        for kind in special:  # a special kind answers only when its own conditions hold
            if (answer := kind.answer(ctx)) is not None:
                return answer
        if not evidence:
            return refuse(ctx, "已收录文件中未找到相关条款")
        kind = self.inner_kind(question)
        answer, _ = answering.answer_from(ctx, kind, evidence, self.rank(question, kind, evidence))
        return answer

    def _cited_in_texts(self, question: Question, scope: Scope) -> bool:
        """A 文号 no document has may still be one the documents implement (为贯彻落实《…》（X〔2021〕215号）):
        a question about documents (which ones implement it?) is then answered by those that cite it."""
        return any(number in evidence.clause.text.replace(" ", "")
                   for evidence in self.search(question.text, scope) for number in question.unknown_doc_numbers)

    def _which_one(self, question: Question, scope: Scope) -> Answer:
        """"这项任务的牵头部门是谁？" in a new chat: ask which one is meant, listing the candidates."""
        evidence = self.search(question.text, scope)[:4]
        ctx = Context(question, self, scope, Conversation(), tuple(evidence))
        answer = refuse(ctx, "请先说明您指的是哪一项（哪份文件、哪一条）")
        answer.kind = "clarify"
        if evidence:
            answer.text = "请先说明您指的是哪一项。可能是：" + "；".join(
                f"{e.document.label}{e.clause.path}{e.clause.heading}" for e in evidence) + "。"
        return answer

    def generic_path(self, text: str, scope: Scope | None = None) -> tuple[Question, Kind, list[Evidence]]:
        """The analysed question, its span kind and its evidence, as the generic path sees them
        (eval.fit fits the ranker and the gate on exactly this)."""
        question = analyse(text, self.documents(), classify)
        scope = scope or Scope()
        if question.documents:
            scope = replace(scope, doc_ids=question.doc_ids)
        elif question.place_doc_ids:
            scope = _within(scope, question.place_doc_ids)
        return question, self.inner_kind(question), self.search(question.text, scope)

    def inner_kind(self, question: Question, exclude: tuple[str, ...] = ()) -> Kind:
        """The best kind that answers from candidate sentences (not a special kind)."""
        spans = [k for k in kinds().values() if k.answer is None and k.name not in exclude]
        return max(spans, key=lambda k: question.kind_scores.get(k.name, 0.0))

    def search(self, text: str, scope: Scope, document=None, level: str | None = None) -> list[Evidence]:
        if document is not None:
            scope = replace(scope, doc_ids=frozenset({document.doc_id}))
        if level is not None:
            scope = replace(scope, level=level, doc_ids=None)
        return self.retriever.search(text, scope, RETRIEVED)

    def rank(self, question: Question, kind: Kind, evidence: list[Evidence]) -> list[Candidate]:
        return candidates(question, evidence, kind.answer_types, self.stats,
                          {(e.document.doc_id, e.clause.path): self._parents(e.document.doc_id, e.clause.path)
                           for e in evidence},
                          # a follow-up (Who leads that task?) says too little for its own similarity: its
                          # anchor, the previous clause, leads by retrieval rank as for a Chinese one
                          embedder=self.embedder if question.english and not question.anaphoric else None)

    def _parents(self, doc_id: str, path: str) -> str:
        from ingest.chunking import is_parent_path

        return "".join(c.heading for c in self.clauses(doc_id) if is_parent_path(c.path, path))


ELLIPTICAL = 20  # characters: a question this short that names nothing may lean on the chat (到期以后还想骑怎么办？)


def _elliptical(question: Question) -> bool:
    return len(question.text) <= ELLIPTICAL and not (question.documents or question.levels or question.place_doc_ids
                                                     or question.english)


def _interleaved(first: list[Evidence], second: list[Evidence]) -> list[Evidence]:
    seen, merged = set(), []
    for pair in zip_longest(first, second):
        for item in pair:
            if item is not None and (key := (item.document.doc_id, item.clause.path)) not in seen:
                seen.add(key)
                merged.append(item)
    return merged


def _asks_its_own(question: Question) -> bool:
    """Whether a follow-up holds question words of its own (那它的牵头部门是谁？) or only a new subject (那集中攻坚呢？)."""
    if question.english:
        return bool(question.cues)
    return any(word in question.text for word in lx.VALUE_ASKING + lx.OWN_QUESTION_WORDS) \
        or max(question.kind_scores.values(), default=0.0) >= SURE_SCORE  # 那它的牵头部门呢？ asks who, surely


def other_places_last(evidence: list[Evidence], text: str, documents) -> list[Evidence]:
    """北京电动车…: a document of another place at the same level (南宁's 条例) speaks for that place, not
    the one asked about: it comes last (the province over a named city still speaks for the city)."""
    places = {place for document in documents if (place := place_of(document)) and place in text}
    levels = {d.level for d in documents if place_of(d) in places}
    other = [e for e in evidence if place_of(e.document) not in places | {None} and e.document.level in levels]
    return [e for e in evidence if e not in other] + other


def _within(scope: Scope, doc_ids: frozenset[str]) -> Scope:
    """The scope narrowed to these documents; the user's own narrower choice, if any, still holds."""
    narrowed = doc_ids if scope.doc_ids is None else doc_ids & scope.doc_ids
    return replace(scope, doc_ids=narrowed) if narrowed else scope
