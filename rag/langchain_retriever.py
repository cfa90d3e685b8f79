"""The hybrid retriever as a langchain-core `BaseRetriever`, returning clause Documents.

LangChain's conventions, as `VectorStoreRetriever` has them: `from_settings()` opens the index the
`POLICYQA_*` environment names; `k` and `filter` may be set on the instance (fields or
`search_kwargs`) and per call (`invoke(query, k=3, filter={"status": "final"})`, which wins); every
Document carries `id` = the clause id (`<doc_id>#<clause path>`) and flat metadata.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from langchain_core.callbacks import (AsyncCallbackManagerForRetrieverRun,
                                      CallbackManagerForRetrieverRun)
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables.config import run_in_executor
from pydantic import ConfigDict, Field, model_validator

from ingest.errors import InvalidFilter
from ingest.settings import Settings
from rag.models import Evidence
from rag.retrieval import HybridRetriever, Scope

# filter key → what it may hold. Keys with several values accept a string or a list of strings.
MANY_VALUED = ("doc_id", "doc_number", "clause_path")
ONE_OF = {"level": ("province", "city", "county"), "status": ("final", "draft")}
FILTER_KEYS = MANY_VALUED + tuple(ONE_OF)
SEARCH_KWARGS = ("k", "filter")
_IGNORED_CALL_KWARGS = ("verbose",)  # BaseRetriever.invoke leaves it among the kwargs it passes on


def clause_id(doc_id: str, clause_path: str) -> str:
    """The id of a clause: stable across re-ingest of the same file and readable in a trace."""
    return f"{doc_id}#{clause_path}"


def _check_k(k: Any, where: str) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidFilter(f"{where} must be a whole number of clauses, at least 1, got {k!r}")
    return k


def _strings(key: str, value: Any) -> frozenset[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple, set, frozenset)) or not values \
            or not all(isinstance(v, str) and v for v in values):
        raise InvalidFilter(f"filter[{key!r}] must be a non-empty string or a non-empty list of them, got {value!r}")
    return frozenset(values)


def check_filter(filter: Any) -> dict[str, Any]:
    """The filter, validated: a dict of known keys with values of the right kind."""
    if filter is None:
        return {}
    if not isinstance(filter, dict):
        raise InvalidFilter(f"filter must be a dict such as {{'status': 'final'}}, got {filter!r}")
    for key, value in filter.items():
        if key in MANY_VALUED:
            _strings(key, value)
        elif key in ONE_OF:
            if value not in ONE_OF[key]:
                raise InvalidFilter(f"filter[{key!r}] must be one of {', '.join(ONE_OF[key])}, got {value!r}")
        else:
            raise InvalidFilter(f"unknown filter key {key!r}: the keys are {', '.join(FILTER_KEYS)}")
    return dict(filter)


class PolicyRetriever(BaseRetriever):
    """`PolicyRetriever.from_settings().invoke("问题", k=3, filter={"level": "province"})` → clauses.

    `filter` keys: `doc_id`, `doc_number` (文号), `clause_path` (a string or a list of strings each),
    `level` (province | city | county), `status` (final | draft). A filter narrows `scope` (a
    `rag.retrieval.Scope`), replacing the fields it names. Metadata values are str, int, float, bool or
    lists of str; keys whose value is unknown (a text file has no `page`) are left out.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    hybrid: HybridRetriever
    k: int = Field(8, description="Clauses returned per query.")
    scope: Scope | None = Field(None, description="Where every query searches; a filter narrows it further.")
    search_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Defaults for every call, as VectorStoreRetriever has them: k, filter.")

    @model_validator(mode="after")
    def _check(self) -> "PolicyRetriever":
        _check_k(self.k, "k")
        unknown = sorted(set(self.search_kwargs) - set(SEARCH_KWARGS))
        if unknown:
            raise InvalidFilter(f"unknown search_kwargs {', '.join(map(repr, unknown))}: "
                                f"the keys are {', '.join(SEARCH_KWARGS)}")
        if "k" in self.search_kwargs:
            _check_k(self.search_kwargs["k"], "search_kwargs['k']")
            if "k" in self.model_fields_set and self.search_kwargs["k"] != self.k:
                raise InvalidFilter(f"k={self.k} and search_kwargs['k']={self.search_kwargs['k']} disagree: give one")
        check_filter(self.search_kwargs.get("filter"))
        return self

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *, index=None, embedder=None,
                      **kwargs: Any) -> "PolicyRetriever":
        """Open the index the settings name (default: `Settings()`, i.e. the `POLICYQA_*` environment),
        loading the embedding model unless one is given; `k` defaults to `settings.top_k`. Raises
        `IndexMissing` when nothing was ingested there and `IndexMismatch` when the index was built
        with another model."""
        from ingest.embedding import Embedder
        from ingest.index import PolicyIndex

        settings = settings or Settings()
        embedder = embedder or Embedder(settings)
        index = index or PolicyIndex(settings)
        index.check_model(embedder.name, embedder.dimension)
        hybrid = HybridRetriever(index, embedder, adaptive=not settings.always_dense)
        if "k" not in kwargs and "k" not in kwargs.get("search_kwargs", {}):
            kwargs["k"] = settings.top_k
        return cls(hybrid=hybrid, **kwargs)

    def _scope(self, filter: dict[str, Any], hybrid: HybridRetriever) -> Scope | None:
        """The instance scope narrowed by the filter; None when the filter matches no document."""
        scope = self.scope or Scope()
        doc_ids = _strings("doc_id", filter["doc_id"]) if "doc_id" in filter else None
        if "doc_number" in filter:
            numbers = _strings("doc_number", filter["doc_number"])
            named = frozenset(d.doc_id for d in hybrid.documents() if d.doc_number in numbers)
            doc_ids = named if doc_ids is None else doc_ids & named
        if doc_ids is not None:
            if not doc_ids:
                return None
            scope = replace(scope, doc_ids=doc_ids)
        if "clause_path" in filter:
            scope = replace(scope, clause_paths=_strings("clause_path", filter["clause_path"]))
        if "level" in filter:
            scope = replace(scope, level=filter["level"])
        if "status" in filter:
            scope = replace(scope, status=filter["status"])
        return scope

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[LCDocument]:
        for name in _IGNORED_CALL_KWARGS:
            kwargs.pop(name, None)
        unknown = sorted(set(kwargs) - set(SEARCH_KWARGS))
        if unknown:
            raise InvalidFilter(f"unknown argument {', '.join(map(repr, unknown))} to invoke: "
                                f"it takes {', '.join(SEARCH_KWARGS)}")
        call = {"k": self.k, **self.search_kwargs, **kwargs}
        k = _check_k(call["k"], "k")
        index = self.hybrid.index
        with index.reading():  # one catalog generation for the whole search, the newest one
            hybrid = self._current(index.snapshot())
            scope = self._scope(check_filter(call.get("filter")), hybrid)
            if scope is None:
                return []
            return [self._document(item) for item in hybrid.search(query, scope, k)]

    def _current(self, snapshot) -> HybridRetriever:
        """The retriever over `snapshot`: documents ingested since this retriever was made are found."""
        hybrid = self.hybrid
        if snapshot.generation == hybrid.snapshot.generation:
            return hybrid
        return HybridRetriever(hybrid.index, hybrid.embedder, use_dense=hybrid.use[2], use_words=hybrid.use[0],
                               use_bigrams=hybrid.use[1], weights=hybrid.weights, rrf_k=hybrid.rrf_k,
                               adaptive=hybrid.adaptive, snapshot=snapshot)

    async def _aget_relevant_documents(self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun,
                                       **kwargs: Any) -> list[LCDocument]:
        # the default drops call kwargs (k, filter); the search itself is CPU work, so a thread runs it
        return await run_in_executor(None, self._get_relevant_documents, query,
                                     run_manager=run_manager.get_sync(), **kwargs)

    @staticmethod
    def _document(item: Evidence) -> LCDocument:
        document, clause = item.document, item.clause
        metadata = {
            "doc_id": document.doc_id,
            "doc_title": document.title,
            "doc_number": document.doc_number or "",
            "issuer": document.issuer,
            "date": document.date,
            "status": document.status,
            "status_label": document.status_label,  # 正式 / 征求意见稿 / 草案 …: a draft must be marked
            "level": document.level or "",
            "source": document.source,
            "clause_path": clause.path,
            "heading": clause.heading,
            "page": clause.page_start,
            "page_end": clause.page_end,
            "units": list(clause.units),
            "lead_unit": clause.lead_unit,
            "score": item.score,
        }
        metadata["clause_id"] = clause_id(document.doc_id, clause.path)  # stable across versions of the file
        # The id is the chunk id (as in the vector store and the catalog) of the clause's best chunk.
        return LCDocument(id=item.chunk_id or metadata["clause_id"], page_content=clause.text,
                          metadata={key: value for key, value in metadata.items() if value is not None})
