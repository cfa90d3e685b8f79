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
