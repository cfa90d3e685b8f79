"""The vector store. The only module that imports chromadb (lazily).

Chroma holds vectors and the flat metadata used as filters; texts live in the catalog. Chroma
returns distances (lower is better); `VectorStore.query` converts them to cosine similarity
(higher is better) here and nowhere else.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.errors import InvalidSetting, PolicyQAError, StoreUnavailable
from ingest.lock import exclusive_open


class _Guard:
    """An embedding function that chromadb may hold but must never need.

    We always pass our own vectors. Handing chromadb this object keeps it from falling back to
    its default ONNX model, which it would try to download.
    """

    def __init__(self, embed=None):
        self._embed = embed

    def __call__(self, input):  # noqa: A002 - chromadb's protocol name
        if self._embed is None:
            raise PolicyQAError("internal: chromadb asked for embeddings; pass vectors explicitly")
        return [v.tolist() for v in self._embed(list(input))]

    @staticmethod
    def name() -> str:
        return "policyqa"

    def get_config(self) -> dict:
        return {}

    @staticmethod
    def build_from_config(config: dict) -> "_Guard":
        return _Guard()

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


def validate_server_url(url: str) -> str:
    """`http://host:port` or `https://host[:port]`; anything else is refused here, with the value."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise InvalidSetting(f"--chroma-url {url!r} is not a server address: give the scheme and host, "
                             "e.g. http://127.0.0.1:8000")
    return url


def _client(path: Path, server_url: str | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if server_url:
        from urllib.parse import urlparse

        url = urlparse(validate_server_url(server_url))
        return chromadb.HttpClient(host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                                   ssl=url.scheme == "https", settings=chroma_settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _unreachable(server_url: str, error: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"chroma server at {server_url} is unreachable ({type(error).__name__}: "
                            f"{(str(error).strip().splitlines() or ['no answer'])[0]}): start it (`chroma run --path <folder> --port <port>`) "
                            "or fix --chroma-url; documents already written stay in it")


def _server_call(method):
    """A `chroma run` server that stops answering is a domain error naming it, not an httpx traceback."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            import httpx

            if self._server_url and isinstance(error, httpx.TransportError):
                raise _unreachable(self._server_url, error) from error
            raise

    return call


class VectorBackend(Protocol):
    """What the index needs from a vector store. `VectorStore` (chromadb, embedded or `chroma run`)
    is the one implementation; another engine (a distributed Chroma, Milvus, pgvector) is one more
    module with these methods, chosen in `PolicyIndex`. Texts and the keyword index never live here."""

    name: str
    where: str

    def reopen(self) -> None: ...
    @property
    def exists(self) -> bool: ...
    def upsert(self, chunk_ids: list[str], embeddings: np.ndarray, metadatas: list[dict]) -> None: ...
    def delete(self, chunk_ids: list[str]) -> None: ...
    def count(self) -> int: ...
    def ids(self) -> set[str]: ...
    def metadatas(self, chunk_ids: list[str] | None = None) -> dict[str, dict]: ...
    def embeddings(self, chunk_ids: list[str]) -> dict[str, np.ndarray]: ...
    def info(self) -> dict[str, Any]: ...
    def set_info(self, info: dict[str, Any]) -> None: ...
    def query(self, embedding: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]: ...


class VectorStore:
    """One collection of vectors with flat filter metadata; texts live in the catalog."""

    def __init__(self, path: Path, collection: str, server_url: str | None = None, create: bool = True,
                 info: dict[str, Any] | None = None):
        self.name = collection
        self.where = server_url or str(path)
        self._path, self._server_url, self._create, self._info = path, server_url, create, info
        self._client, self._collection = self._open()

    def _open(self):
        if self._server_url:
            return self._open_unlocked()
        with exclusive_open(self._path):
            return self._open_unlocked()

    def _open_unlocked(self):
        try:
            client = _client(self._path, self._server_url)
        except PolicyQAError:
            raise
        except Exception as error:
            if self._server_url and "could not connect" in str(error).lower():
                raise _unreachable(self._server_url, error) from error
            raise PolicyQAError(f"vector store at {self.where} cannot be opened ({error}); check the path or server") from error
        collection = None
        try:
            collection = client.get_collection(self.name, embedding_function=_Guard())
        except Exception as error:  # chromadb raises NotFoundError (a ValueError on older versions)
            if type(error).__name__ not in ("NotFoundError", "ValueError", "InvalidCollectionException"):
                raise PolicyQAError(f"vector store at {self.where} cannot be read ({error}); check the path or server") from error
        if collection is None and self._create:
            collection = client.get_or_create_collection(
                self.name, embedding_function=_Guard(), configuration={"hnsw": {"space": "cosine"}},
                metadata=dict(self._info or {"policyqa": "1"}))
        return client, collection

    def reopen(self) -> None:
        """See what other processes wrote. A local chromadb keeps its vector index in memory and does
        not see another process's additions; a fresh client does. (A server needs nothing.)
        The old client is dropped from chromadb's per-path cache, not stopped: a query still running
        on it finishes."""
        if self._server_url:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        identifier = getattr(self._client, "_identifier", None)
        SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        self._client, self._collection = self._open()

    @property
    def exists(self) -> bool:
        return self._collection is not None

    def _need(self):
        if self._collection is None:
            raise PolicyQAError(f"collection {self.name} does not exist in the vector store at {self.where}")
        return self._collection

    @_server_call
    def upsert(self, chunk_ids: list[str], embeddings: np.ndarray, metadatas: list[dict]) -> None:
        for start in range(0, len(chunk_ids), 500):
            end = start + 500
            self._need().upsert(ids=chunk_ids[start:end], embeddings=embeddings[start:end].tolist(),
                                metadatas=metadatas[start:end])

    @_server_call
    def delete(self, chunk_ids: list[str]) -> None:
        for start in range(0, len(chunk_ids), 500):
            self._need().delete(ids=chunk_ids[start : start + 500])

    @_server_call
    def count(self) -> int:
        return self._collection.count() if self._collection is not None else 0

    @_server_call
    def ids(self) -> set[str]:
        """Every id in the collection (paged): used only to find orphans after a mismatch."""
        found: set[str] = set()
        if self._collection is None:
            return found
        page = 5000
        while True:
            batch = self._collection.get(include=[], limit=page, offset=len(found))["ids"]
            found.update(batch)
            if len(batch) < page:
                return found

    @_server_call
    def metadatas(self, chunk_ids: list[str] | None = None) -> dict[str, dict]:
        """Metadata by id (all of them when no ids are given: for `repair` only)."""
        result = self._need().get(ids=chunk_ids, include=["metadatas"]) if chunk_ids is not None else \
            self._need().get(include=["metadatas"])
        return {i: m or {} for i, m in zip(result["ids"], result["metadatas"])}

    @_server_call
    def embeddings(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        result = self._need().get(ids=chunk_ids, include=["embeddings"])
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(result["ids"], result["embeddings"])}

    def info(self) -> dict[str, Any]:
        return dict(self._collection.metadata or {}) if self._collection is not None else {}

    @_server_call
    def set_info(self, info: dict[str, Any]) -> None:
        """Collection metadata: the model, dimension, catalog id, generation, count and digest it matches."""
        self._need().modify(metadata=dict(info))

    @_server_call
    def query(self, embedding: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first. Distances become similarities here and nowhere
        else. No metadata is read back (it costs more than the search): the catalog has it."""
        if self._collection is None:
            return []
        result = self._collection.query(query_embeddings=[embedding.tolist()], n_results=k, where=where or None,
                                        include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]
