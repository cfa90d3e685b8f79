"""The vector store. The only module that imports chromadb (lazily).

Chroma returns distances (lower is better); `VectorStore.query` converts them to cosine
similarity (higher is better) here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.errors import PolicyQAError


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


class VectorStore:
    def __init__(self, path: Path, collection: str, server_url: str | None = None):
        try:
            self._client = _client(path, server_url)
            self._collection = self._client.get_or_create_collection(
                collection, embedding_function=_Guard(), metadata={"hnsw:space": "cosine"},
            )
        except Exception as error:
            where = server_url or path
            raise PolicyQAError(f"vector store at {where} cannot be opened ({error}); check the path or server") from error

    def upsert(self, chunk_ids: list[str], texts: list[str], embeddings: np.ndarray, metadatas: list[dict]) -> None:
        for start in range(0, len(chunk_ids), 500):
            end = start + 500
            self._collection.upsert(
                ids=chunk_ids[start:end], documents=texts[start:end],
                embeddings=embeddings[start:end].tolist(), metadatas=metadatas[start:end],
            )

    def delete_document(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    def count(self) -> int:
        return self._collection.count()

    def all_chunks(self) -> list[StoredChunk]:
        result = self._collection.get(include=["documents", "metadatas"])
        return [StoredChunk(i, d or "", m or {}) for i, d, m in
                zip(result["ids"], result["documents"], result["metadatas"])]

    def query(self, embedding: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first."""
        result = self._collection.query(
            query_embeddings=[embedding.tolist()], n_results=k, where=where or None, include=["distances"],
        )
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]
