"""Vector search over a small library is exact: the same answer in every process, whatever graph
chroma's HNSW index was rebuilt into when the process opened it (it differed between processes on
the 16-document evaluation index)."""

import numpy as np

from ingest.catalog_search import ChunkFilter
from ingest.index import PolicyIndex


def test_an_unrestricted_search_of_a_small_library_is_exact_and_never_asks_the_graph(corpus_settings, corpus_index,
                                                                                     embedder, monkeypatch):
    query = embedder.embed_query("双进双送具体指啥")
    rows = corpus_index.search.admitted(ChunkFilter(), 5000)
    vectors = corpus_index.store.embeddings([row[0] for row in rows])
    matrix = np.stack([vectors[row[0]] for row in rows])
    cosine = matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query))
    best = [rows[i][0] for i in np.argsort(-cosine, kind="stable")[:40]]
    reader = PolicyIndex(corpus_settings)

    def no_graph(*args, **kwargs):
        raise AssertionError("the HNSW graph was asked")

    monkeypatch.setattr(reader.store, "query", no_graph)
    assert [hit.chunk_id for hit in reader.nearest(query, 40)] == best
