"""Damage is reported, not swallowed; `policyqa repair` rebuilds what the sources and vectors allow."""

import subprocess

import pytest

from ingest.errors import StoreMismatch
from ingest.index import PolicyIndex
from ingest.pipeline import ingest
from ingest.repair import repair
from tests.helpers import cli, cli_env, county_notice


@pytest.fixture
def ingested(tmp_path, settings, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "宣汉.txt").write_text(county_notice("宣汉县", 50, 3, "宣府办发〔2024〕1号"), encoding="utf-8")
    (folder / "渠县.txt").write_text(county_notice("渠县", 80, 5, "渠府办发〔2024〕2号"), encoding="utf-8")
    index = PolicyIndex(settings, create=True)
    ingest([folder], settings, index, embedder)
    index.catalog.close()
    return index


def test_a_damaged_catalog_is_one_clear_line_and_repair_rebuilds_it_from_the_sources(ingested, settings):
    before = ingested.catalog.chunk_ids()
    path = ingested.catalog.path
    data = bytearray(path.read_bytes())
    data[4096:] = b"\x00garbage" * ((len(data) - 4096) // 8)
    path.write_bytes(bytes(data[: len(data) // 2]))
    env = cli_env(settings)

    asked = subprocess.run(cli("ask", "渠县测试产业到2026年规模要达到多少？"), env=env, capture_output=True, text=True, timeout=300)
    assert asked.returncode == 2
    error = asked.stderr.strip()
    assert error.startswith(f"错误：the catalog {path} is damaged") and "run `policyqa repair`" in error
    assert "\n" not in error

    repaired = subprocess.run(cli("repair"), env=env, capture_output=True, text=True, timeout=600)
    assert repaired.returncode == 0, repaired.stderr
    assert "修复完成：2 份文件，重新嵌入 0 块" in repaired.stdout, repaired.stdout
    assert list(path.parent.glob("catalog.sqlite3.damaged-*")), "the damaged file is kept aside"

    asked = subprocess.run(cli("ask", "渠县测试产业到2026年规模要达到多少？"), env=env, capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    assert "80亿元" in asked.stdout
    index = PolicyIndex(settings)
    assert index.catalog.chunk_ids() == before == index.store.ids()
    assert index.catalog.catalog_id == ingested.catalog.catalog_id, "same catalog id: same collection"


def test_lost_vectors_are_named_on_open_and_repair_embeds_them_again(ingested, settings, embedder):
    lost = sorted(ingested.catalog.chunk_ids())[:3]
    ingested.store.delete(lost)
    with pytest.raises(StoreMismatch, match=r"lacks 3 of the catalog's \d+ chunks .*run `policyqa --data-dir .* repair`"):
        PolicyIndex(settings)
    report = repair(settings, lambda: embedder)
    assert (report.damage, report.reembedded, report.orphans) == ("", 3, 0)
    index = PolicyIndex(settings)
    assert index.store.ids() == index.catalog.chunk_ids()


def test_orphan_vectors_are_dropped_by_repair_and_never_shown(ingested, settings, embedder):
    import numpy as np

    ingested.store.upsert(["orphan-1"], np.ones((1, embedder.dimension), dtype=np.float32),
                          [{"doc_id": "gone", "clause_path": "一、"}])
    reader = PolicyIndex(settings)  # orphans alone do not stop a reader: the catalog never lists them
    assert "orphan-1" in reader.store.ids() and not reader.keywords().fetch(["orphan-1"])
    report = repair(settings, lambda: embedder)
    assert report.orphans == 1 and "orphan-1" not in PolicyIndex(settings).store.ids()
