"""The embedding model. The only module that imports sentence-transformers (lazily)."""

from __future__ import annotations

import os
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

    def embed_passages(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._model.encode(
            texts, prompt_name=self._passage_prompt, batch_size=batch_size,
            normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False,
        ).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._model.encode(
            [text], prompt_name=self._query_prompt, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )[0].astype(np.float32)

