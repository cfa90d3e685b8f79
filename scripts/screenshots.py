"""Screenshots of each tab of a running app (for the README): python scripts/screenshots.py URL OUT_DIR"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main(url: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(url)
        page.wait_for_selector("#pq-question textarea", timeout=60_000)
        page.fill("#pq-question textarea", "关于南充—达州组团共同承接的产业，省里和达州的说法有什么不同？")
        page.click("#pq-send")
        page.wait_for_selector("#pq-sources mark", timeout=60_000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "qa.png"))
        page.get_by_role("tab", name="条款查询").click()
        page.fill("#pq-citation textarea", "川办发〔2022〕67号 （七）")
        page.click("#pq-find")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / "lookup.png"))
        page.get_by_role("tab", name="产业查询").click()
        page.fill("#pq-term textarea", "无人机")
        page.click("#pq-industry-search")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(out / "industry.png"))
        page.get_by_role("tab", name="文件库").click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "library.png"))
        page.get_by_role("tab", name="评测").click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(out / "eval.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
