"""The web app: `build_app(assistant)` returns the gradio Blocks; nothing heavy happens at import.

One module per part: ui.chat (问答), ui.lookup_tab (条款查询), ui.industry_tab (产业查询),
ui.library_tab (文件库), ui.eval_tab (评测), ui.api (the endpoints for programs), ui.theme and ui.i18n
(light/dark, phone, Chinese). Conversations live in the browser; the assistant and its models are
shared read-only, and changes to the document library go through one lock (`Library`). Every page
reads the library from the assistant when it loads and whenever it changed.
"""


import atexit
import os
import secrets
import shutil
import socket
import tempfile
import threading
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry, before gradio is imported

from ingest.errors import InvalidSetting
from rag.assistant import Assistant
from ui import chat, eval_tab, industry_tab, library_tab, lookup_tab, theme
from ui.context import AppContext, log, reported  # noqa: F401  (reported: the handlers' error translation)
from ui.feedback import FeedbackStore
from ingest.pipeline import UPLOADS, SourceFile
from ui.guards import SESSIONS_PER_CLIENT, LoginThrottle, UploadBudget, UploadQuota
from ui.i18n import PageScript, translations


def check_port(host: str, port: int) -> None:
    """Refuse, in one line, a port that another program listens on (gradio would print a traceback)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        raise InvalidSetting(f"--host {host} cannot be resolved ({error.strerror}): give an address such as "
                             "127.0.0.1") from error
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is not "in use"
        try:
            probe.bind(address)
        except OSError as error:
            raise InvalidSetting(f"port {port} on {host} is in use ({error.strerror}): stop the program that "
                                 "listens on it, or pass another --port") from error


def gradio_temp_dir(data_dir: Path) -> Path:
    """gradio's folder for uploads and for the files the app hands out (GRADIO_TEMP_DIR). gradio
    serves files from it (as attachments, images inline), so it must lie outside the data folder;
    unset, it is a private folder (mode 0700) made for this process and removed at exit. Set before
    any Blocks is built: each reads it once."""
    data = data_dir.resolve()
    configured = os.environ.get("GRADIO_TEMP_DIR")
    folder = Path(configured).resolve() if configured else Path(tempfile.mkdtemp(prefix="policyqa-web-")).resolve()
    if folder == data or data in folder.parents or folder in data.parents:
        raise InvalidSetting(f"GRADIO_TEMP_DIR={folder} overlaps the data folder {data}: gradio serves the files in "
                             "it; set it to a folder outside the data folder, or unset it")
    if not configured:
        os.environ["GRADIO_TEMP_DIR"] = str(folder)
        atexit.register(shutil.rmtree, folder, True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Library:
    """Adds and removes documents while the app serves questions. Writes take the data folder's
    writer lock (a CLI ingest and an upload never interleave); questions never wait for it."""

    def __init__(self, assistant: Assistant):
        from ingest.pipeline import UPLOADS

        self.assistant = assistant
        self.lock = threading.Lock()
        self.uploads = assistant.settings.data_dir / UPLOADS
        self.removed = self.uploads / ".removed"  # originals of removed uploads, for 撤销
        settings = assistant.settings
        self.quota = UploadQuota(settings.max_upload_files, settings.max_upload_mb * 2**20)

    def _store(self, path: Path) -> tuple[SourceFile, bool]:
        """uploads/<sha256>/<name>: content-addressed, so nothing ever overwrites a stored file.
        → (the file to ingest, whether this call created it)."""
        from ingest.pipeline import file_hash

        content_hash = file_hash(path)
        folder = self.uploads / content_hash
        existing = sorted(folder.glob("*")) if folder.exists() else []
        if existing:  # these very bytes are stored already (perhaps under another name)
            return SourceFile.upload(existing[0], content_hash, existing[0].name), False
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / path.name
        partial = folder / f".{path.name}.{os.getpid()}-{threading.get_ident()}.part"
        shutil.copyfile(path, partial)
        os.replace(partial, target)
        return SourceFile.upload(target, content_hash, path.name), True

    def add(self, paths: list[Path], progress=None):
        from ingest.pipeline import ingest

        with self.lock:
            stored = [self._store(path) for path in paths]
            on_wait = (lambda message: progress(0, 1, "等待其他写入完成…")) if progress else None
            try:
                report = ingest([file for file, _ in stored], self.assistant.settings, self.assistant.index,
                                self.assistant.embedder, progress=progress, on_wait=on_wait)
            except BaseException:
                for file, created in stored:
                    if created:
                        _discard(file.path)
                raise
            for (file, created), outcome in zip(stored, report.outcomes):
                if created and outcome.status == "skipped":
                    _discard(file.path)  # a rejected upload leaves nothing behind
            self.assistant.reload()
            return report

    def remove(self, doc_id: str) -> str:
        """Remove a document; an uploaded original is kept aside (uploads/.removed) so `restore` can
        bring it back; a document ingested from elsewhere is restored from its own file."""
        with self.lock:
            stored = self.assistant.index.stored(doc_id)
            if stored is None:
                return "未找到该文件：它可能已被其他人移除。"
            document = stored.document
            self.assistant.index.remove_document(doc_id)
            source = self._stored_upload(stored)
            if source is not None and source.exists():  # kept aside for 撤销; nothing else is deleted
                kept = self.removed / doc_id / source.name
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, kept)
                _discard(source)  # its now-empty content-hash folder
            self.assistant.reload()
            return f"已移除{document.label}。"

    def _stored_upload(self, stored) -> Path | None:
        """The stored file of an uploaded document (uploads/<sha256>/<name>), None for ingested folders."""
        if stored.root or not stored.document.source.startswith(f"{UPLOADS}/"):
            return None
        return self.assistant.settings.data_dir / stored.document.source

    def restorable(self, doc_id: str, source: str) -> Path | None:
        """The file a removed document can be ingested again from, if it still exists."""
        kept = self.removed / doc_id / Path(source).name
        return kept if kept.is_file() else None

    def restore(self, doc_id: str, source: str) -> str:
        path = self.restorable(doc_id, source)
        if path is None:
            return "无法撤销：原文件已不在，请重新上传。"
        report = self.add([path])
        shutil.rmtree(path.parent, ignore_errors=True)
        if report.count("added") or report.count("unchanged") or report.count("updated"):
            return "已撤销移除，文件已恢复。"
        reasons = "；".join(o.reason for o in report.skipped)
        return f"无法撤销：{reasons or '入库失败'}。"


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()  # the upload's own folder, when empty
    except OSError:
        pass


def browser_secret(data_dir: Path) -> str:
    """The key conversations kept in browsers are encrypted with: made once per data folder (mode 0600),
    so chats survive a restart of the server."""
    path = data_dir / "web" / "browser-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SYNC_SECONDS = 4  # how soon an open page shows a change another session made to the library


def build_app(assistant: Assistant, report_dir: Path | None = None):
    import gradio as gr

    from ui import api

    settings = assistant.settings
    temp_dir = gradio_temp_dir(settings.data_dir)  # never the data folder: nothing in it is served
    ctx = AppContext(assistant, Library(assistant), temp_dir,
                     report_dir or settings.data_dir / "reports" / "eval",
                     FeedbackStore(settings.data_dir / "web" / "feedback.sqlite3"), auth_required=bool(settings.auth))

    # delete_cache: gradio's copies of uploads and exports go after an hour (checked every 10 minutes)
    # and all of them when the server stops, so uploads that are never ingested do not pile up.
    with gr.Blocks(title="政策文件条款问答", delete_cache=(600, 3600)) as demo:
        gr.Markdown("## 政策文件条款问答\n每个回答都给出文件、文号、条款路径和可核对的原文引用。")
        api.register(ctx)  # first, so the public endpoints get their names before the page's own events
        with gr.Tabs(elem_id="pq-tabs") as tabs:
            with gr.Tab("问答", id="qa"):
                scope = chat.build(ctx, demo, browser_secret(settings.data_dir))
            with gr.Tab("条款查询", id="lookup"):
                browse_doc, address_outputs, open_address = lookup_tab.build(ctx)
            with gr.Tab("产业查询", id="industry"):
                industry_tab.build(ctx)
            with gr.Tab("文件库", id="library"):
                library_view, removable = library_tab.build(ctx)
            with gr.Tab("评测", id="eval"):
                eval_tab.build(ctx, demo)

        # The library as every open page shows it: read from the index when the page loads, and
        # again whenever it changed (a tick compares the library's state with what the page shows).
        shown_state = gr.State(None)
        choosers = [c for c in (removable, browse_doc, scope) if c is not None]

        def sync(shown, *selected):
            current = library_tab.signature(assistant)
            if shown == current:
                return (gr.skip(),) * (2 + len(choosers))
            choices = library_tab.document_choices(assistant)
            known = {doc_id for _, doc_id in choices}
            updates = []
            for chooser, value in zip(choosers, selected):
                if isinstance(value, list):
                    kept = [v for v in value if v in known]
                else:
                    kept = value if value in known else None
                updates.append(gr.update(choices=choices, value=kept))
            return (current, library_tab.library_html(assistant), *updates)

        def open_link(request: gr.Request):
            """An address `?doc=…&path=…` opens 条款查询 on that clause."""
            params = dict(request.query_params) if request else {}
            updates = open_address(params)
            if updates is None:
                return (gr.skip(),) * (1 + len(address_outputs))
            return (gr.update(selected="lookup"), *updates)

        sync_outputs = [shown_state, library_view, *choosers]
        private = {"api_visibility": "private"}
        demo.load(sync, [shown_state, *choosers], sync_outputs, **private).then(
            open_link, None, [tabs, *address_outputs], **private)
        gr.Timer(SYNC_SECONDS).tick(sync, [shown_state, *choosers], sync_outputs, show_progress="hidden", **private)
    return demo


def serve(assistant: Assistant, host: str, port: int, auth: str | None = None, report_dir: Path | None = None,
          block: bool = True):
    """Launch with the queue on and the guards in front. gradio serves only its own temporary folder
    (uploads as attachments, the app's exports), never the data folder (blocked, and no path is
    "allowed", which would serve HTML inline); uploads are limited per file, per client and per
    session; failed logins are slowed per client (ui.guards)."""
    from starlette.middleware import Middleware

    settings = assistant.settings
    if os.environ.get("GRADIO_ALLOWED_PATHS"):  # gradio would read it in place of our empty list
        raise InvalidSetting("GRADIO_ALLOWED_PATHS is set: gradio would serve those folders' files inline (HTML "
                             "too); the app serves no folder that way, so unset it")
    check_port(host, port)
    demo = build_app(assistant, report_dir)
    demo.queue(default_concurrency_limit=4, max_size=64)
    auth = auth or settings.auth  # validated as 'user:password' when the settings were built
    credentials = tuple(auth.split(":", 1)) if auth else None
    guards = [Middleware(PageScript), Middleware(LoginThrottle),
              Middleware(UploadBudget, max_files=SESSIONS_PER_CLIENT * settings.max_upload_files,
                         max_bytes=SESSIONS_PER_CLIENT * settings.max_upload_mb * 2**20)]
    demo.launch(server_name=host, server_port=port, auth=credentials, max_file_size=settings.max_file_mb * 2**20,
                allowed_paths=[], blocked_paths=[str(settings.data_dir.resolve())], ssr_mode=False,
                app_kwargs={"middleware": guards}, show_error=False, prevent_thread_lock=not block, css=theme.CSS,
                theme=None, footer_links=[], i18n=translations())
    return demo
