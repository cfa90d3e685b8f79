"""Server mode: the same ingest and lookup against a real `chroma run` server on 127.0.0.1."""

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.index import PolicyIndex
from ingest.pipeline import ingest
from tests.helpers import free_port, SAMPLE_NOTICE



@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    process = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
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


def test_ingest_into_a_chroma_server(chroma_server, tmp_path, settings, embedder):
    (tmp_path / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    index = PolicyIndex(settings, create=True, chroma_url=chroma_server)
    report = ingest([tmp_path / "notice.txt"], settings, index, embedder)
    assert report.count("added") == 1
    assert index.store.count() == report.total_chunks > 0
    hits = index.store.query(embedder.embed_query("无人机测试场建在哪里"), k=2)
    assert hits[0].clause_path == "二、（一）" and 0 < hits[0].score <= 1
    assert index.keywords().fetch([hits[0].chunk_id])[hits[0].chunk_id].text.startswith("（一）培育无人机测试基地")
