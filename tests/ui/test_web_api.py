"""The app as a program uses it: gradio_client against the running app of tests/ui/conftest.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import SAMPLE_NOTICE

README = Path(__file__).resolve().parents[2] / "README.md"
PUBLIC = {"/ask", "/lookup", "/industry", "/documents", "/upload", "/remove"}


@pytest.fixture(scope="module")
def client(web):
    from gradio_client import Client

    return Client(web.url, verbose=False)


def test_only_the_named_endpoints_are_public_and_remove_has_no_default(client):
    info = client.view_api(return_format="dict", print_info=False)
    assert set(info["named_endpoints"]) == PUBLIC and not info["unnamed_endpoints"]
    [parameter] = info["named_endpoints"]["/remove"]["parameters"]
    assert parameter["parameter_name"] == "document" and not parameter["parameter_has_default"]
    with pytest.raises(Exception, match="document"):
        client.predict(api_name="/remove")
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="文件库中没有“不存在的文件”"):
        client.predict("不存在的文件", api_name="/remove")


def test_ask_returns_json_with_citations_and_confidence(client):
    answer = client.predict("百日攻坚第三季什么时候结束？", api_name="/ask")
    assert answer["refused"] is False and 0 < answer["confidence"] <= 1 and answer["support"].startswith("依据")
    [first, *_] = answer["citations"]
    assert first["doc_number"] == "达市府办函〔2023〕53号" and first["clause_path"] == "三、"
    assert "2023年9月5日结束" in first["quote"] and first["url"].startswith("?doc=")
    refused = client.predict("达州市2024年的房地产税税率是多少？", api_name="/ask")
    assert refused["refused"] and not refused["citations"] and refused["nearest"]
    scoped = client.predict("重点承接哪些产业？", ["川办发〔2022〕67号"], api_name="/ask")
    assert all(c["doc_number"] == "川办发〔2022〕67号" for c in scoped["citations"] + scoped["nearest"])


def test_lookup_industry_and_documents(client):
    found = client.predict("川办发〔2022〕67号 （七）", api_name="/lookup")
    assert found["clauses"][0]["clause_path"].endswith("（七）") and found["clauses"][0]["lead_unit"]
    industry = client.predict("服装", api_name="/industry")
    assert "服饰" in industry["terms"] and industry["hits"]
    documents = client.predict(api_name="/documents")
    assert {d["doc_number"] for d in documents} >= {"川办发〔2022〕67号", "达市府办函〔2023〕53号"}


def test_upload_then_remove_through_the_api(client, tmp_path):
    from gradio_client import handle_file

    notice = tmp_path / "api通知.txt"
    notice.write_text(SAMPLE_NOTICE.replace("〔2024〕9号", "〔2024〕77号"), encoding="utf-8")
    outcome = client.predict([handle_file(notice)], api_name="/upload")
    assert "新增 1" in outcome["message"]
    added = next(d for d in outcome["documents"] if d["doc_number"] and d["doc_number"].endswith("〔2024〕77号"))
    removed = client.predict(added["doc_number"], api_name="/remove")
    assert removed["removed"] == added["doc_id"] and "已移除" in removed["message"]
    assert added["doc_id"] not in {d["doc_id"] for d in client.predict(api_name="/documents")}


def test_the_readme_example_runs_against_the_app(web, capsys):
    """The README's gradio_client example, run as written (only the address changed)."""
    section = README.read_text(encoding="utf-8").split("### API for programs", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    exec(compile(code.replace("http://127.0.0.1:7860/", web.url), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "达市府办函〔2023〕53号" in printed and "三、" in printed
