"""One real app for the browser and API tests of this folder: the five corpus documents, the real
embedding model and chroma, served on loopback; Debian's chromium driven by Playwright.

Tests that change the library upload their own documents and remove only those, so the tests that
share the app see the corpus as it is."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import CORPUS, free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-default-apps"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed: run scripts/test.sh")

# The contrast of an element's text with the background it is drawn on (WCAG 2 formula): walks up
# from the element to the first ancestor with an opaque background.
CONTRAST_JS = """
(element) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let node = element, background = null;
  while (node && node.nodeType === 1) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) { background = c; break; }
    node = node.parentElement;
  }
  background = background || parse(getComputedStyle(document.body).backgroundColor);
  const fg = parse(getComputedStyle(element).color);
  const [a, b] = [lum(fg), lum(background)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), color: getComputedStyle(element).color, background: background.join(',')};
}
"""


@dataclass
class WebApp:
    url: str
    settings: object
    assistant: object
    report_dir: Path


@pytest.fixture(scope="package")
def web(tmp_path_factory, model_cache, embedder):
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest
    from ingest.settings import Settings
    from rag.assistant import Assistant
    from ui.app import serve

    root = tmp_path_factory.mktemp("web")
    docs = root / "docs"
    docs.mkdir()
    for path in CORPUS.iterdir():
        if path.suffix == ".txt":
            shutil.copy(path, docs / path.name)
    settings = Settings(data_dir=root / "data", cache_dir=model_cache)
    index = PolicyIndex(settings, create=True)
    ingest([docs], settings, index, embedder)
    assistant = Assistant(settings, index=index, embedder=embedder)
    port = free_port()
    demo = serve(assistant, "127.0.0.1", port, block=False)
    yield WebApp(f"http://127.0.0.1:{port}/", settings, assistant, settings.data_dir / "reports" / "eval")
    demo.close()


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, web):
    """open_page(path="", viewport=DESKTOP, dark=False, locale="en-US") → a loaded page in a fresh context."""
    contexts = []

    def open_(path: str = "", viewport=DESKTOP, dark: bool = False, locale: str = "en-US", context=None):
        if context is None:
            context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light", locale=locale,
                                          accept_downloads=True)
            contexts.append(context)
        page = context.new_page()
        page.goto(web.url + path)
        page.wait_for_selector("#pq-tabs [role=tab]", timeout=60_000)
        if "doc=" not in path:  # an address of a clause opens 条款查询 instead
            page.wait_for_selector("#pq-question textarea", timeout=60_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def ask(page, question: str, answers_before: int | None = None):
    """Send a question and wait until its answer (with its sources) is shown."""
    before = page.locator("#pq-chat .pq-answer").count() if answers_before is None else answers_before
    page.fill("#pq-question textarea", question)
    page.click("#pq-send")
    page.wait_for_function("(n) => document.querySelectorAll('#pq-chat .pq-answer').length > n", arg=before,
                           timeout=60_000)


def tab(page, name: str):
    page.get_by_role("tab", name=name).click()


def contrast(page, selector: str) -> list[dict]:
    """The contrast of every visible element matching `selector` that holds text."""
    results = []
    for element in page.locator(selector).all():
        if element.is_visible() and element.inner_text().strip():
            results.append(element.evaluate(CONTRAST_JS))
    return results
