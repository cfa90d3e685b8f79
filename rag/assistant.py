"""The assistant: question → intent → scoped hybrid retrieval → extractive answer with citations.

Models load once in the constructor. `ask` keeps no state of its own: a follow-up question is
resolved against the `Conversation` the caller passes in and gets back (one per chat session).
Each request reads one catalog generation in one read transaction, on a private copy of the
assistant pinned to it; a new generation (another process ingested) is picked up per request.
"""

from __future__ import annotations

import copy
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace

from ingest.catalog_search import StoredTermWeights
from ingest.chunking import is_parent_path
from ingest.index import PolicyIndex, Snapshot
from ingest.metadata import place_prefix
from ingest.settings import Settings
from rag import compose
from rag.intent import Intent, analyze
from rag.lookup import lookup
from rag.models import Answer, Citation, Evidence
from rag.refusal import RefusalGate
from rag.retrieval import HybridRetriever, Scope


_LEVEL_WORDS = {"province": r"省里|省级|全省|省政府|省委|省上", "city": r"市里|市级|全市|我市|市政府|市委|市上",
                "county": r"县里|县级|全县|区县"}


def mentioned_levels(question: str, documents=()) -> set[str]:
    """省里 / a province the documents name (四川) → province; 市里 / a city they name (达州) → city.
    A place joined to another by a dash (南充—达州组团) names a region, not that city's government."""
    levels = {level for level, words in _LEVEL_WORDS.items() if re.search(words, question)}
    for document in documents:
        for name in (document.issuer, document.title):
            found = place_prefix(name)
            if found and re.search(rf"(?<![—\-－、]){found[0]}(?!组团|—|-)", question):
                levels.add(found[2])
    return levels


def prefer_levels(evidence: list[Evidence], levels: set[str]) -> list[Evidence]:
    """A question about the city prefers the city's documents (a boost, not a filter)."""
    if len(levels) != 1:
        return evidence
    boosted = [replace(e, score=e.score * (1.15 if e.document.level in levels else 1.0)) for e in evidence]
    return sorted(boosted, key=lambda e: -e.score)


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
    weights: StoredTermWeights
    gate: RefusalGate


