"""The embedding model. The only module that imports sentence-transformers (lazily)."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.errors import ModelUnavailable
from ingest.settings import DEFAULT_EMBEDDING_MODEL, Settings

# Never reach a model hub or send telemetry: weights come from a local folder only.
for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

log = logging.getLogger("policyqa.embedding")


def prepare_model(settings: Settings) -> str:
    """The local folder or name to load; converts the bundled e5 weights on first use."""
    if settings.embedding_model == DEFAULT_EMBEDDING_MODEL:
        from ingest.e5convert import ensure_converted

        return str(ensure_converted(settings.model_dir))
    return settings.embedding_model


class Embedder:
    """Passage and query embeddings, L2-normalized, with the model's own query/passage prompts.

    Queries are embedded in fp32 (torch). Passages go through the int8 ONNX Runtime build when it
    has been validated against fp32 (ingest.onnx_encoder; made at first use), else through fp32 —
    on the GPU when torch sees one — in length-sorted, token-budgeted batches."""

    def __init__(self, settings: Settings):
        self.name = settings.embedding_model
        self._settings = settings
        self._location = prepare_model(settings)
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            self._device = "cuda" if torch.cuda.is_available() else "cpu"
            self._model = SentenceTransformer(self._location, device=self._device, local_files_only=True)
        except (OSError, ValueError) as error:
            raise ModelUnavailable(
                f"embedding model '{self.name}' cannot be loaded offline ({error}); "
                "give POLICYQA_EMBEDDING_MODEL a local sentence-transformers folder"
            ) from error
        self._model.max_seq_length = min(self._model.max_seq_length or 512, 512)
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else ("document" if "document" in prompts else None)
        self.dimension = int(self._model.get_embedding_dimension())
        self._direct = self._direct_encoder()
        self._int8 = None  # the validated int8 encoder, once prepare_passages has run
        self.passage_encoder: str | None = None  # "onnxruntime-int8" or "torch-fp32[-cuda]", once known
        self.passage_reason = ""

    def _direct_encoder(self):
        """(tokenizer, encoder) when the model is a plain mean-pooled, normalized transformer."""
        modules = [type(m).__name__ for m in self._model]
        if modules[:3] != ["Transformer", "Pooling", "Normalize"] or len(modules) != 3:
            return None
        pooling = self._model[1]
        if getattr(pooling, "pooling_mode", "mean") not in ("mean", "mean_tokens") and not getattr(
                pooling, "pooling_mode_mean_tokens", False):
            return None
        transformer = self._model[0]
        encoder = getattr(transformer, "auto_model", None) or getattr(transformer, "model", None)
        tokenizer = getattr(transformer, "tokenizer", None) or self._model.tokenizer
        if encoder is None or tokenizer is None:
            return None
        encoder.eval()
        return tokenizer, encoder

    def prepare_passages(self, texts: list[str] | None = None) -> str:
        """Decide, once, what embeds passages: builds and validates the int8 encoder on first use
        (cached beside the model) on a sample of corpus/ chunks, or on `texts` where corpus/ is not
        beside the code. Returns the label; `passage_reason` says why."""
        if self.passage_encoder is not None:
            return self.passage_encoder
        fp32 = "torch-fp32-cuda" if self._device == "cuda" else "torch-fp32"
        if not self._settings.embed_int8:
            reason = "POLICYQA_EMBED_INT8=false: passages are embedded in fp32"
        elif self._device == "cuda":
            reason = "torch sees a GPU: passages are embedded in fp32 on it"
        elif self._direct is None or not Path(self._location).is_dir():
            reason = "the int8 build needs a local mean-pooled transformer folder: passages are embedded in fp32"
        else:
            from ingest.onnx_encoder import corpus_passages, prepare_int8

            corpus = Path(__file__).resolve().parents[1] / "corpus"
            tokenizer = self._direct[0]
            self._int8, verdict = prepare_int8(
                Path(self._location),
                sample=lambda: corpus_passages(corpus, self._settings) if corpus.is_dir() else list(texts or [])[:48],
                fp32_passages=self._embed_fp32, fp32_queries=lambda qs: np.stack([self._query_vector(q) for q in qs]),
                passage_prompt=self._prompt(self._passage_prompt), min_cosine=self._settings.embed_int8_min_cosine,
                threads=self._settings.embed_threads, max_length=self._model.max_seq_length,
                pad_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0,
            )
            reason = verdict.reason if verdict.accepted else f"{verdict.reason}; passages are embedded in fp32"
        self.passage_encoder = "onnxruntime-int8" if self._int8 is not None else fp32
        self.passage_reason = reason
        (log.info if self._int8 is not None or not self._settings.embed_int8 else log.warning)(
            "passage embeddings: %s (%s)", self.passage_encoder, reason)
        return self.passage_encoder

    def embed_passages(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        self.prepare_passages(texts)
        if self._int8 is not None:
            prompt = self._prompt(self._passage_prompt)
            return self._int8.encode([prompt + t for t in texts], self._settings.embed_batch_tokens, batch_size)
        return self._embed_fp32(texts, batch_size)

    def _prompt(self, name: str | None) -> str:
        return (getattr(self._model, "prompts", {}) or {}).get(name, "") if name else ""

    def _embed_fp32(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        """fp32 passages: the encoder run directly on length-sorted, token-budgeted batches."""
        if self._direct is None:
            return self._model.encode(
                texts, prompt_name=self._passage_prompt, batch_size=batch_size,
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
            ).astype(np.float32)
        from ingest.onnx_encoder import length_sorted_batches

        tokenizer, encoder = self._direct
        prompt = self._prompt(self._passage_prompt)
        limit = self._model.max_seq_length
        token_ids = tokenizer([prompt + t for t in texts], truncation=True, max_length=limit)["input_ids"]
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for batch in length_sorted_batches([len(ids) for ids in token_ids], self._settings.embed_batch_tokens,
                                           batch_size):
            features = tokenizer.pad({"input_ids": [token_ids[i] for i in batch]}, return_tensors="pt")
            vectors[batch] = self._pooled(encoder, features).cpu().numpy()
        return vectors

    def _pooled(self, encoder, features):
        import torch

        with torch.inference_mode():
            features = {k: v.to(self._device) for k, v in features.items()}
            hidden = encoder(**features).last_hidden_state
            mask = features["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            vector = (hidden * mask).sum(1) / mask.sum(1)
            return torch.nn.functional.normalize(vector, dim=-1)

    def embed_query(self, text: str) -> np.ndarray:
        """One query vector; the last few are kept, since retrieval and answer ranking both need it."""
        return self._query_vector(text)

    @lru_cache(maxsize=256)
    def _query_vector(self, text: str) -> np.ndarray:
        """One query, the model's query prompt prepended. Runs the encoder directly: the per-call
        bookkeeping of `SentenceTransformer.encode` costs more than the forward pass of a short query."""
        prompt = self._prompt(self._query_prompt)
        if self._direct is None:
            return self._model.encode([text], prompt_name=self._query_prompt, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)[0].astype(np.float32)
        tokenizer, encoder = self._direct
        features = tokenizer([prompt + text], return_tensors="pt", truncation=True, max_length=512)
        return self._pooled(encoder, features)[0].cpu().numpy().astype(np.float32)
