"""The web app in a real browser: Debian's chromium driven by Playwright, against the real app."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import free_port, corpus_file, make_pdf

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed: run scripts/test.sh")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-default-apps"]



@pytest.fixture(scope="module")
def app_url(tmp_path_factory, model_cache, embedder):
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest
    from ingest.settings import Settings
    from rag.assistant import Assistant
    from ui.app import serve

    root = tmp_path_factory.mktemp("web")
    docs = root / "docs"
    docs.mkdir()
    for prefix in ("达市府办发", "川办发", "达市府办函"):
        shutil.copy(corpus_file(prefix), docs / corpus_file(prefix).name)
    settings = Settings(data_dir=root / "data", cache_dir=model_cache)
    index = PolicyIndex(settings, create=True)
    ingest([docs], settings, index, embedder)
    assistant = Assistant(settings, index=index, embedder=embedder)
    port = free_port()
    demo = serve(assistant, "127.0.0.1", port, report_dir=root / "reports", block=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("#pq-question textarea", timeout=60_000)
    yield page
    context.close()


def _shot(page, tmp_path, name):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if target := os.environ.get("POLICYQA_SCREENSHOTS"):
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def _ask(page, question):
    page.fill("#pq-question textarea", question)
    page.click("#pq-send")
    page.wait_for_function(
        "(q) => { const bot = document.querySelectorAll('#pq-chat .message-row'); "
        "return document.querySelector('#pq-chat').innerText.includes('来源') "
        "|| document.querySelector('#pq-chat').innerText.includes('未能回答'); }", arg=question, timeout=60_000)


def _tab(page, name):
    page.get_by_role("tab", name=name).click()


def test_question_with_citation_and_highlighted_quote(page, tmp_path):
    _ask(page, "百日攻坚第三季什么时候结束？")
    chat = page.inner_text("#pq-chat")
    assert "2023年9月5日结束" in chat and "达市府办函〔2023〕53号" in chat
    summary = page.locator("#pq-source-1 summary")
    summary.click()  # close, then open again: the source opens to the clause
    summary.click()
    mark = page.locator("#pq-source-1 mark")
    assert mark.is_visible() and "2023年9月5日结束" in mark.inner_text()
    _shot(page, tmp_path, "qa")


def test_follow_up_question(page):
    _ask(page, "主攻重点方向、突出招大引强这项任务是怎么要求的？")
    page.fill("#pq-question textarea", "那它的牵头部门呢？")
    page.click("#pq-send")
    page.wait_for_function("() => document.querySelector('#pq-chat').innerText.includes('牵头单位：市经济合作外事局')",
                           timeout=60_000)


def test_empty_input_gets_a_message(page):
    page.click("#pq-send")
    page.wait_for_function("() => document.querySelector('#pq-chat').innerText.includes('请输入问题')", timeout=30_000)


def test_clause_lookup(page, tmp_path):
    _tab(page, "条款查询")
    page.fill("#pq-citation textarea", "川办发〔2022〕67号 （七）")
    page.click("#pq-find")
    page.wait_for_function("() => document.querySelector('#pq-found').innerText.includes('以南充—达州组团为支点')",
                           timeout=30_000)
    found = page.inner_text("#pq-found")
    assert "省经济合作局（牵头）" in found
    _shot(page, tmp_path, "lookup")


def test_industry_query_and_csv(page, tmp_path):
    _tab(page, "产业查询")
    page.fill("#pq-term textarea", "锂电")
    page.click("#pq-industry-search")
    page.wait_for_function("() => document.querySelector('#pq-industry-summary').innerText.includes('共')",
                           timeout=30_000)
    assert "锂电" in page.inner_text("#pq-industry-table")
    with page.expect_download() as download:
        page.click("#pq-industry-csv")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("文件,文号,状态,层级,地区,条款,原文") and "锂电材料及电芯制造" in content
    _shot(page, tmp_path, "industry")


def test_upload_a_pdf_then_get_an_answer_cited_to_it(page, tmp_path):
    pdf = make_pdf(tmp_path / "氢能通知.pdf", [
        "达州市人民政府办公室\n关于印发达州市氢能产业试点工作方案的通知\n达市府办发〔2024〕21号\n"
        "一、试点目标\n到2026年，建成加氢站5座。",
        "二、重点任务\n（一）建设氢能示范园区。在宣汉县布局氢燃料电池生产基地。（责任单位：市经信局、市发展改革委）",
    ])
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    _tab(page, "文件库")
    page.set_input_files("#pq-upload input[type=file]", [str(pdf), str(bad)])
    page.wait_for_timeout(1500)
    page.click("#pq-add")
    page.wait_for_function("() => document.querySelector('#pq-library-status').innerText.includes('新增 1')",
                           timeout=120_000)
    status = page.inner_text("#pq-library-status")
    assert "已拒收 empty.txt" in status
    assert "达州市氢能产业试点工作方案" in page.inner_text("#pq-library")
    _shot(page, tmp_path, "library")
    _tab(page, "问答")
    _ask(page, "氢燃料电池生产基地布局在哪个县？")
    chat = page.inner_text("#pq-chat")
    assert "宣汉县" in chat and "达市府办发〔2024〕21号" in chat and "第2页" in chat


def test_evaluation_tab_empty_state(page, tmp_path):
    _tab(page, "评测")
    page.wait_for_timeout(500)
    assert "还没有评测报告" in page.inner_text("body")
    _shot(page, tmp_path, "eval")


def test_no_files_outside_the_data_folder(app_url):
    import urllib.error
    import urllib.request

    for path in ("gradio_api/file=/etc/passwd", "file=/etc/passwd", "gradio_api/file=pyproject.toml"):
        try:
            with urllib.request.urlopen(app_url + path, timeout=10) as response:
                body = response.read().decode("utf-8", "replace")
            assert "root:" not in body and "[project]" not in body
        except urllib.error.HTTPError as error:
            assert error.code in (403, 404)
