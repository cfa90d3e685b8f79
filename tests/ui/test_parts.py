"""The web app's parts on their own (no server, no browser): reasons in Chinese, chat records,
citations and their Markdown, feedback storage and export, the page script middleware."""

from __future__ import annotations

import asyncio
import json

import pytest

from ui import citations
from ui.chat import answer_number, context_of, conversation_of
from ui.feedback import FeedbackStore
from ui.i18n import PageScript
from ui.reasons import REASON_RULES, in_chinese, without_paths


@pytest.mark.parametrize("reason, expected", [
    ("empty file (0 bytes)", "空文件（0 字节）。"),
    ("too large (61.2 MB > 50 MB): split it or raise POLICYQA_MAX_FILE_MB", "文件过大（61.2 MB，超过 50 MB 的上限）"),
    ("no text layer (3 pages): it looks scanned; OCR it first", "PDF 没有文字层（3 页）"),
    ("encrypted PDF (password protected): remove the password and add it again", "PDF 有密码保护"),
    ("unsupported file type '.xls': export it", "不支持的文件类型 .xls"),
])
def test_ingest_reasons_read_in_chinese(reason, expected):
    assert in_chinese(reason).startswith(expected)


def test_an_unknown_reason_keeps_no_server_path():
    text = in_chinese("strange failure in /srv/policyqa/data/uploads/通知.txt while reading")
    assert "/srv" not in text and "通知.txt" in text
    assert without_paths("see /tmp/gradio/abc/x.pdf") == "see x.pdf"
    assert all(chinese and not chinese.isascii() for _, chinese in REASON_RULES)


def test_answer_records_round_trip_through_the_index(web):
    assistant = web.assistant  # the assistant of the app this folder's tests share
    answer, state = assistant.ask("百日攻坚第三季什么时候结束？")
    kept = json.loads(json.dumps(citations.record(answer)))  # what the browser stores is JSON
    shown = citations.resolve(assistant, 1, kept)
    assert [c.quote for c in shown.citations] == [c.quote for c in answer.citations]
    message = citations.answer_message(shown)
    assert answer_number(message) == 1 and "pq-cite pq-a-1 pq-n-1" in message and "依据" in message
    assert conversation_of({"context": json.loads(json.dumps(context_of(state)))}) == state
    kept["citations"][0]["doc_id"] = "removed-document"
    gone = citations.resolve(assistant, 1, kept)
    assert not gone.citations and "该文件已从文件库移除" in citations.sources_block(gone)
    markdown = citations.markdown_export("对话", [shown])
    assert "达市府办函〔2023〕53号" in markdown and f"“{answer.citations[0].quote}”" in markdown


def test_feedback_is_stored_and_exported_as_evaluation_questions(tmp_path, web):
    assistant = web.assistant
    answer, _ = assistant.ask("百日攻坚第三季什么时候结束？")
    store = FeedbackStore(tmp_path / "web" / "feedback.sqlite3")
    good = store.add(citations.record(answer), helpful=True)
    bad = store.add({**citations.record(answer), "question": "第三季分几个阶段？"}, helpful=False)
    store.comment(bad, "没有说明阶段")
    assert store.counts() == (1, 1) and store.rows()[0]["comment"] == "没有说明阶段"
    out = tmp_path / "feedback.jsonl"
    assert store.export_questions(out) == 2
    first, second = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert first["id"] == f"FB{good:04d}" and first["gold"][0]["clause_path"] == "三、" and first["answer"]
    assert second["answer"] == "" and "没有说明阶段" in second["review"]


def test_the_page_script_goes_into_the_app_page_only():
    async def app(scope, receive, send):
        kind = b"text/html; charset=utf-8" if scope["path"].endswith("/") else b"text/html"
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", kind), (b"content-length", b"30")]})
        await send({"type": "http.response.body", "body": b'<html lang="en"><head></head>'})

    async def fetch(path):
        sent = []

        async def send(message):
            sent.append(message)

        await PageScript(app, script="MARK")({"type": "http", "method": "GET", "path": path, "root_path": ""}, None, send)
        return b"".join(m.get("body", b"") for m in sent)

    page = asyncio.run(fetch("/"))
    assert page.startswith(b'<html lang="zh-CN"><head><script>MARK</script>')
    assert b"MARK" not in asyncio.run(fetch("/gradio_api/file=x.html"))
