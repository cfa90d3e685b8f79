"""The web app as an attacker meets it: real servers on loopback, raw HTTP, and Debian's chromium.

Each test speaks from its own loopback address (127.0.0.x) where the guards count per client, so
the budgets one test spends do not change what another sees.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import secrets
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import SAMPLE_NOTICE, free_port

CHROMIUM = Path("/usr/bin/chromium")
EVIL_HTML = b"<html><body><script>localStorage.setItem('pwned', 'html')</script>evil</body></html>"
EVIL_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="localStorage.setItem(\'pwned\', \'svg\')">'
            b"<script>localStorage.setItem('pwned', 'svg')</script></svg>")
SECRET = "uploaded-secret-7f3a"  # a file in the data folder's uploads/ that no request may read


@dataclass
class Site:
    port: int
    data_dir: Path
    temp_dir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _serve(root: Path, model_cache: Path, embedder, **settings_overrides):
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest
    from ingest.settings import Settings
    from rag.assistant import Assistant
    from ui.app import serve

    docs = root / "docs"
    docs.mkdir()
    (docs / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    settings = Settings(data_dir=root / "data", cache_dir=model_cache, **settings_overrides)
    index = PolicyIndex(settings, create=True)
    ingest([docs], settings, index, embedder)
    (settings.data_dir / "uploads").mkdir()
    (settings.data_dir / "uploads" / "secret.txt").write_text(SECRET, encoding="utf-8")
    port = free_port()
    demo = serve(Assistant(settings, index=index, embedder=embedder), "127.0.0.1", port, report_dir=root / "reports",
                 block=False)
    return demo, Site(port, settings.data_dir.resolve(), Path(os.environ["GRADIO_TEMP_DIR"]))


@pytest.fixture(scope="module")
def site(tmp_path_factory, model_cache, embedder):
    demo, site = _serve(tmp_path_factory.mktemp("open-site"), model_cache, embedder,
                        max_file_mb=1, max_upload_files=4, max_upload_mb=1)  # a client: 16 files, 4 MiB an hour
    yield site
    demo.close()


@pytest.fixture(scope="module")
def locked_site(tmp_path_factory, model_cache, embedder):
    demo, site = _serve(tmp_path_factory.mktemp("locked-site"), model_cache, embedder, auth="admin:correct-horse")
    yield site
    demo.close()


def _request(site: Site, method: str, path: str, body=None, headers=None, source: str = "127.0.0.1"):
    """(status, lower-cased headers, body) of one raw request, sent from the loopback address `source`."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60, source_address=(source, 0))
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)  # the path goes out exactly as given
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None and not (headers or {}).get("Transfer-Encoding"):
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        if body is not None:
            if isinstance(body, bytes):
                connection.send(body)
            else:  # chunked: no Content-Length
                for piece in body:
                    connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _upload(site: Site, files: list[tuple[str, bytes, str]], source: str):
    boundary = "----policyqa" + secrets.token_hex(8)
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n" for name, content, kind in files
    ) + f"--{boundary}--\r\n".encode()
    return _request(site, "POST", "/gradio_api/upload", body,
                    {"Content-Type": f"multipart/form-data; boundary={boundary}"}, source=source)


def _file_url(path: str | Path) -> str:
    return "/gradio_api/file=" + urllib.parse.quote(str(path), safe="/")


# ---- uploads are never served inline; the data folder is never served -------------------------

def test_uploaded_html_and_svg_are_served_only_as_downloads_from_outside_the_data_folder(site):
    status, _, body = _upload(site, [("evil.html", EVIL_HTML, "text/html"), ("evil.svg", EVIL_SVG, "image/svg+xml")],
                              source="127.0.0.2")
    assert status == 200, body
    stored = [Path(p) for p in json.loads(body)]
    assert [p.name for p in stored] == ["evil.html", "evil.svg"]
    for path in stored:
        assert site.temp_dir in path.parents and site.data_dir not in path.parents
        status, headers, served = _request(site, "GET", _file_url(path))
        assert status == 200 and served in (EVIL_HTML, EVIL_SVG)  # the upload is there…
        kind = headers["content-type"]
        assert "html" not in kind and "svg" not in kind and "xml" not in kind, kind  # …but never as a page
        assert headers["content-disposition"].startswith("attachment"), headers
    assert not (site.data_dir / "tmp").exists()  # gradio's folder is not inside the data folder


