"""The command line: real ingest into tmp folders, errors as one line, exit codes."""

import pytest

from tests.helpers import SAMPLE_NOTICE
from ui.cli import main


@pytest.fixture
def env(monkeypatch, tmp_path, model_cache):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYQA_CACHE_DIR", str(model_cache))
    return tmp_path


def test_ingest_then_lookup(env, capsys):
    (env / "docs").mkdir()
    (env / "docs" / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    (env / "docs" / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(env / "docs")]) == 0
    out = capsys.readouterr()
    assert "新增 1" in out.out and "跳过 1" in out.out
    assert "skipped empty.txt: empty file" in out.err

    assert main(["lookup", "达市府办发〔2024〕9号 （一）"]) == 0
    shown = capsys.readouterr().out
    assert "（一）培育无人机测试基地" in shown
    assert "责任单位：市经信局、市科技局、宣汉县人民政府（牵头：市经信局）" in shown


def test_ingest_with_nothing_usable_fails(env, capsys):
    (env / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(env / "empty.txt")]) == 1


def test_lookup_without_index_is_one_clear_line(env, capsys):
    assert main(["lookup", "川办发〔2022〕67号 （七）"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：no index in") and "policyqa ingest corpus/" in err and "\n" not in err


def test_missing_path(env, capsys):
    assert main(["ingest", str(env / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.fixture
def corpus_env(monkeypatch, corpus_settings):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.setenv("POLICYQA_CACHE_DIR", str(corpus_settings.cache_dir))
    monkeypatch.delenv("POLICYQA_LLM_BASE_URL", raising=False)


def test_ask_readable(corpus_index, corpus_env, capsys):
    assert main(["ask", "百日攻坚第三季什么时候结束？"]) == 0
    out = capsys.readouterr().out
    assert "2023年9月5日结束" in out and "[1] 《达州市制造业招商引资“百日攻坚”行动（第三季）实施方案》" in out


def test_ask_json(corpus_index, corpus_env, capsys):
    import json

    assert main(["ask", "--json", "达市府办函〔2023〕53号 三、（二）"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["refused"] is False and payload["citations"][0]["clause_path"] == "三、（二）"


def test_ask_jsonl_reads_stdin_and_loads_models_once(corpus_index, corpus_env, capsys, monkeypatch):
    import io
    import json

    lines = [{"id": "a", "question": "百日攻坚第三季什么时候结束？"}, {"id": 7, "question": "达州市经信局的局长是谁？"}]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(l, ensure_ascii=False) for l in lines) + "\nnot json\n"))
    assert main(["ask", "--jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, 3]
    assert set(rows[0]) == {"id", "answer", "refused", "confidence", "citations", "nearest", "source", "notice"}
    assert rows[0]["refused"] is False and rows[0]["source"] == "extractive"
    assert rows[1]["refused"] is True and "error" in rows[2]


def test_ask_with_filters(corpus_index, corpus_env, capsys):
    import json

    assert main(["ask", "--json", "--status", "draft", "产业集群的产值目标是多少？"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["citations"] and all(c["doc_number"] is None for c in payload["citations"])
    assert main(["ask", "--doc", "不存在的文件", "牵头部门是谁？"]) == 2
    assert "matches no ingested document" in capsys.readouterr().err


def test_docs_lists_metadata_and_prints_a_clause_tree(env, capsys):
    import json

    (env / "docs").mkdir()
    (env / "docs" / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    assert main(["ingest", str(env / "docs")]) == 0
    capsys.readouterr()
    assert main(["docs", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["title"], row["doc_number"], row["status"], row["source"]) == (
        "达州市测试产业发展工作方案", "达市府办发〔2024〕9号", "正式", "notice.txt")
    assert row["clauses"] >= 3 and row["chunks"] >= 1 and row["kind"] == "方案"
    assert main(["docs", "9号", "--clauses"]) == 2  # not a unique reference: one clear line
    assert capsys.readouterr().err.startswith("错误：no document matches")
    assert main(["docs", "达市府办发〔2024〕9号", "--clauses"]) == 0
    tree = capsys.readouterr().out
    assert "  二、（一） 培育无人机测试基地  〔责任单位：市经信局（牵头）、市科技局、宣汉县人民政府〕" in tree


# ---- errors at the edge: one line `错误：…`, exit code 2 ----------------------------------------

def _one_error_line(capsys) -> str:
    """The error line; anything else on stderr may only be progress bars (model loading), no traceback."""
    err = capsys.readouterr().err
    [line] = [line for line in err.replace("\r", "\n").splitlines() if line.startswith("错误：")]
    assert err.endswith(line + "\n") and "Traceback" not in err, err
    return line


@pytest.mark.parametrize("variable, value, expected", [
    ("POLICYQA_TOP_K", "0", "错误：POLICYQA_TOP_K=0: must be at least 1, got 0 — fix or unset POLICYQA_TOP_K"),
    ("POLICYQA_LLM_TIMEOUT", "abc", "错误：POLICYQA_LLM_TIMEOUT=abc: Input should be a valid number, unable to parse "
                                    "string as a number — fix or unset POLICYQA_LLM_TIMEOUT"),
    ("POLICYQA_AUTH", "admin", "错误：POLICYQA_AUTH (value hidden): must be 'user:password' with both parts non-empty "
                               "(unset it for no login) — fix or unset POLICYQA_AUTH"),
    ("POLICYQA_AUTH", "admin:", "错误：POLICYQA_AUTH (value hidden): must be 'user:password'"),
    ("POLICYQA_AUTH", ":s3cret", "错误：POLICYQA_AUTH (value hidden): must be 'user:password'"),
])
def test_invalid_settings_are_one_line_naming_the_variable(env, capsys, monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    assert main(["docs"]) == 2
    err = _one_error_line(capsys)
    assert err.startswith(expected) and "validation error" not in err
    if variable == "POLICYQA_AUTH":
        assert value.strip(":") not in err  # a password is never echoed


def test_serve_on_a_busy_port_is_one_line_before_anything_loads(env, capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert _one_error_line(capsys) == (f"错误：port {port} on 127.0.0.1 is in use (Address already in use): stop the "
                                       "program that listens on it, or pass another --port")


def test_unreachable_chroma_server_is_one_line(env, capsys):
    from tests.helpers import free_port

    url = f"http://127.0.0.1:{free_port()}"
    (env / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    assert main(["--chroma-url", url, "ingest", str(env / "notice.txt")]) == 2
    err = _one_error_line(capsys)
    assert err.startswith(f"错误：chroma server at {url} is unreachable (") and "start it (`chroma run" in err


@pytest.fixture
def chroma_process(tmp_path):
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from tests.helpers import free_port

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
        yield url, process
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.slow
def test_chroma_server_dying_mid_ingest_is_one_line(env, capsys, monkeypatch, chroma_process):
    import ingest.pipeline

    url, process = chroma_process
    (env / "docs").mkdir()
    (env / "docs" / "a.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    (env / "docs" / "b.txt").write_text(SAMPLE_NOTICE.replace("〔2024〕9号", "〔2024〕10号"), encoding="utf-8")
    real = ingest.pipeline.parse_document

    def server_dies_before_the_second_file(path, *args, **kwargs):
        if path.name == "b.txt":
            process.terminate()
            process.wait(10)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(ingest.pipeline, "parse_document", server_dies_before_the_second_file)
    assert main(["--chroma-url", url, "ingest", str(env / "docs")]) == 2
    err = _one_error_line(capsys)
    assert err.startswith(f"错误：chroma server at {url} is unreachable (ConnectError: ") and "--chroma-url" in err


def test_ask_jsonl_keeps_the_callers_id_and_reports_bad_lines(corpus_index, corpus_env, capsys, monkeypatch):
    import io
    import json

    lines = [json.dumps({"id": "q1"}), json.dumps({"id": "q2", "question": None}), json.dumps({"id": "q3", "question": 5}),
             json.dumps({"id": "q4", "question": "  "}), "[1, 2]",
             json.dumps({"question": "百日攻坚第三季什么时候结束？"}, ensure_ascii=False), "not json"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["ask", "--jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2", "q3", "q4", 5, 6, 7]
    errors = {r["id"]: r["error"] for r in rows if "error" in r}
    assert errors == {
        "q1": 'line 1: "question" is missing: give the question as a non-empty string',
        "q2": 'line 2: "question" is missing: give the question as a non-empty string',  # null is never asked as "None"
        "q3": 'line 3: "question" is int, not text: give the question as a non-empty string',
        "q4": 'line 4: "question" is empty: give the question as a non-empty string',
        5: 'line 5 is not a JSON object: send {"id": …, "question": "…"}',
        7: "line 7 is not JSON (Expecting value): send one JSON object per line",
    }
    assert "2023年9月5日结束" in rows[5]["answer"]