class Assistant:
    def __init__(self, settings: Settings, index: PolicyIndex | None = None, embedder=None, llm=None):
        from ingest.embedding import Embedder

        self.settings = settings
        self.embedder = embedder or Embedder(settings)
        self.index = index or PolicyIndex(settings)
        self.index.check_model(self.embedder.name, self.embedder.dimension)
        self.llm = llm
        self._latest: _Generation | None = None
        self._pinned: _Generation | None = None  # set only on a request's own copy
        self.reload()

    def _generation(self) -> _Generation:
        """This request's generation, or the catalog's current one (one SELECT when unchanged):
        documents another process added show up without a restart."""
        if self._pinned is not None:
            return self._pinned
        snapshot = self.index.snapshot()
        latest = self._latest
        if latest is not None and latest.snapshot.generation == snapshot.generation:
            return latest
        retriever = HybridRetriever(self.index, self.embedder, adaptive=not self.settings.always_dense, snapshot=snapshot)
        weights = StoredTermWeights(self.index.catalog, snapshot.chunk_count)
        built = _Generation(snapshot, retriever, weights, RefusalGate(self.index.keywords(), weights))
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
    weights = property(lambda self: self._generation().weights, doc="StoredTermWeights of this generation")
    gate = property(lambda self: self._generation().gate, doc="RefusalGate of this generation")

    # ---- helpers over the catalog ------------------------------------------------------------
    def documents(self):
        return self.retriever.documents()

    def clauses(self, doc_id: str):
        return self.retriever.clauses(doc_id)

    def _evidence_for(self, doc_id: str, path: str, score: float = 1.0) -> Evidence | None:
        clause = self.retriever.clause(doc_id, path)
        document = self.retriever.snapshot.document(doc_id)
        return Evidence(document, clause, score, clause.text) if clause and document else None

    # ---- the question ------------------------------------------------------------------------
    def ask(self, question: str, conversation: Conversation | None = None,
            scope: Scope | None = None) -> tuple[Answer, Conversation]:
        with self._request() as bound:
            return bound._ask(question, conversation, scope)

    def _ask(self, question: str, conversation: Conversation | None, scope: Scope | None) -> tuple[Answer, Conversation]:
        question = (question or "").strip()
        if not question:
            return Answer(question, "请输入问题，例如：百日攻坚第三季什么时候结束？", refused=True, kind="empty"), \
                conversation or Conversation()
        intent = analyze(question, self.documents())
        conversation = conversation or Conversation()
        if intent.follow_up and conversation.doc_ids:
            intent = replace(intent, documents=tuple(d for d in self.documents() if d.doc_id in conversation.doc_ids),
                             kind=intent.kind if intent.kind != "other" else conversation.kind)
        answer = self._answer(intent, scope or Scope(), conversation)
        if self.llm is not None and not answer.refused and answer.kind not in ("lookup", "docfact"):
            answer = self.llm.rephrase(answer)
        return answer, self._remember(answer, intent, conversation)

    def ask_stream(self, question: str, conversation: Conversation | None = None, scope: Scope | None = None):
        """Yields ("delta", partial text) while an LLM phrases the answer, then ("final", (answer, conversation))."""
        llm = self.llm
        with self._request() as bound:
            bound.llm = None  # the extractive answer first (on this request's copy); the LLM streams its phrasing below
            answer, state = bound._ask(question, conversation, scope)
        if llm is None or answer.refused or answer.kind in ("lookup", "docfact", "empty"):
            yield "final", (answer, state)
            return
        for kind, payload in llm.stream(answer):
            if kind == "delta":
                yield kind, payload
            else:
                yield "final", (payload, state)

    def _remember(self, answer: Answer, intent: Intent, previous: Conversation) -> Conversation:
        if answer.refused or not answer.citations:
            return previous
        first = answer.citations[0]
        return Conversation(frozenset({first.document.doc_id}), (first.document.doc_id, first.clause.path),
                            answer.kind, intent.question)

    def _answer(self, intent: Intent, scope: Scope, conversation: Conversation) -> Answer:
        if intent.unknown_doc_number:
            return self._refuse(intent, [], f"已收录文件中没有文号为{intent.unknown_doc_number}的文件")
        if intent.kind == "lookup":
            return self._lookup(intent)
        scope = replace(scope, doc_ids=intent.doc_ids or scope.doc_ids)

        forced: list[Evidence] = []
        if intent.ordinals:
            forced, missing = self._resolve_ordinals(intent, scope)
            if missing:
                return self._refuse(intent, self.retriever.search(intent.question, scope, 3),
                                    f"已收录文件中未找到“{missing}”")
        if intent.follow_up and conversation.clause and not forced:
            previous = self._evidence_for(*conversation.clause, score=10.0)
            forced = [previous] if previous else []

        if intent.kind == "docfact":
            return self._docfact(intent, scope, forced)
        taken = {(f.document.doc_id, f.clause.path) for f in forced}
        retrieved = [e for e in self.retriever.search(intent.question, scope, self.settings.top_k)
                     if (e.document.doc_id, e.clause.path) not in taken]
        levels = mentioned_levels(intent.question, self.documents())
        evidence = forced + prefer_levels(self._heading_named_first(intent, retrieved), levels)
        if not evidence:
            return self._refuse(intent, [], "已收录文件中未找到相关条款")
        if len(levels) == 2 and not forced:
            return self._per_level(intent, evidence)
        extract = self._extract(intent, evidence)
        if extract is None:
            return self._refuse(intent, evidence, "已收录文件中未找到相关内容")
        reason = None if forced else self._check(intent, extract, evidence)
        if reason:
            return self._refuse(intent, evidence, reason)
        extracts = [extract] + ([] if forced or intent.documents else self._other_documents(intent, evidence, extract))
        return self._assemble(intent, extracts, evidence)

    def _heading_named_first(self, intent: Intent, evidence: list[Evidence]) -> list[Evidence]:
        """A question that quotes a clause heading (强化要素保障) is about that clause: it goes first."""
        plain = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", intent.question)
        named = [e for e in evidence if e.clause.kind == "clause"  # a box heading names a topic, not a task
                 and len(re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", e.clause.heading)) >= 4
                 and re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", e.clause.heading) in plain]
        if not named:
            return evidence
        first = named[0]
        return [replace(first, score=evidence[0].score * 1.01)] + [e for e in evidence if e is not first]

    def _per_level(self, intent: Intent, evidence: list[Evidence]) -> Answer:
        """The question names the province and the city: answer from each, each cited."""
        extracts = []
        for level in ("province", "city"):
            at_level = [e for e in evidence if e.document.level == level]
            extract = self._extract(intent, at_level) if at_level else None
            if extract and not self._check(intent, extract, at_level):
                extracts.append(extract)
        if not extracts:
            return self._refuse(intent, evidence, "已收录文件中未找到省、市两级的相关规定")
        return self._assemble(intent, extracts, evidence)

    def _check(self, intent: Intent, extract: compose.Extract, evidence: list[Evidence]) -> str | None:
        """The refusal gate, reading the clause with the headings of the clauses it sits in."""
        clause = extract.evidence.clause
        parents = [c.heading for c in self.clauses(extract.evidence.document.doc_id)
                   if is_parent_path(c.path, clause.path) or (clause.kind == "note" and c.path == clause.path.rsplit(" ", 1)[0])]
        return self.gate.reason(intent, extract, evidence, context="".join(parents))

    # ---- kinds -------------------------------------------------------------------------------
    def _extract(self, intent: Intent, evidence: list[Evidence]) -> compose.Extract | None:
        if intent.kind == "who":
            units = compose.answer_units(intent, evidence, mentioned_levels(intent.question, self.documents()))
            if units and (units.evidence is evidence[0] or "落实" in intent.question):
                return units  # the best clause lists its responsible units: that is the answer
            phrase = compose.best_phrase(intent, evidence, self.weights)
            names_units = phrase and compose.names_other_unit(phrase.direct, intent.question) and "责任单位" not in phrase.direct
            return phrase if names_units or units is None else units
        if intent.kind == "how_much":
            for item in evidence[:4]:
                if item.clause.kind == "box":
                    notes = compose.box_notes(self.clauses(item.document.doc_id), item.clause)
                    table = compose.answer_table(intent, [item], notes, self.weights)
                    if table:
                        return table
        extract = compose.best_phrase(intent, evidence, self.weights)
        if extract and intent.kind == "when":
            clause = extract.evidence.clause
            children = [c for c in self.clauses(extract.evidence.document.doc_id) if is_parent_path(clause.path, c.path)]
            if stages := compose.stage_summary(children):
                extract = replace(extract, direct=f"{extract.direct}；{stages}")
        return extract

    def _other_documents(self, intent: Intent, evidence: list[Evidence], first: compose.Extract) -> list[compose.Extract]:
        """When another document answers too (a province and a city), show it as well."""
        others = [e for e in evidence if e.document.doc_id != first.evidence.document.doc_id
                  and e.score >= 0.8 * evidence[0].score]
        if not others:
            return []
        second = self._extract(intent, others)
        if second is None or self._check(intent, second, others):
            return []
        terms = compose.question_terms(intent.question)
        mine = compose.overlap(terms, first.evidence.clause.text, self.weights)
        if compose.overlap(terms, second.evidence.clause.text, self.weights) >= max(0.3, 0.85 * mine):
            return [second]
        return []

    def _docfact(self, intent: Intent, scope: Scope, forced: list[Evidence]) -> Answer:
        question = intent.question
        asks_which = re.search(r"哪个文件|哪份文件|哪些文件|什么文件(提|规定|要求)", question)
        metadata_words = re.search(r"文号|印发|发文|成文|主送|发给|正式|征求意见稿|草案|是什么文件", question)
        if asks_which and not metadata_words:
            return self._which_documents(intent, scope)
        if re.search(r"依据|根据|按照", question) and not metadata_words:
            return self._basis(intent, scope)
        if intent.documents:
            document = intent.documents[0]
        else:
            hits = self.retriever.search(question, scope, 3)
            if not hits:
                return self._refuse(intent, [], "已收录文件中未找到相关文件")
            document = hits[0].document
        citation = compose.fact_quote(document, self.clauses(document.doc_id), question)
        text = compose.metadata_fact(question, document)
        return Answer(question, text, [citation] if citation else [], [], kind="docfact")

    def _which_documents(self, intent: Intent, scope: Scope) -> Answer:
        evidence = self.retriever.search(intent.question, scope, self.settings.top_k)
        if not evidence:
            return self._refuse(intent, [], "已收录文件中未找到相关条款")
        extracts, seen = [], set()
        for item in evidence:
            if item.document.doc_id in seen or item.score < 0.6 * evidence[0].score:
                continue
            extract = compose.best_phrase(replace(intent, kind="which"), [item], self.weights, limit=1)
            if extract and (not extracts or compose.overlap(compose.question_terms(intent.question),
                                                            item.clause.text, self.weights) >= 0.5):
                extracts.append(extract)
                seen.add(item.document.doc_id)
        reason = self._check(intent, extracts[0], evidence) if extracts else "已收录文件中未找到相关条款"
        if reason:
            return self._refuse(intent, evidence, reason)
        return self._assemble(replace(intent, kind="docfact"), extracts[:4], evidence, name_documents=True)

    def _basis(self, intent: Intent, scope: Scope) -> Answer:
        evidence = self.retriever.search(intent.question, scope, self.settings.top_k)
        preambles = [e for e in evidence if e.clause.kind == "preamble"] or evidence
        best = None
        for item in preambles[:3]:
            for phrase in compose.phrases(item.clause.text):
                if re.search(r"〔\d{4}〕\d+号", phrase) and (best is None or len(phrase) > len(best.direct)):
                    best = compose.Extract(item, compose.strip_phrase(phrase), compose.strip_phrase(phrase), 1.0)
            if best:
                break
        if best is None:
            return self._refuse(intent, evidence, "已收录文件中未找到制定依据")
        return self._assemble(replace(intent, kind="docfact"), [best], evidence, name_documents=True)

    def _lookup(self, intent: Intent) -> Answer:
        result = lookup(self.retriever, intent.question, named=list(intent.documents))
        if not result.exact or not result.hits:
            answer = Answer(intent.question, result.message or "已收录文件中未找到该条款。", refused=True, kind="lookup")
            answer.citations = [Citation(h.document, h.clause, compose.sentences(h.clause.text)[0].strip())
                                for h in result.hits[:3]]
            return answer
        hit = result.hits[0]
        first = compose.sentences(hit.clause.text)[0].strip()
        summary = f"{hit.document.label}{hit.clause.path}" + (f"“{hit.clause.heading}”" if hit.clause.heading else "")
        body = hit.clause.text
        text = f"{summary}：\n{body[:400]}{'…' if len(body) > 400 else ''}"
        if hit.children:
            text += "\n下设：" + "；".join(f"{c.path}{c.heading}" for c in hit.children)
        evidence = [Evidence(hit.document, hit.clause, 1.0, hit.clause.text)]
        return Answer(intent.question, text, [Citation(hit.document, hit.clause, first)], evidence, kind="lookup")

    def _resolve_ordinals(self, intent: Intent, scope: Scope) -> tuple[list[Evidence], str | None]:
        """第二阶段 → the second clause headed …阶段; an ordinal the documents never use is a false premise."""
        from ingest.clauses import chinese_number

        forced: list[Evidence] = []
        documents = [d for d in self.documents() if not scope.doc_ids or d.doc_id in scope.doc_ids]
        for ordinal in intent.ordinals:
            in_text = any(ordinal in d.title or any(ordinal in c.text for c in self.clauses(d.doc_id)) for d in documents)
            match = re.match(r"第(.+?)(阶段|季|期|批|届|轮|次)$", ordinal)
            counter, number = match.group(2), chinese_number(match.group(1)) if match else None
            headed = [(d, c) for d in documents for c in self.clauses(d.doc_id) if counter in c.heading]
            if number and len(headed) >= number and counter == "阶段":
                document, clause = headed[number - 1]
                forced.append(Evidence(document, clause, 10.0, clause.text))
            elif not in_text:
                return [], ordinal
        return forced, None

    # ---- output ------------------------------------------------------------------------------
    def _assemble(self, intent: Intent, extracts: list[compose.Extract], evidence: list[Evidence],
                  name_documents: bool = False) -> Answer:
        parts, citations = [], []
        several = len({e.evidence.document.doc_id for e in extracts}) > 1
        for extract in extracts:
            citation = extract.citation
            if citation not in citations:
                citations.append(citation)
            if several or name_documents:
                parts.append(f"{extract.evidence.document.label}{extract.evidence.clause.path}：{extract.direct}")
            else:
                parts.append(extract.direct)
        text = "；\n".join(parts) + "。"
        text = re.sub(r"[。；，]+。$", "。", text)
        if any(c.document.is_draft for c in citations) and not name_documents and not several:
            text += "（出自征求意见稿，非正式文件）"
        return Answer(intent.question, text, citations, evidence, kind=intent.kind)

    def _refuse(self, intent: Intent, evidence: list[Evidence], reason: str) -> Answer:
        nearest = evidence[:2]
        text = f"{reason}，无法据此回答。"
        citations = []
        if nearest:
            text += "最接近的条款：" + "；".join(f"{e.document.label}{e.clause.path}" for e in nearest) + "。"
            for item in nearest:
                citations.append(Citation(item.document, item.clause, compose.sentences(item.clause.text)[0].strip()))
        return Answer(intent.question, text, citations, evidence, refused=True, kind=intent.kind)
