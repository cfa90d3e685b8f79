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
    assert set(rows[0]) == {"id", "answer", "refused", "citations"} and rows[0]["refused"] is False
    assert rows[1]["refused"] is True and "error" in rows[2]


def test_ask_with_filters(corpus_index, corpus_env, capsys):
    import json

    assert main(["ask", "--json", "--status", "draft", "产业集群的产值目标是多少？"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["citations"] and all(c["doc_number"] is None for c in payload["citations"])
    assert main(["ask", "--doc", "不存在的文件", "牵头部门是谁？"]) == 2
    assert "matches no ingested document" in capsys.readouterr().err
