"""The SQLite catalog on its own: transactions, generations, term statistics, keyword search, damage."""

import sqlite3
from collections import Counter

import pytest

from ingest.catalog import Catalog, id_digest
from ingest.catalog_search import ChunkFilter, KeywordSearch, StoredTermWeights
from ingest.chunking import chunk_document
from ingest.errors import CatalogDamaged
from ingest.keyword import char_bigrams
from ingest.pipeline import parse_document
from ingest.settings import Settings
from rag.rank import FrequencyWeights
from tests.helpers import SAMPLE_NOTICE, corpus_file

COLLIDING = """达州市测试县人民政府办公室
关于印发测试工作要点的通知
各乡镇人民政府：
现印发给你们，请认真组织实施。
一、总体要求
（1）坚持规划引领。加快推进测试产业集聚发展。
（2）坚持项目支撑。每年引进测试企业5家。
一、重点任务
围绕测试产业链招商，建设测试产业园。
二、保障措施
强化要素保障，落实用地指标。
"""


def _parsed(path, source):
    parsed = parse_document(path, Settings(), source=source)
    return parsed, chunk_document(parsed, 360)


@pytest.fixture
def notice(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(SAMPLE_NOTICE, encoding="utf-8")
    return _parsed(path, "notice.txt")


@pytest.fixture
def campaign():
    return _parsed(corpus_file("达市府办函"), "campaign.txt")


def _stored_counts(catalog, field):
    return dict(catalog._conn().execute("SELECT term, df FROM term_stats WHERE field = ?", (field,)))


def test_generations_digest_and_term_counts_follow_every_change(tmp_path, notice, campaign):
    catalog = Catalog(tmp_path / "index", create=True)
    assert catalog.state().generation == 0
    for parsed, chunks in (notice, campaign):
        assert catalog.put_document(parsed.document, "/docs", parsed.clauses, chunks) == []
    state = catalog.state()
    assert state.generation == 2 and state.chunk_count == len(notice[1]) + len(campaign[1])
    assert int(state.digest, 16) == id_digest(catalog.chunk_ids())
    expected = Counter(g for _, chunks in (notice, campaign) for c in chunks for g in char_bigrams(c.embed_text))
    assert _stored_counts(catalog, "g") == dict(expected)

    stale = catalog.remove_document(notice[0].document.doc_id)
    assert sorted(stale) == sorted(c.chunk_id for c in notice[1])
    assert catalog.state().generation == 3
    assert int(catalog.state().digest, 16) == id_digest(catalog.chunk_ids())
    assert _stored_counts(catalog, "g") == dict(Counter(g for c in campaign[1] for g in char_bigrams(c.embed_text)))
    assert catalog.remove_document("no-such-document") == [] and catalog.state().generation == 3


def test_stored_term_weights_equal_the_recomputed_ones(tmp_path, notice, campaign):
    catalog = Catalog(tmp_path / "index", create=True)
    for parsed, chunks in (notice, campaign):
        catalog.put_document(parsed.document, "", parsed.clauses, chunks)
    texts = [c.embed_text for _, chunks in (notice, campaign) for c in chunks]
    recomputed, stored = FrequencyWeights.of_texts(texts), StoredTermWeights(catalog, catalog.state().chunk_count)
    for gram in ("渠县", "产业", "无人", "百日", "没有的词"[:2]):
        assert stored.known(gram) == recomputed.known(gram)
        assert stored.idf(gram) == pytest.approx(recomputed.idf(gram))


def test_a_failed_write_leaves_the_catalog_as_it_was(tmp_path, notice, campaign):
    catalog = Catalog(tmp_path / "index", create=True)
    catalog.put_document(notice[0].document, "", notice[0].clauses, notice[1])
    before = (catalog.state(), catalog.chunk_ids(), _stored_counts(catalog, "w"))
    parsed, chunks = campaign
    clashing = chunks[:1] + [chunks[1].__class__(**{**chunks[1].__dict__, "chunk_id": chunks[0].chunk_id})]
    with pytest.raises(sqlite3.IntegrityError):
        catalog.put_document(parsed.document, "", parsed.clauses, clashing)
    assert (catalog.state(), catalog.chunk_ids(), _stored_counts(catalog, "w")) == before
    assert [d for d, _ in catalog.document_generations()] == [notice[0].document.doc_id]


def test_keyword_search_ranks_filters_and_fetches_by_id(tmp_path, notice, campaign):
    catalog = Catalog(tmp_path / "index", create=True)
    for parsed, chunks in (notice, campaign):
        catalog.put_document(parsed.document, "", parsed.clauses, chunks)
    search = KeywordSearch(catalog)
    best = search.search_words("无人机飞行测试场", 3)[0]
    assert best.clause_path == "二、（一）" and best.doc_id == notice[0].document.doc_id and best.score > 0
    assert search.search_bigrams("无人机飞行测试场", 3)[0].chunk_id == best.chunk_id
    only_campaign = ChunkFilter(doc_ids=frozenset({campaign[0].document.doc_id}))
    assert all(h.doc_id == campaign[0].document.doc_id for h in search.search_words("测试 招商", 10, only_campaign))
    assert not search.any_chunk(ChunkFilter(level="province"))
    fetched = search.fetch([best.chunk_id, "orphan-id"])
    assert list(fetched) == [best.chunk_id] and "无人机飞行测试场" in fetched[best.chunk_id].text
    assert search.knows_word("无人机") and not search.knows_word("氢能源")
    assert search.contains_text("飞行测试场") and not search.contains_text("测试飞行场")


def test_repeated_clause_paths_get_a_suffix_no_other_clause_has(tmp_path):
    path = tmp_path / "collide.txt"
    path.write_text(COLLIDING, encoding="utf-8")
    parsed, chunks = _parsed(path, "collide.txt")
    paths = [c.path for c in parsed.clauses]
    assert len(paths) == len(set(paths)) and "一、（2）" in paths and "一、（3）" in paths
    assert next(c for c in parsed.clauses if c.path == "一、（3）").heading == "重点任务"
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    catalog = Catalog(tmp_path / "index", create=True)
    catalog.put_document(parsed.document, "", parsed.clauses, chunks)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "schema"])
def test_a_damaged_catalog_names_the_file_and_the_repair(tmp_path, notice, damage):
    catalog = Catalog(tmp_path / "index", create=True)
    catalog.put_document(notice[0].document, "", notice[0].clauses, notice[1])
    catalog._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    catalog.close()
    path = tmp_path / "index" / "catalog.sqlite3"
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    elif damage == "garbage":
        data = bytearray(path.read_bytes())
        data[4096 : 3 * 4096] = b"\xde\xad\xbe\xef" * 2048
        path.write_bytes(bytes(data))
    else:
        connection = sqlite3.connect(path)
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        connection.commit()
        connection.close()
    with pytest.raises(CatalogDamaged, match=r"catalog .*catalog\.sqlite3 is damaged .*run `policyqa repair`"):
        Catalog(tmp_path / "index")
