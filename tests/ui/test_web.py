"""问答 in a real browser: answers with followable citations, sources kept per answer, refusals,
conversations that survive a reload, feedback. Debian's chromium driven by Playwright against the app
of tests/ui/conftest.py."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from tests.ui.conftest import ask, needs_chromium, tab

pytestmark = needs_chromium


def _shot(page, tmp_path, name):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))
    if target := os.environ.get("POLICYQA_SCREENSHOTS"):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def test_citations_are_links_to_their_own_answers_sources(open_page, tmp_path):
    page = open_page()
    ask(page, "百日攻坚第三季什么时候结束？")
    ask(page, "南充—达州组团重点承接哪些产业？")
    first = page.locator("#pq-chat .pq-answer").nth(0)
    assert "2023年9月5日结束" in first.inner_text() and "依据" in first.inner_text()  # support shown
    link = first.locator("a.pq-cite").first
    query = parse_qs(urlparse(link.get_attribute("href")).query)
    assert query["path"] == ["三、"] and query["doc"] and "2023年9月5日结束" in query["q"][0]
    # the panel shows the latest answer's sources; the first answer's link brings its own back
    assert "第 2 问" in page.inner_text("#pq-sources") and "第 1 问" not in page.inner_text("#pq-sources")
    link.click()
    panel = page.inner_text("#pq-sources")
    assert "第 1 问" in panel and "达市府办函〔2023〕53号" in panel
    mark = page.locator("#pq-sources .pq-current mark").first
    assert mark.is_visible() and "2023年9月5日结束" in mark.inner_text()
    # clicking the second answer's text shows its sources again
    page.locator("#pq-chat .pq-answer").nth(1).click(position={"x": 5, "y": 5})
    assert "第 2 问" in page.inner_text("#pq-sources")
    _shot(page, tmp_path, "qa")


def test_a_citation_address_opens_the_clause_in_lookup(open_page):
    page = open_page()
    ask(page, "百日攻坚第三季什么时候结束？")
    href = page.locator("#pq-chat a.pq-cite").first.get_attribute("href")
    other = open_page(href)
    other.wait_for_function("() => (document.querySelector('#pq-browsed')?.innerText || '').includes('工作步骤')",
                          timeout=60_000)
    assert other.get_by_role("tab", name="条款查询").get_attribute("aria-selected") == "true"
    assert "2023年9月5日结束" in other.locator("#pq-browsed mark").inner_text()


def test_follow_up_question_and_trash_icon_forgets_its_context(open_page):
    page = open_page()
    ask(page, "主攻重点方向、突出招大引强这项任务是怎么要求的？")
    ask(page, "那它的牵头部门呢？")
    assert "牵头单位：市经济合作外事局" in page.inner_text("#pq-chat")
    page.locator("#pq-chat button[aria-label='清空对话']").click()
    page.wait_for_function("() => !document.querySelector('#pq-sources .pq-group')", timeout=10_000)
    ask(page, "那它的牵头部门呢？", answers_before=0)
    assert "请先说明您指的是哪一项" in page.inner_text("#pq-chat")  # no hidden context survived the trash icon


def test_refusal_says_so_and_lists_nearest_clauses_not_sources(open_page):
    page = open_page()
    ask(page, "达州市2024年的房地产税税率是多少？")
    answer = page.locator("#pq-chat .pq-answer").last
    assert "未能回答" in answer.inner_text()
    assert "来源（" not in answer.inner_html() and "不是回答的依据" in page.inner_text("#pq-sources")


def test_empty_input_gets_a_message(open_page):
    page = open_page()
    page.click("#pq-send")
    page.wait_for_function("() => document.querySelector('#pq-chat').innerText.includes('请输入问题')", timeout=30_000)


def test_conversations_survive_a_reload_and_are_listed_exported_and_deleted(open_page, tmp_path):
    page = open_page()
    ask(page, "十四五期间制造业投资额目标是多少？")
    page.reload()
    page.wait_for_selector("#pq-chat .pq-answer", timeout=60_000)  # kept in the browser
    assert "第 1 问" in page.inner_text("#pq-sources")
    with page.expect_download() as download:
        page.click("#pq-export")
        page.locator("#pq-exported a").first.click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert exported.startswith("# 政策文件问答") and "十四五期间制造业投资额目标是多少？" in exported and "“" in exported
    page.click("#pq-new-chat")
    page.wait_for_function("() => !document.querySelector('#pq-chat .pq-answer')", timeout=10_000)
    ask(page, "百日攻坚第三季什么时候结束？")
    page.click("#pq-chat-list input")
    options = page.get_by_role("option").all_inner_texts()
    assert any("十四五期间" in o for o in options) and any("百日攻坚" in o for o in options)
    page.get_by_role("option", name="十四五期间", exact=False).first.click()
    page.wait_for_function("() => document.querySelector('#pq-chat').innerText.includes('十四五期间')", timeout=10_000)
    page.click("#pq-delete-chat")
    page.wait_for_function("() => document.querySelector('#pq-chat').innerText.includes('百日攻坚')", timeout=10_000)
    page.reload()
    page.wait_for_selector("#pq-chat .pq-answer", timeout=60_000)
    assert "十四五期间" not in page.inner_text("#pq-chat")


def test_feedback_with_comment_is_stored_shown_and_exported(open_page, web):
    page = open_page()
    ask(page, "南充—达州组团重点承接哪些产业？")
    page.locator("#pq-chat button[aria-label='没用']").last.click()
    page.wait_for_selector("#pq-feedback-comment textarea", timeout=10_000)
    page.fill("#pq-feedback-comment textarea", "应列出全部承接产业")
    page.click("#pq-feedback-send")
    page.wait_for_function("() => document.querySelector('#pq-feedback-note').innerText.includes('已收到')")
    tab(page, "评测")
    page.click("#pq-eval-refresh")
    page.wait_for_function("() => document.querySelector('#pq-feedback').innerText.includes('应列出全部承接产业')",
                           timeout=10_000)
    with page.expect_download() as download:
        page.click("#pq-feedback-export")
        page.locator("#pq-feedback-file a").first.click()
    lines = [json.loads(line) for line in Path(download.value.path()).read_text(encoding="utf-8").splitlines()]
    mine = [line for line in lines if line["question"] == "南充—达州组团重点承接哪些产业？"]
    assert mine and set(mine[0]) >= {"id", "split", "category", "question", "answer", "gold", "answerable"}
    assert "应列出全部承接产业" in mine[0]["review"]
