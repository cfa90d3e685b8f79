"""The vector store. The only module that imports chromadb (lazily).

Chroma returns distances (lower is better); `VectorStore.query` converts them to cosine
similarity (higher is better) here and nowhere else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import PolicyQAError, StoreUnavailable


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, Any]


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


def _client(path: Path, server_url: str | None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if server_url:
        from urllib.parse import urlparse

        url = urlparse(server_url)
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
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


class VectorStore:
    def __init__(self, path: Path, collection: str, server_url: str | None = None):
        self._server_url = server_url
        try:
            self._client = _client(path, server_url)
            self._collection = self._client.get_or_create_collection(
                collection, embedding_function=_Guard(), metadata={"hnsw:space": "cosine"},
            )
        except Exception as error:
            if server_url and "could not connect" in str(error).lower():
                raise _unreachable(server_url, error) from error
            where = server_url or path
            raise PolicyQAError(f"vector store at {where} cannot be opened ({error}); check the path or server") from error

    @_server_call
    def upsert(self, chunk_ids: list[str], texts: list[str], embeddings: np.ndarray, metadatas: list[dict]) -> None:
        for start in range(0, len(chunk_ids), 500):
            end = start + 500
            self._collection.upsert(
                ids=chunk_ids[start:end], documents=texts[start:end],
                embeddings=embeddings[start:end].tolist(), metadatas=metadatas[start:end],
            )

    @_server_call
    def delete_document(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    @_server_call
    def count(self) -> int:
        return self._collection.count()

    @_server_call
    def all_chunks(self) -> list[StoredChunk]:
        result = self._collection.get(include=["documents", "metadatas"])
        return [StoredChunk(i, d or "", m or {}) for i, d, m in
                zip(result["ids"], result["documents"], result["metadatas"])]

    @_server_call
    def query(self, embedding: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first."""
        result = self._collection.query(
            query_embeddings=[embedding.tolist()], n_results=k, where=where or None, include=["distances"],
        )
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]
