"""Screenshots of each tab of a running app (for the README): python scripts/screenshots.py URL OUT_DIR

Desktop 1366×900 in light mode, plus the chat in dark mode and on a phone (390×844)."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
QUESTION = "关于南充—达州组团共同承接的产业，省里和达州的说法有什么不同？"


def ask(page, question: str) -> None:
    before = page.locator("#pq-chat .pq-answer").count()
    page.fill("#pq-question textarea", question)
    page.click("#pq-send")
    page.wait_for_function("(n) => document.querySelectorAll('#pq-chat .pq-answer').length > n", arg=before,
                           timeout=60_000)
    page.wait_for_timeout(600)


def main(url: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        page.wait_for_selector("#pq-question textarea", timeout=60_000)
        ask(page, "百日攻坚第三季什么时候结束？")
        ask(page, QUESTION)
        page.screenshot(path=str(out / "qa.png"))
        page.get_by_role("tab", name="条款查询").click()
        page.fill("#pq-citation textarea", "川办发〔2022〕67号 （七）")
        page.click("#pq-find")
        page.wait_for_selector("#pq-found .pq-source", timeout=60_000)
        page.screenshot(path=str(out / "lookup.png"))
        page.get_by_role("tab", name="产业查询").click()
        page.fill("#pq-term textarea", "服装")
        page.click("#pq-industry-search")
        page.wait_for_selector("#pq-industry-table td", timeout=60_000)
        page.screenshot(path=str(out / "industry.png"))
        page.get_by_role("tab", name="文件库").click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "library.png"))
        page.get_by_role("tab", name="评测").click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "eval.png"), full_page=True)
        for name, options in (("qa-dark.png", {"viewport": {"width": 1366, "height": 900}, "color_scheme": "dark"}),
                              ("phone.png", {"viewport": {"width": 390, "height": 844}, "is_mobile": True})):
            other = browser.new_context(**options).new_page()
            other.goto(url)
            other.wait_for_selector("#pq-question textarea", timeout=60_000)
            ask(other, "百日攻坚第三季什么时候结束？")
            if name == "phone.png":
                other.locator("#pq-chat a.pq-cite").first.click()
                other.locator("#pq-chat .pq-answer").last.scroll_into_view_if_needed()
            other.screenshot(path=str(out / name))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
