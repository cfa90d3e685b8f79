"""The embedding model. The only module that imports sentence-transformers (lazily)."""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

from ingest.errors import ModelUnavailable
from ingest.settings import DEFAULT_EMBEDDING_MODEL, Settings

# Never reach a model hub or send telemetry: weights come from a local folder only.
for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def prepare_model(settings: Settings) -> str:
    """The local folder or name to load; converts the bundled e5 weights on first use."""
    if settings.embedding_model == DEFAULT_EMBEDDING_MODEL:
        from ingest.e5convert import ensure_converted

        return str(ensure_converted(settings.model_dir))
    return settings.embedding_model


class Embedder:
    """Passage and query embeddings, L2-normalized, with the model's own query/passage prompts."""

    def __init__(self, settings: Settings):
        self.name = settings.embedding_model
        location = prepare_model(settings)
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(location, device="cpu", local_files_only=True)
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

    def embed_passages(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._model.encode(
            texts, prompt_name=self._passage_prompt, batch_size=batch_size,
            normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
        ).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """One query vector; the last few are kept, since retrieval and answer ranking both need it."""
        return self._query_vector(text)

    @lru_cache(maxsize=256)
    def _query_vector(self, text: str) -> np.ndarray:
        """One query, the model's query prompt prepended. Runs the encoder directly: the per-call
        bookkeeping of `SentenceTransformer.encode` costs more than the forward pass of a short query."""
        import torch

        prompt = self._model.prompts.get(self._query_prompt, "") if self._query_prompt else ""
        if self._direct is None:
            return self._model.encode([text], prompt_name=self._query_prompt, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)[0].astype(np.float32)
        tokenizer, encoder = self._direct
        with torch.inference_mode():
            features = tokenizer([prompt + text], return_tensors="pt", truncation=True, max_length=512)
            hidden = encoder(**features).last_hidden_state
            mask = features["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            vector = (hidden * mask).sum(1) / mask.sum(1)
            vector = torch.nn.functional.normalize(vector, dim=-1)
        return vector[0].numpy().astype(np.float32)

