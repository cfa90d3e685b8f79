"""Server mode: the same ingest, answers and repair against real `chroma run` servers on 127.0.0.1."""

import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from ingest.errors import StoreMismatch
from ingest.index import PolicyIndex
from ingest.pipeline import ingest
from ingest.repair import repair
from ingest.settings import Settings
from tests.helpers import SAMPLE_NOTICE, cli, cli_env, county_notice, free_port


@contextmanager
def _server(folder: Path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    process = subprocess.Popen([chroma, "run", "--path", str(folder), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def chroma_server(tmp_path):
    with _server(tmp_path / "server") as url:
        yield url


def test_ingest_into_a_chroma_server(chroma_server, tmp_path, settings, embedder):
    (tmp_path / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    index = PolicyIndex(settings, create=True, chroma_url=chroma_server)
    report = ingest([tmp_path / "notice.txt"], settings, index, embedder)
    assert report.count("added") == 1
    assert index.store.count() == report.total_chunks > 0
    hits = index.nearest(embedder.embed_query("无人机测试场建在哪里"), k=2)
    assert hits[0].clause_path == "二、（一）" and 0 < hits[0].score <= 1
    assert index.keywords().fetch([hits[0].chunk_id])[hits[0].chunk_id].text.startswith("（一）培育无人机测试基地")
    info = index.store.info()
    assert (info["embedding_model"], info["dimension"]) == (embedder.name, embedder.dimension)
    assert info["catalog_id"] in index.collection_name and info["generation"] == index.catalog.state().generation


def _folder(tmp_path, name, notices):
    folder = tmp_path / name
    folder.mkdir()
    for file, text in notices.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def test_two_data_folders_on_one_server_never_share_or_prune_each_other(chroma_server, tmp_path, embedder, settings):
    first = Settings(data_dir=tmp_path / "first", cache_dir=settings.cache_dir)
    second = Settings(data_dir=tmp_path / "second", cache_dir=settings.cache_dir)
    notice = county_notice("宣汉县", 50, 3, "宣府办发〔2024〕1号")
    ingest([_folder(tmp_path, "a", {"notice.txt": notice})], first, PolicyIndex(first, create=True, chroma_url=chroma_server), embedder)
    folder = _folder(tmp_path, "b", {"notice.txt": notice, "other.txt": county_notice("渠县", 80, 5, "渠府办发〔2024〕2号")})
    ingest([folder], second, PolicyIndex(second, create=True, chroma_url=chroma_server), embedder)
    (folder / "notice.txt").unlink()
    (folder / "other.txt").unlink()
    report = ingest([folder], second, PolicyIndex(second, create=True, chroma_url=chroma_server), embedder, prune=True)
    assert report.count("removed") == 2

    one, two = PolicyIndex(first, chroma_url=chroma_server), PolicyIndex(second, chroma_url=chroma_server)
    assert one.collection_name != two.collection_name
    assert one.store.ids() == one.catalog.chunk_ids() and len(one.store.ids()) > 0
    assert two.store.count() == 0 and not two.documents()


def test_an_existing_folder_on_an_empty_server_says_what_to_run_and_repair_fills_it(tmp_path, settings, embedder):
    folder = _folder(tmp_path, "docs", {"notice.txt": county_notice("渠县", 80, 5, "渠府办发〔2024〕2号")})
    with _server(tmp_path / "old-server") as old:
        ingest([folder], settings, PolicyIndex(settings, create=True, chroma_url=old), embedder)
    with _server(tmp_path / "new-server") as new:
        with pytest.raises(StoreMismatch, match=rf"{new} has no collection policyqa-.* for the \d+ chunks of this "
                                                rf"catalog: run `policyqa --chroma-url {new} --data-dir .* repair`"):
            PolicyIndex(settings, chroma_url=new)
        with pytest.raises(StoreMismatch, match="repair"):
            ingest([folder], settings, PolicyIndex(settings, create=True, chroma_url=new), embedder)
        report = repair(settings, lambda: embedder, chroma_url=new)
        assert report.reembedded == PolicyIndex(settings, chroma_url=new).catalog.state().chunk_count > 0

        env = cli_env(settings)
        asked = subprocess.run(cli("ask", "--chroma-url", new, "渠县测试产业到2026年规模要达到多少？"), env=env,
                               capture_output=True, text=True, timeout=300)
        assert asked.returncode == 0, asked.stderr
        assert "80亿元" in asked.stdout


def test_chroma_url_needs_a_scheme_and_is_one_line(tmp_path, settings):
    env = cli_env(settings)
    for args in (["--chroma-url", "127.0.0.1:8000", "ask", "问题"], ["ask", "问题", "--chroma-url", "localhost"]):
        run = subprocess.run(cli(*args), env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 2
        assert run.stderr.strip().startswith("错误：--chroma-url ") and "e.g. http://127.0.0.1:8000" in run.stderr
        assert "\n" not in run.stderr.strip()