def _data_files(site: Site) -> dict[str, Path]:
    index_dir = next(site.data_dir.glob("index-*"))
    return {
        "chroma": site.data_dir / "chroma" / "chroma.sqlite3",
        "catalog": index_dir / "catalog.sqlite3",
        "catalog-id": index_dir / "catalog.id",
        "upload": site.data_dir / "uploads" / "secret.txt",
    }


TRAVERSALS = {
    "relative": "/gradio_api/file=../../../../../../etc/passwd",
    "encoded-slashes": "/gradio_api/file=..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "encoded-dots": "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "double-encoded": "/gradio_api/file=..%252f..%252f..%252f..%252f..%252f..%252fetc%252fpasswd",
    "backslashes": "/gradio_api/file=..%5c..%5c..%5c..%5c..%5c..%5cetc%5cpasswd",
    "absolute": "/gradio_api/file=/etc/passwd",
    "absolute-encoded": "/gradio_api/file=%2Fetc%2Fpasswd",
    "old-route": "/gradio_api/file/etc/passwd",
    "no-prefix": "/file=/etc/passwd",
}


@pytest.mark.parametrize("path", TRAVERSALS.values(), ids=TRAVERSALS.keys())
def test_traversal_to_system_files_is_refused(site, path):
    status, _, body = _request(site, "GET", path)
    assert status in (403, 404) and b"root:" not in body, (status, body[:200])


@pytest.mark.parametrize("name", ["chroma", "catalog", "catalog-id", "upload"])
@pytest.mark.parametrize("spelling", ["plain", "encoded", "via-gradio-folder"])
def test_nothing_in_the_data_folder_is_served(site, name, spelling):
    target = _data_files(site)[name]
    assert target.exists()
    if spelling == "plain":
        path = _file_url(target)
    elif spelling == "encoded":
        path = "/gradio_api/file=" + urllib.parse.quote(str(target), safe="")
    else:  # starts inside gradio's own folder, then climbs out to the data folder
        path = _file_url(site.temp_dir / os.path.relpath(target, site.temp_dir))
    status, _, body = _request(site, "GET", path)
    assert status in (403, 404), (status, body[:200])
    assert SECRET.encode() not in body and b"SQLite format" not in body and "测试产业".encode() not in body


def test_gradio_folder_inside_the_data_folder_is_refused(tmp_path, monkeypatch):
    from ingest.errors import InvalidSetting
    from ui.app import gradio_temp_dir

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "data" / "tmp"))  # where version 1 put it
    with pytest.raises(InvalidSetting, match=r"GRADIO_TEMP_DIR=.*/data/tmp overlaps the data folder .*: gradio serves"):
        gradio_temp_dir(tmp_path / "data")


