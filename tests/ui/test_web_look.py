"""How the app reads: light and dark (following the OS), a phone, and Chinese whatever the browser's
language. Contrast is measured on the computed colours (WCAG 2), not assumed."""

from __future__ import annotations

import pytest

from tests.ui.conftest import PHONE, ask, contrast, needs_chromium, tab

pytestmark = needs_chromium
READABLE = 4.5  # WCAG AA for body text
PANELS = ["#pq-sources .pq-current summary", "#pq-sources .pq-clause", "#pq-sources mark", "#pq-chat .pq-badge",
          "#pq-chat .pq-answer"]


def _assert_readable(page, selectors):
    for selector in selectors:
        measured = contrast(page, selector)
        assert measured, f"nothing visible for {selector}"
        worst = min(measured, key=lambda m: m["ratio"])
        assert worst["ratio"] >= READABLE, f"{selector}: {worst}"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_custom_panels_are_readable_in_light_and_dark_mode(open_page, dark, tmp_path):
    page = open_page(dark=dark)
    assert page.evaluate("!!document.querySelector('.dark')") == dark  # gradio followed the OS, no flag
    ask(page, "百日攻坚第三季什么时候结束？")
    _assert_readable(page, PANELS)
    tab(page, "条款查询")
    page.fill("#pq-citation textarea", "川办发〔2022〕67号 （七）")
    page.click("#pq-find")
    page.wait_for_selector("#pq-found .pq-source", timeout=30_000)
    _assert_readable(page, ["#pq-found .pq-source", "#pq-found .pq-clause", "#pq-found .pq-lead"])
    tab(page, "产业查询")
    page.fill("#pq-term textarea", "无人机")
    page.click("#pq-industry-search")
    page.wait_for_selector("#pq-industry-table td", timeout=60_000)
    _assert_readable(page, ["#pq-industry-table td", "#pq-industry-table th", "#pq-industry-table mark"])
    tab(page, "文件库")
    _assert_readable(page, ["#pq-library td"])
    page.screenshot(path=str(tmp_path / f"library-{'dark' if dark else 'light'}.png"))


def test_gradio_strings_are_chinese_for_a_browser_set_to_english(open_page):
    page = open_page(locale="en-US")
    ask(page, "百日攻坚第三季什么时候结束？")
    labels = page.evaluate("() => [...document.querySelectorAll('#pq-chat button')].map(b => b.getAttribute('aria-label'))")
    assert "复制" in labels and "清空对话" in labels
    assert not any(label and label.isascii() for label in labels), labels
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    # what gradio writes in English past its tables (the connection-lost notice) is put in Chinese too
    page.evaluate("() => { const d = document.createElement('div'); d.id = 'pq-probe'; "
                  "d.innerHTML = '<b>Connection Lost</b><button aria-label=\"More tabs\"></button>'; "
                  "document.body.appendChild(d); }")
    page.wait_for_function("() => document.querySelector('#pq-probe').innerText.includes('连接已断开')")
    assert page.locator("#pq-probe button").get_attribute("aria-label") == "更多标签页"


def test_phone_layout_sources_under_the_answer_every_tab_and_scrolling_tables(open_page, tmp_path):
    page = open_page(viewport=PHONE)
    ask(page, "百日攻坚第三季什么时候结束？")
    assert not page.locator("#pq-sources").is_visible()  # the side panel gives way to …
    inline = page.locator("#pq-chat .pq-inline-sources").last
    assert inline.is_visible() and "来源（1）" in inline.inner_text()  # … the sources under the answer, folded
    page.locator("#pq-chat a.pq-cite").first.click()
    mark = inline.locator("mark").first
    assert mark.is_visible() and "2023年9月5日结束" in mark.inner_text()
    for name in ("条款查询", "产业查询", "文件库", "评测", "问答"):
        tab(page, name)
        assert page.get_by_role("tab", name=name).get_attribute("aria-selected") == "true"
    tab(page, "产业查询")
    page.fill("#pq-term textarea", "锂电")
    page.click("#pq-industry-search")
    page.wait_for_selector("#pq-industry-table td", timeout=60_000)
    scroll = page.locator("#pq-industry-scroll")
    widths = scroll.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] > widths[1]  # the table scrolls inside its own box …
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # … not the page
    scroll.evaluate("e => e.scrollLeft = e.scrollWidth")
    assert page.locator("#pq-industry-table td.pq-wrap").first.is_visible()  # the 原文 column can be reached
    page.screenshot(path=str(tmp_path / "phone-industry.png"))
