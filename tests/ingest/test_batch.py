"""A batch never aborts: one bad document is skipped with its reason, its writes rolled back."""

import sqlite3

import ingest.catalog as catalog_module

from ingest.index import PolicyIndex
from ingest.pipeline import ingest
from tests.helpers import county_notice
from tests.ingest.test_catalog import COLLIDING


def test_a_colliding_clause_path_and_a_failing_document_do_not_stop_the_batch(tmp_path, settings, embedder, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "1.txt").write_text(county_notice("宣汉县", 50, 3, "宣府办发〔2024〕1号"), encoding="utf-8")
    (folder / "2.txt").write_text(COLLIDING, encoding="utf-8")
    (folder / "3.txt").write_text(county_notice("渠县", 80, 5, "渠府办发〔2024〕2号"), encoding="utf-8")
    (folder / "4.txt").write_text(county_notice("大竹县", 30, 2, "竹府办发〔2024〕3号"), encoding="utf-8")
    index = PolicyIndex(settings, create=True)
    real = catalog_module.bigram_tokens

    def fail_inside_the_transaction(text):
        if "渠县" in text:  # 3.txt: as if two chunk ids clashed halfway through its transaction
            raise sqlite3.IntegrityError("UNIQUE constraint failed: chunks.chunk_id")
        return real(text)

    vectors_written = []
    upsert = index.store.upsert
    monkeypatch.setattr(index.store, "upsert", lambda ids, *rest: (vectors_written.append(ids), upsert(ids, *rest)))
    monkeypatch.setattr(catalog_module, "bigram_tokens", fail_inside_the_transaction)
    report = ingest([folder], settings, index, embedder)
    monkeypatch.undo()
    outcomes = {o.name: o for o in report.outcomes}
    assert [outcomes[n].status for n in ("1.txt", "2.txt", "4.txt")] == ["added"] * 3
    assert outcomes["3.txt"].status == "skipped"
    assert outcomes["3.txt"].reason == "not ingested (IntegrityError: UNIQUE constraint failed: chunks.chunk_id)"
    assert sorted(d.source for d in index.documents()) == ["1.txt", "2.txt", "4.txt"]
    colliding = next(d.doc_id for d in index.documents() if d.source == "2.txt")
    assert "一、（3）" in {c.path for c in index.clauses(colliding)} and index.chunk_count(colliding) > 0
    assert len(vectors_written) == 4, "3.txt's vectors were written before its transaction failed"
    assert index.store.ids() == index.catalog.chunk_ids(), "and removed again: no orphan is left"
    assert not set(vectors_written[2]) & index.store.ids()
