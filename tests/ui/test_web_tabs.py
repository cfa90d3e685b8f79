"""条款查询, 产业查询, 文件库 and 评测 in a real browser (the app of tests/ui/conftest.py).

The library test uploads its own documents and removes them again, so the others see the corpus."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_pdf
from tests.ui.conftest import ask, needs_chromium, tab
from tests.ui.test_web import _shot

pytestmark = needs_chromium
NOTICE_PAGES = [
    "达州市人民政府办公室\n关于印发达州市氢能产业试点工作方案的通知\n达市府办发〔2024〕21号\n"
    "一、试点目标\n到2026年，建成加氢站5座。",
    "二、重点任务\n（一）建设氢能示范园区。在宣汉县布局氢燃料电池生产基地。（责任单位：市经信局、市发展改革委）",
]


def test_clause_lookup(open_page, tmp_path):
    page = open_page()
    tab(page, "条款查询")
    page.fill("#pq-citation textarea", "川办发〔2022〕67号 （七）")
    page.click("#pq-find")
    page.wait_for_function("() => document.querySelector('#pq-found').innerText.includes('以南充—达州组团为支点')",
                           timeout=30_000)
    assert "省经济合作局（牵头）" in page.inner_text("#pq-found")
    _shot(page, tmp_path, "lookup")


def test_industry_query_by_prefix_and_related_words_with_marks_and_csv(open_page, tmp_path):
    page = open_page()
    tab(page, "产业查询")
    page.fill("#pq-term textarea", "锂")
    page.click("#pq-industry-search")
    page.wait_for_function("() => document.querySelector('#pq-industry-summary').innerText.includes('共')",
                           timeout=60_000)
    summary = page.inner_text("#pq-industry-summary")
    assert "锂电" in summary  # the longer words found in the documents are named
    marks = page.locator("#pq-industry-table mark").all_inner_texts()
    assert marks and all("锂" in m for m in marks) and "锂电池" in marks
    places = page.locator("#pq-industry-table tbody td:nth-child(5)").all_inner_texts()
    assert places and not any("的" in p for p in places)  # real place names, not fragments
    page.fill("#pq-term textarea", "服装")
    page.click("#pq-industry-search")
    page.wait_for_function("() => document.querySelector('#pq-industry-summary').innerText.includes('服饰')",
                           timeout=60_000)
    assert "服饰" in page.locator("#pq-industry-table mark").all_inner_texts()
    with page.expect_download() as download:
        page.click("#pq-industry-csv")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("文件,文号,状态,层级,地区,条款,原文") and "服饰" in content
    _shot(page, tmp_path, "industry")


def _documents(page, selector: str) -> list[str]:
    page.click(f"{selector} input")
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def test_library_changes_reach_every_session_and_removal_asks_first(open_page, browser, web, tmp_path):
    pdf = make_pdf(tmp_path / "氢能通知.pdf", NOTICE_PAGES)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    watcher = open_page()  # a second person, with the page open since before the upload
    page = open_page()
    tab(page, "文件库")
    assert page.input_value("#pq-removable input") == ""  # nothing preselected for removal
    page.click("#pq-remove")
    page.wait_for_function("() => document.querySelector('#pq-library-status').innerText.includes('请先')")
    page.set_input_files("#pq-upload input[type=file]", [str(pdf), str(bad)])
    page.wait_for_selector("#pq-upload .file-preview, #pq-upload table", timeout=30_000)
    page.click("#pq-add")
    page.wait_for_function("() => document.querySelector('#pq-library-status').innerText.includes('新增 1')",
                           timeout=120_000)
    status = page.inner_text("#pq-library-status")
    assert "已拒收 empty.txt：空文件（0 字节）" in status and "/" not in status.split("empty.txt")[1]
    assert "达州市氢能产业试点工作方案" in page.inner_text("#pq-library")
    _shot(page, tmp_path, "library")

    # the other session sees it without reloading: library, 条款查询's list and the QA scope filter
    tab(watcher, "文件库")
    watcher.wait_for_function("() => document.querySelector('#pq-library').innerText.includes('氢能产业试点')",
                              timeout=30_000)
    tab(watcher, "问答")
    assert any("氢能产业试点" in o for o in _documents(watcher, "#pq-scope"))
    tab(watcher, "条款查询")
    assert any("氢能产业试点" in o for o in _documents(watcher, "#pq-browse-doc"))
    fresh = open_page()
    tab(fresh, "文件库")
    assert "氢能产业试点" in fresh.inner_text("#pq-library")

    # an answer cited to the PDF, and its original page with the quote marked
    tab(page, "问答")
    ask(page, "氢燃料电池生产基地布局在哪个县？")
    chat = page.inner_text("#pq-chat")
    assert "宣汉县" in chat
    href = page.locator("#pq-chat a.pq-cite").first.get_attribute("href")
    clause = open_page(href)
    clause.wait_for_selector("#pq-page-image img", timeout=60_000)
    # the element is there before its picture has loaded: wait for the rendered page itself
    clause.wait_for_function("() => (document.querySelector('#pq-page-image img') || {}).naturalWidth > 500",
                             timeout=30_000)

    # removal from the other session: it names the document and waits for a confirmation
    tab(watcher, "文件库")
    watcher.click("#pq-removable input")
    watcher.get_by_role("option", name="氢能产业试点", exact=False).first.click()
    watcher.click("#pq-remove")
    watcher.wait_for_selector("#pq-confirm-text", state="visible")
    assert "达州市氢能产业试点工作方案" in watcher.inner_text("#pq-confirm-text")
    watcher.click("#pq-confirm-no")
    assert "氢能产业试点" in watcher.inner_text("#pq-library")
    watcher.click("#pq-remove")
    watcher.click("#pq-confirm-yes")
    watcher.wait_for_function("() => document.querySelector('#pq-library-status').innerText.includes('已移除')",
                              timeout=60_000)
    page.wait_for_function("() => !document.querySelector('#pq-library').innerText.includes('氢能产业试点')",
                           timeout=30_000)
    watcher.click("#pq-undo")  # a removal can be taken back: the original was kept aside
    watcher.wait_for_function("() => document.querySelector('#pq-library-status').innerText.includes('已撤销')",
                              timeout=120_000)
    assert "氢能产业试点" in watcher.inner_text("#pq-library")
    assert list((web.settings.data_dir / "uploads").glob(f"*/{pdf.name}"))  # back under its content hash
    from gradio_client import Client

    Client(web.url, verbose=False).predict("达市府办发〔2024〕21号", api_name="/remove")  # leave the corpus as it was


def test_evaluation_tab_reads_the_data_folders_report_with_date_and_failing_questions(open_page, web):
    from eval.dataset import load_questions
    from eval.report import write
    from eval.runner import evaluate

    questions = [q for q in load_questions() if q.collection == "corpus"][:4]
    report = evaluate(web.assistant, questions, baselines=False)
    write(report, web.report_dir)
    page = open_page()
    tab(page, "评测")
    page.click("#pq-eval-refresh")
    page.wait_for_function("() => document.querySelector('#pq-eval-report').innerText.includes('运行于')",
                           timeout=30_000)
    text = page.inner_text("#pq-eval-report")
    for question_id in report["failed"]:
        item = next(q for q in report["questions"] if q["id"] == question_id)
        assert item["question"] in text
    assert page.locator("#pq-eval-chart img").count() == 1
