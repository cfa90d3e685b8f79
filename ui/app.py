"""The web app: `build_app(assistant)` returns the gradio Blocks; nothing heavy happens at import.

Per-session state (the conversation a follow-up refers to) lives in `gr.State`; the assistant
and its models are shared read-only, and changes to the document library go through one lock.
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry, before gradio is imported

from ingest.chunking import is_parent_path
from ingest.errors import InvalidSetting, PolicyQAError
from ingest.loaders import SUPPORTED
from ingest.pipeline import SourceFile
from rag.assistant import Assistant, Conversation
from rag.industry import find_industry, to_csv
from rag.library import summaries as library_summaries
from rag.lookup import lookup
from ui import views
from ui.guards import SESSIONS_PER_CLIENT, LoginThrottle, UploadBudget, UploadQuota

EXAMPLES = [
    "百日攻坚第三季什么时候结束？",
    "主攻重点方向、突出招大引强这项任务的牵头部门是谁？",
    "南充—达州组团重点承接哪些产业？",
    "十四五期间制造业投资额目标是多少？",
    "川办发〔2022〕67号 （七）",
]
INDUSTRY_EXAMPLES = ["锂电", "预制菜", "无人机", "服装", "新材料"]
log = logging.getLogger("policyqa.web")


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


def _reported(action: str):
    """Wrap a UI handler: a failure is logged with its traceback for the operator, and the user sees
    one Chinese line (gradio shows a gr.Error's message even with show_error off)."""

    def wrap(handler):
        @functools.wraps(handler)
        def run(*args, **kwargs):
            import gradio as gr

            try:
                return handler(*args, **kwargs)
            except gr.Error:
                raise
            except PolicyQAError as error:
                log.warning("%s failed: %s", action, error, exc_info=True)
                raise gr.Error(f"{action}失败：{error}", print_exception=False) from error
            except Exception as error:
                log.exception("%s failed", action)
                raise gr.Error(f"{action}失败：内部错误（{type(error).__name__}），已记入服务器日志，请稍后重试。",
                               print_exception=False) from error

        return run

    return wrap


def _discard_uploads(paths: list[Path], temp_dir: Path) -> None:
    """Delete gradio's temporary copies of uploaded files once they are ingested or refused."""
    for path in paths:
        path = path.resolve()
        if temp_dir in path.parents:
            path.unlink(missing_ok=True)
            if path.parent != temp_dir and not any(path.parent.iterdir()):
                path.parent.rmdir()


class Library:
    """Adds and removes documents while the app serves questions. Writes take the data folder's
    writer lock (a CLI ingest and an upload never interleave); questions never wait for it."""

    def __init__(self, assistant: Assistant):
        from ingest.pipeline import UPLOADS

        self.assistant = assistant
        self.lock = threading.Lock()
        self.uploads = assistant.settings.data_dir / UPLOADS

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
        with self.lock:
            stored = self.assistant.index.stored(doc_id)
            if stored is None:
                return "未找到该文件。"
            self.assistant.index.remove_document(doc_id)
            if not stored.root and stored.document.source.startswith(f"{self.uploads.name}/"):
                _discard(self.assistant.settings.data_dir / stored.document.source)
            self.assistant.reload()
            return f"已移除《{stored.document.title}》。"


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()  # the upload's own folder, when empty
    except OSError:
        pass


def build_app(assistant: Assistant, report_dir: Path | None = None):
    import gradio as gr

    library = Library(assistant)
    report_dir = report_dir or Path("reports/eval")
    settings = assistant.settings
    temp_dir = gradio_temp_dir(settings.data_dir)  # never the data folder: nothing in it is served
    exports = temp_dir / "exports"  # the files the app hands out (CSV, the chart); gradio serves its copies
    quota = UploadQuota(settings.max_upload_files, settings.max_upload_mb * 2**20)

    def documents_choices():
        return [(f"{d.title}{f'（{d.status_word}）' if d.status_word else ''}", d.doc_id) for d in assistant.documents()]

    def documents_table():
        return views.document_rows(library_summaries(assistant.index))

    # ---- 问答 ---------------------------------------------------------------------------------
    def respond(message: str, history: list, conversation: Conversation | None):
        history = list(history or [])
        message = (message or "").strip()
        if not message:
            history.append({"role": "assistant", "content": "请输入问题，例如：百日攻坚第三季什么时候结束？"})
            yield history, conversation, views.sources_html(None), ""
            return
        history.append({"role": "user", "content": message})
        history.append({"role": "assistant", "content": "正在检索条款…"})
        yield history, conversation, views.sources_html(None), ""
        try:
            final, state, streamed = None, conversation, False
            for kind, payload in assistant.ask_stream(message, conversation):
                if kind == "delta":  # LLM sentences that passed the claim check, never raw tokens
                    history[-1] = {"role": "assistant", "content": payload}
                    streamed = True
                    yield history, conversation, views.sources_html(None), ""
                else:
                    final, state = payload
            text = views.answer_markdown(final)
            if not streamed:  # stream the extractive answer too, so it reads as it arrives
                head = final.text
                for end in range(12, len(head), 12):
                    history[-1] = {"role": "assistant", "content": head[:end]}
                    yield history, state, views.sources_html(None), ""
                    time.sleep(0.01)
            history[-1] = {"role": "assistant", "content": text}
            yield history, state, views.sources_html(final), ""
        except Exception as error:  # the user sees one line; the server log gets the traceback
            log.exception("answering %r failed", message)
            history[-1] = {"role": "assistant", "content": f"⚠️ 内部错误，请稍后重试（{type(error).__name__}）。"}
            yield history, conversation, views.sources_html(None), ""

    # ---- 条款查询 -----------------------------------------------------------------------------
    @_reported("条款查询")
    def lookup_citation(citation: str) -> str:
        if not (citation or "").strip():
            return '<div class="pq-empty">请输入文号或文件标题以及条款路径，例如：川办发〔2022〕67号 （七）</div>'
        result = lookup(assistant.retriever, citation)
        parts = [f"<p>{result.message}</p>"] if result.message else []
        for hit in result.hits:
            parts.append(views.clause_html(hit.document, hit.clause, list(hit.children)))
        if not parts:
            parts.append('<div class="pq-empty">未找到。</div>')
        return "".join(parts)

    @_reported("条款浏览")
    def clause_paths(doc_id: str):
        """The document's clause tree, indented by depth, in document order."""
        clauses = assistant.clauses(doc_id) if doc_id else []
        depth = {c.path: sum(is_parent_path(p.path, c.path) for p in clauses) for c in clauses}
        choices = [("　" * depth[c.path] + f"{c.path} {c.heading}".strip(), c.path) for c in clauses]
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    @_reported("条款浏览")
    def show_clause(doc_id: str, path: str) -> str:
        retriever = assistant.retriever  # one generation for the whole view
        document = retriever.snapshot.document(doc_id) if doc_id else None
        clause = retriever.clause(doc_id, path) if document and path else None
        if clause is None:
            return '<div class="pq-empty">选择文件和条款后显示条款原文。</div>'
        children = [c for c in retriever.clauses(doc_id) if is_parent_path(clause.path, c.path)]
        return views.clause_html(document, clause, children)

    # ---- 产业查询 -----------------------------------------------------------------------------
    @_reported("产业查询")
    def industry_search(term: str):
        hits = find_industry(assistant.retriever, term or "")
        if not hits:
            note = "请输入产业关键词，例如：锂电、预制菜、无人机。" if not (term or "").strip() else f"已收录文件中没有提到“{term}”的条款。"
            return [], gr.update(value=None, visible=False), note
        exports.mkdir(parents=True, exist_ok=True)
        path = exports / f"industry-{''.join(ch for ch in term if ch.isalnum())[:20] or 'query'}.csv"
        path.write_text(to_csv(hits), encoding="utf-8")
        rows = [list(h.row().values()) for h in hits]
        documents = len({h.document.doc_id for h in hits})
        return rows, gr.update(value=str(path), visible=True), f"共 {len(hits)} 处，涉及 {documents} 份文件。"

    # ---- 文件库 -------------------------------------------------------------------------------
    @_reported("入库")
    def upload(files, used, progress=gr.Progress()):
        """Ingest the session's uploaded files within its quota; gradio's temporary copies are deleted
        afterwards, whatever happened, and the file picker is cleared."""
        if not files:
            return (documents_table(), "请选择要上传的 PDF / DOCX / TXT 文件。", gr.update(choices=documents_choices()),
                    None, used)
        paths = [Path(getattr(f, "name", f)) for f in files]
        try:
            present = [p for p in paths if p.is_file()]
            if len(present) < len(paths):
                return (documents_table(), "上传的临时文件已过期，请重新选择文件。", gr.update(choices=documents_choices()),
                        None, used)
            used, refusal = quota.take(used, [p.stat().st_size for p in present])
            if refusal:
                return documents_table(), refusal, gr.update(choices=documents_choices()), None, used
            progress(0, desc="入库中…")
            report = library.add(present, progress=lambda done, total, name: progress(done / total, desc=f"入库 {name}"))
        finally:
            _discard_uploads(paths, temp_dir)
        lines = [f"新增 {report.count('added')}，更新 {report.count('updated')}，未变 {report.count('unchanged')}，"
                 f"跳过 {report.count('skipped')}。"]
        lines += [f"- 已拒收 {o.name}：{o.reason}" for o in report.skipped]
        return documents_table(), "\n".join(lines), gr.update(choices=documents_choices()), None, used

    @_reported("移除")
    def remove(doc_id: str):
        message = library.remove(doc_id) if doc_id else "请先选择要移除的文件。"
        return documents_table(), message, gr.update(choices=documents_choices(), value=None)

    # ---- 评测 ---------------------------------------------------------------------------------
    @_reported("评测报告")
    def evaluation_view():
        report = report_dir / "report.md"
        chart = report_dir / "accuracy.png"
        if not report.exists():
            return "还没有评测报告。运行 `policyqa eval` 后刷新本页。", None
        shown = None
        if chart.exists():  # handed out from gradio's folder, like every file the app shows
            exports.mkdir(parents=True, exist_ok=True)
            shown = exports / "accuracy.png"
            shutil.copyfile(chart, shown)
        return report.read_text(encoding="utf-8").replace("![分类准确率](accuracy.png)", ""), \
            str(shown) if shown else None

    # delete_cache: gradio's copies of uploads and exports go after an hour (checked every 10 minutes)
    # and all of them when the server stops, so uploads that are never ingested do not pile up.
    with gr.Blocks(title="政策文件条款问答", delete_cache=(600, 3600)) as demo:
        gr.Markdown("## 政策文件条款问答\n每个回答都给出文件、文号、条款路径和可核对的原文引用。")
        with gr.Tabs():
            with gr.Tab("问答", id="qa"):
                conversation = gr.State(None)
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="对话", height=460, elem_id="pq-chat",
                                             placeholder="**你好！** 可以问日期、牵头部门、产业方向、目标数值，或粘贴文号+条款查看原文。")
                        with gr.Row():
                            question = gr.Textbox(placeholder="输入问题，回车发送", show_label=False, scale=5,
                                                  elem_id="pq-question")
                            send = gr.Button("发送", variant="primary", scale=1, elem_id="pq-send")
                        gr.Examples(EXAMPLES, inputs=question, label="示例问题（点击填入）")
                        clear = gr.Button("新对话", size="sm")
                    with gr.Column(scale=2):
                        gr.Markdown("**引用来源**")
                        sources = gr.HTML(views.sources_html(None), elem_id="pq-sources")
                outputs = [chatbot, conversation, sources, question]
                send.click(respond, [question, chatbot, conversation], outputs, concurrency_limit=4)
                question.submit(respond, [question, chatbot, conversation], outputs, concurrency_limit=4)
                clear.click(lambda: ([], None, views.sources_html(None), ""), None, outputs)

            with gr.Tab("条款查询", id="lookup"):
                with gr.Row():
                    citation = gr.Textbox(label="文号 / 标题 + 条款路径", placeholder="川办发〔2022〕67号 （七）",
                                          elem_id="pq-citation", scale=4)
                    find = gr.Button("查询", variant="primary", elem_id="pq-find", scale=1)
                found = gr.HTML('<div class="pq-empty">输入后点击查询；或在下方按文件浏览条款。</div>', elem_id="pq-found")
                find.click(lookup_citation, citation, found)
                citation.submit(lookup_citation, citation, found)
                gr.Markdown("**按文件浏览**")
                with gr.Row():
                    browse_doc = gr.Dropdown(documents_choices(), label="文件")
                    browse_path = gr.Dropdown([], label="条款")
                browsed = gr.HTML('<div class="pq-empty">选择文件和条款后显示条款原文。</div>')
                browse_doc.change(clause_paths, browse_doc, browse_path)
                browse_path.change(show_clause, [browse_doc, browse_path], browsed)

            with gr.Tab("产业查询", id="industry"):
                with gr.Row():
                    term = gr.Textbox(label="产业", placeholder="例如：锂电、预制菜、无人机、服装", elem_id="pq-term", scale=4)
                    search = gr.Button("查询", variant="primary", elem_id="pq-industry-search", scale=1)
                gr.Examples(INDUSTRY_EXAMPLES, inputs=term, label="常见产业")
                summary = gr.Markdown("", elem_id="pq-industry-summary")
                table = gr.Dataframe(headers=["文件", "文号", "状态", "层级", "地区", "条款", "原文"], wrap=True,
                                     interactive=False, elem_id="pq-industry-table")
                download = gr.DownloadButton("下载 CSV", visible=False, elem_id="pq-industry-csv")
                search.click(industry_search, term, [table, download, summary])
                term.submit(industry_search, term, [table, download, summary])

            with gr.Tab("文件库", id="library"):
                library_table = gr.Dataframe(
                    documents_table(), headers=["标题", "文号", "发文机关", "成文日期", "施行日期", "类型", "状态", "层级", "条款数", "块数", "文件"],
                    interactive=False, wrap=True, elem_id="pq-library")
                with gr.Row():
                    files = gr.File(label=f"上传 PDF / DOCX / TXT / MD（单个不超过 {settings.max_file_mb} MB，"
                                          f"每会话最多 {settings.max_upload_files} 个、共 {settings.max_upload_mb} MB）",
                                    file_count="multiple", file_types=list(SUPPORTED), elem_id="pq-upload")
                    with gr.Column():
                        add = gr.Button("入库", variant="primary", elem_id="pq-add")
                        removable = gr.Dropdown(documents_choices(), label="移除文件")
                        drop = gr.Button("移除", variant="stop")
                status = gr.Markdown("", elem_id="pq-library-status")
                uploaded = gr.State((0, 0))  # (files, bytes) this session has handed in, kept on the server
                add.click(upload, [files, uploaded], [library_table, status, removable, files, uploaded])
                drop.click(remove, removable, [library_table, status, removable])

            with gr.Tab("评测", id="eval"):
                refresh = gr.Button("刷新", size="sm")
                report_md = gr.Markdown(evaluation_view()[0])
                report_chart = gr.Image(evaluation_view()[1], label="分类准确率：本系统与基线", interactive=False)
                refresh.click(evaluation_view, None, [report_md, report_chart])
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
    guards = [Middleware(LoginThrottle),
              Middleware(UploadBudget, max_files=SESSIONS_PER_CLIENT * settings.max_upload_files,
                         max_bytes=SESSIONS_PER_CLIENT * settings.max_upload_mb * 2**20)]
    demo.launch(server_name=host, server_port=port, auth=credentials, max_file_size=settings.max_file_mb * 2**20,
                allowed_paths=[], blocked_paths=[str(settings.data_dir.resolve())], ssr_mode=False,
                app_kwargs={"middleware": guards}, show_error=False, prevent_thread_lock=not block, css=views.CSS,
                theme=None, footer_links=[])
    return demo
