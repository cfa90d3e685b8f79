"""The index on disk: vectors (chromadb), keywords (BM25), the document table, and a manifest.

Everything lives under `data_dir/index-<key>/` where the key is derived from the settings that
change vectors (embedding model, chunker version, chunk size), so a change of model can never
silently mix vectors; the chroma collection carries the same key.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from ingest.chunking import CHUNKER_VERSION
from ingest.errors import IndexMismatch, IndexMissing
from ingest.keyword import KeywordIndex
from ingest.models import Chunk, Clause, Document, ParsedDocument
from ingest.settings import Settings
from ingest.store import StoredChunk, VectorStore


def index_key(settings: Settings) -> str:
    basis = f"{settings.embedding_model}|{CHUNKER_VERSION}|{settings.chunk_chars}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def _write_json(path: Path, payload) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash leaves the old file or the new one


@dataclass(frozen=True)
class Manifest:
    embedding_model: str
    dimension: int
    chunker_version: str
    chunk_chars: int
    # What embedded the passages ("onnxruntime-int8", "torch-fp32"): both give one model's vectors
    # (int8 is used only where its cosine to fp32 is at least 0.99), so either may add to the index.
    passage_encoders: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in known})


class PolicyIndex:
    def __init__(self, settings: Settings, create: bool = False, chroma_url: str | None = None):
        self.settings = settings
        self.key = index_key(settings)
        self.folder = settings.data_dir / f"index-{self.key}"
        if not self.folder.exists():
            if not create:
                self._explain_missing()
            self.folder.mkdir(parents=True)
        self._manifest_path = self.folder / "manifest.json"
        self._registry_path = self.folder / "documents.json"
        self._keyword_path = self.folder / "keyword.json"
        self.store = VectorStore(settings.data_dir / "chroma", f"policyqa-{self.key}", chroma_url)
        self._registry: dict[str, dict] = self._load_registry()
        self._keywords: KeywordIndex | None = None
        self._chunks: dict[str, StoredChunk] | None = None

    # ---- manifest -------------------------------------------------------------------------
    def _explain_missing(self) -> None:
        others = []
        for manifest in sorted(self.settings.data_dir.glob("index-*/manifest.json")):
            try:
                others.append(Manifest.from_json(manifest.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
        if others:
            built = others[0]
            raise IndexMismatch(
                f"the index in {self.settings.data_dir} was built with embedding model "
                f"'{built.embedding_model}' (dimension {built.dimension}, chunker {built.chunker_version}, "
                f"{built.chunk_chars} chars); the settings ask for '{self.settings.embedding_model}' "
                f"(chunker {CHUNKER_VERSION}, {self.settings.chunk_chars} chars). Run `policyqa ingest` to "
                f"build an index for it, or set POLICYQA_EMBEDDING_MODEL={built.embedding_model}"
            )
        raise IndexMissing(
            f"no index in {self.settings.data_dir} yet: run `policyqa ingest corpus/` first"
        )

    def manifest(self) -> Manifest | None:
        try:
            return Manifest.from_json(self._manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            return None

    def check_model(self, model_name: str, dimension: int) -> None:
        """Refuse to mix vectors: the manifest must name this model and dimension."""
        manifest = self.manifest()
        if manifest is None:
            _write_json(self._manifest_path, Manifest(model_name, dimension, CHUNKER_VERSION,
                                                      self.settings.chunk_chars).__dict__)
        elif (manifest.embedding_model, manifest.dimension) != (model_name, dimension):
            raise IndexMismatch(
                f"index {self.folder} was built with '{manifest.embedding_model}' (dimension "
                f"{manifest.dimension}) but the loaded model is '{model_name}' (dimension {dimension}); "
                "delete the folder and run `policyqa ingest` again"
            )

    def note_passage_encoder(self, encoder: str | None) -> None:
        """Record in the manifest what embedded passages (once per kind of encoder)."""
        manifest = self.manifest()
        if encoder and manifest is not None and encoder not in manifest.passage_encoders:
            manifest.passage_encoders.append(encoder)
            _write_json(self._manifest_path, manifest.__dict__)

    # ---- document table -------------------------------------------------------------------
    def _load_registry(self) -> dict[str, dict]:
        try:
            return json.loads(self._registry_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError:
            return {}  # a damaged table: every document is re-ingested, chunk ids keep it duplicate-free

    def _save_registry(self) -> None:
        _write_json(self._registry_path, self._registry)

    def documents(self) -> list[Document]:
        return [Document.from_dict(entry["document"]) for entry in self._registry.values()]

    def document(self, doc_id: str) -> Document | None:
        entry = self._registry.get(doc_id)
        return Document.from_dict(entry["document"]) if entry else None

    def clauses(self, doc_id: str) -> list[Clause]:
        entry = self._registry.get(doc_id)
        return [Clause.from_dict(c) for c in entry["clauses"]] if entry else []

    def chunk_count(self, doc_id: str) -> int:
        entry = self._registry.get(doc_id)
        return int(entry.get("chunks", 0)) if entry else 0

    def doc_for_source(self, source: str) -> str | None:
        return next((d for d, e in self._registry.items() if e["document"]["source"] == source), None)

    # ---- writing --------------------------------------------------------------------------
    def write_document(self, parsed: ParsedDocument, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        """Replace a document's chunks. The table entry is dropped first and written last, so a
        crash in between makes the next run ingest the document again (ids keep it duplicate-free)."""
        doc_id = parsed.document.doc_id
        if self._registry.pop(doc_id, None) is not None:
            self._save_registry()
        self.store.delete_document(doc_id)
        if chunks:
            self.store.upsert([c.chunk_id for c in chunks], [c.text for c in chunks], embeddings,
                              [{**c.metadata, "embed_text": c.embed_text} for c in chunks])
        self._registry[doc_id] = {
            "document": parsed.document.to_dict(),
            "clauses": [c.to_dict() for c in parsed.clauses],
            "chunks": len(chunks),
        }
        self._save_registry()
        self._chunks = None

    def remove_document(self, doc_id: str) -> None:
        if self._registry.pop(doc_id, None) is not None:
            self._save_registry()
        self.store.delete_document(doc_id)
        self._chunks = None

    def refresh_keywords(self) -> KeywordIndex:
        """Rebuild the keyword index from what the vector store holds, so the two stay in step."""
        chunks = self.store.all_chunks()
        ids = [c.chunk_id for c in chunks]
        texts = [str(c.metadata.get("embed_text", c.text)) for c in chunks]
        self._keywords = KeywordIndex.build(ids, texts)
        self._keywords.save(self._keyword_path)
        self._chunks = {c.chunk_id: c for c in chunks}
        return self._keywords

    # ---- reading --------------------------------------------------------------------------
    def chunks(self) -> dict[str, StoredChunk]:
        if self._chunks is None:
            self._chunks = {c.chunk_id: c for c in self.store.all_chunks()}
        return self._chunks

    def keywords(self) -> KeywordIndex:
        """The persisted keyword index, rebuilt if it does not match the vector store."""
        if self._keywords is None:
            loaded = KeywordIndex.load(self._keyword_path)
            chunks = self.chunks()
            ids = list(chunks)
            texts = [str(chunks[i].metadata.get("embed_text", chunks[i].text)) for i in ids]
            if loaded is None or loaded.fingerprint != KeywordIndex.fingerprint_of(ids, texts):
                loaded = self.refresh_keywords()
            self._keywords = loaded
        return self._keywords