def test_allowed_paths_from_the_environment_are_refused(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from ingest.errors import InvalidSetting
    from ingest.settings import Settings
    from ui.app import serve

    monkeypatch.setenv("GRADIO_ALLOWED_PATHS", str(tmp_path))  # gradio would serve its HTML inline
    with pytest.raises(InvalidSetting, match="GRADIO_ALLOWED_PATHS is set: .*unset it"):
        serve(SimpleNamespace(settings=Settings(data_dir=tmp_path / "data")), "127.0.0.1", free_port(), block=False)


# ---- uploads are limited per file, per client and per session ---------------------------------

def test_uploads_are_limited_in_size_and_per_client_budget(site):
    source = "127.0.0.3"
    big = b"x" * (2 * 2**20)  # 2 MiB: more than POLICYQA_MAX_FILE_MB=1
    status, _, body = _upload(site, [("big.txt", big, "text/plain")], source)
    assert status == 413, body
    assert _upload(site, [("small.txt", b"y" * 900_000, "text/plain")], source)[0] == 200
    assert _upload(site, [("small.txt", b"y" * 900_000, "text/plain")], source)[0] == 200
    status, _, body = _upload(site, [("more.txt", b"z" * 900_000, "text/plain")], source)  # 2 + 3 × 0.9 > 4 MiB
    assert status == 429 and b"may send 16 files, 4 MB" in body, (status, body)
    status, _, body = _upload(site, [("small.txt", b"y", "text/plain")], "127.0.0.30")  # another client is not held up
    assert status == 200, body
    status, _, body = _request(site, "POST", "/gradio_api/upload", iter([b"--x\r\n", b"--x--\r\n"]),
                               {"Content-Type": "multipart/form-data; boundary=x", "Transfer-Encoding": "chunked"},
                               source="127.0.0.31")
    assert status == 411, body


def test_uploads_are_limited_in_files_per_client(site):
    source = "127.0.0.4"
    many = [(f"note{n}.txt", b"policy text", "text/plain") for n in range(17)]
    assert _upload(site, many, source)[0] == 200  # counted while it streams…
    status, _, body = _upload(site, many[:1], source)  # …so the next request is refused
    assert status == 429 and b"has sent 17 files" in body, (status, body)


# ---- the app's own handlers: uploads cleaned up, per-session quota, errors logged --------------

@pytest.fixture(scope="module")
def client(site):
    from gradio_client import Client

    return Client(site.url, verbose=False)


def test_ingested_uploads_leave_no_temporary_file_and_a_session_has_a_quota(site, client, tmp_path):
    from gradio_client import handle_file

    first = tmp_path / "氢能通知.txt"
    first.write_text(SAMPLE_NOTICE.replace("测试产业", "氢能产业").replace("〔2024〕9号", "〔2024〕21号"), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    message = client.predict([handle_file(first), handle_file(empty)], api_name="/upload")["message"]
    assert "新增 1" in message and "已拒收 empty.txt" in message
    assert not [p for p in site.temp_dir.rglob("*") if p.name in (first.name, empty.name)]  # temp copies gone
    assert list((site.data_dir / "uploads").glob(f"*/{first.name}"))  # stored under its content hash
    extra = [tmp_path / f"more{n}.txt" for n in range(3)]
    for path in extra:
        path.write_text("一、总体要求\n内容。", encoding="utf-8")
    message = client.predict([handle_file(p) for p in extra], api_name="/upload")["message"]
    assert message.startswith("已拒收：每个会话最多上传 4 个文件（已上传 2 个，本次 3 个）")
    assert not [p for p in site.temp_dir.rglob("more*.txt")]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed: run scripts/test.sh")
def test_exports_are_downloads_with_a_safe_type(site):
    from playwright.sync_api import sync_playwright

    from tests.ui.conftest import ARGS

    with sync_playwright() as playwright:  # exports are made by the page's own (private) events
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(site.url + "/")
        page.get_by_role("tab", name="产业查询").click()
        page.fill("#pq-term textarea", "无人机")
        page.click("#pq-industry-search")
        page.wait_for_function("() => document.querySelector('#pq-industry-summary').innerText.includes('共')",
                               timeout=60_000)
        browser.close()
    [export] = site.temp_dir.rglob("industry-*.csv")  # in gradio's folder, which gradio serves as it is
    status, headers, body = _request(site, "GET", _file_url(export))
    assert status == 200 and "无人机".encode() in body
    assert headers["content-type"] == "application/octet-stream" and headers["content-disposition"].startswith("attachment")


def test_a_failing_handler_is_logged_with_its_traceback_and_shown_as_one_chinese_line(client, monkeypatch, caplog):
    from gradio_client.exceptions import AppError

    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr("ui.api.lookup_clause", broken)
    with caplog.at_level(logging.ERROR, logger="policyqa.web"), pytest.raises(AppError) as raised:
        client.predict("川办发〔2022〕67号 （七）", api_name="/lookup")
    assert str(raised.value) == "条款查询失败：内部错误（RuntimeError），已记入服务器日志，请稍后重试。"
    [record] = [r for r in caplog.records if r.name == "policyqa.web"]
    assert record.exc_info and "index exploded" in str(record.exc_info[1])


# ---- login ------------------------------------------------------------------------------------

def _login(site: Site, password: str, source: str) -> tuple[int, float]:
    started = time.perf_counter()
    body = urllib.parse.urlencode({"username": "admin", "password": password}).encode()
    status, _, _ = _request(site, "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"},
                            source=source)
    return status, time.perf_counter() - started


def test_without_login_nothing_is_uploaded_or_served(locked_site):
    status, _, _ = _upload(locked_site, [("evil.html", EVIL_HTML, "text/html")], source="127.0.0.5")
    assert status in (401, 403)
    status, _, body = _request(locked_site, "GET", _file_url(_data_files(locked_site)["upload"]), source="127.0.0.5")
    assert status in (401, 403) and SECRET.encode() not in body


@pytest.mark.slow  # waits out the 1 + 2 + 4 s it proves
def test_failed_logins_are_slowed_per_client(locked_site):
    attacker, bystander = "127.0.0.6", "127.0.0.7"
    for _ in range(5):  # typing mistakes cost nothing
        status, seconds = _login(locked_site, "wrong", attacker)
        assert status == 400 and seconds < 0.9
    with ThreadPoolExecutor(1) as pool:  # then 1 s, 2 s, …
        waiting = pool.submit(_login, locked_site, "wrong", attacker)
        time.sleep(0.3)
        status, seconds = _login(locked_site, "wrong", attacker)  # a parallel guess neither skips the wait nor queues
        assert status == 429 and seconds < 0.5
        assert waiting.result()[0] == 400 and round(waiting.result()[1]) == 1
    assert round(_login(locked_site, "wrong", attacker)[1]) == 2
    status, seconds = _login(locked_site, "correct-horse", bystander)  # another client is not slowed
    assert status == 200 and seconds < 0.9
    status, seconds = _login(locked_site, "correct-horse", attacker)  # the right password waits its turn too…
    assert status == 200 and seconds >= 3.9
    status, seconds = _login(locked_site, "wrong", attacker)  # …and clears the record
    assert status == 400 and seconds < 0.9


# ---- in the browser ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed: run scripts/test.sh")
def test_chromium_downloads_uploaded_html_and_svg_instead_of_running_them(site, tmp_path):
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from playwright.sync_api import Error, sync_playwright

    from tests.ui.conftest import ARGS

    status, _, body = _upload(site, [("evil.html", EVIL_HTML, "text/html"), ("evil.svg", EVIL_SVG, "image/svg+xml")],
                              source="127.0.0.8")
    assert status == 200
    urls = [site.url + _file_url(p) for p in json.loads(body)]
    (tmp_path / "evil.html").write_bytes(EVIL_HTML)  # the control: the same page served inline does run
    control = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: SimpleHTTPRequestHandler(*a, directory=str(tmp_path)))
    threading.Thread(target=control.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            page = browser.new_context(accept_downloads=True).new_page()
            page.goto(f"http://127.0.0.1:{control.server_address[1]}/evil.html")
            assert page.evaluate("() => localStorage.getItem('pwned')") == "html"
            for url in urls:
                with page.expect_download() as download:
                    try:
                        page.goto(url)
                    except Error as error:  # chromium reports a navigation that became a download
                        assert "Download is starting" in str(error)
                assert download.value.suggested_filename in ("evil.html", "evil.svg")
            page.goto(site.url + "/")
            assert page.evaluate("() => localStorage.getItem('pwned')") is None
            browser.close()
    finally:
        control.shutdown()


# ---- who may change the library -----------------------------------------------------------------

def test_with_a_login_the_api_needs_it_too(locked_site):
    from gradio_client import Client

    with pytest.raises(Exception):
        Client(locked_site.url, verbose=False).predict(api_name="/documents")
    client = Client(locked_site.url, auth=("admin", "correct-horse"), verbose=False)
    assert [d["doc_number"] for d in client.predict(api_name="/documents")] == ["达市府办发〔2024〕9号"]


@pytest.fixture(scope="module")
def read_only_site(tmp_path_factory, model_cache, embedder):
    demo, site = _serve(tmp_path_factory.mktemp("read-only-site"), model_cache, embedder, read_only=True)
    yield site
    demo.close()


def test_a_read_only_deployment_offers_no_upload_or_removal(read_only_site, tmp_path):
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    client = Client(read_only_site.url, verbose=False)
    notice = tmp_path / "notice.txt"
    notice.write_text(SAMPLE_NOTICE, encoding="utf-8")
    with pytest.raises(AppError, match="只读部署"):
        client.predict([handle_file(notice)], api_name="/upload")
    with pytest.raises(AppError, match="只读部署"):
        client.predict("达市府办发〔2024〕9号", api_name="/remove")
    assert len(client.predict(api_name="/documents")) == 1  # still there, still readable
    status, _, body = _request(read_only_site, "GET", "/config")
    ids = {c.get("props", {}).get("elem_id") for c in json.loads(body)["components"]}
    assert status == 200 and "pq-read-only" in ids and not ids & {"pq-upload", "pq-remove", "pq-confirm-yes"}
