"""文件库: the documents, upload, and removal that names the document and asks before it acts.

What every page shows of the library is read from the assistant (the index as it is now) when the
page loads, after each change, and whenever another session changed it (`LibrarySync`), so no page
keeps the list the server started with. Changes go through the one writer (ui.app.Library); they need
a login when the app has one, and a read-only deployment (POLICYQA_READ_ONLY) offers none.
"""


from html import escape
from pathlib import Path

from ingest.loaders import SUPPORTED
from rag.library import LEVEL_LABELS, summaries
from ui.context import AppContext, reported
from ui.reasons import in_chinese

COLUMNS = ["标题", "文号", "发文机关", "成文日期", "施行日期", "类型", "状态", "层级", "条款数", "块数", "文件"]


def document_choices(assistant) -> list[tuple[str, str]]:
    """(label, doc_id) for every document: title, 文号 and draft mark, so two look-alikes differ."""
    return [(d.label.removeprefix("《").replace("》", " ", 1).strip(), d.doc_id) for d in assistant.documents()]


def signature(assistant) -> list[list[str]]:
    """What identifies the library's state: each document and its content (changes with every edit)."""
    return sorted([d.doc_id, d.content_hash] for d in assistant.documents())


def library_html(assistant) -> str:
    rows = summaries(assistant.index)
    if not rows:
        return '<div class="pq-empty">文件库是空的：上传文件，或运行 `policyqa ingest` 入库。</div>'
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    body = []
    for row in rows:
        cells = [row.title, row.doc_number or "—", "、".join(row.issuers) or "—", row.date or "—",
                 row.effective_date or "—", row.kind or "—", row.status + ("（含OCR页）" if row.ocr_pages else ""),
                 LEVEL_LABELS.get(row.level or "", "—"), row.clauses, row.chunks, row.source]
        body.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    return (f'<div class="pq-table-scroll"><table class="pq-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div><div class=\"pq-muted\">共 {len(rows)} 份文件。</div>")


def may_edit(ctx: AppContext, request) -> str | None:
    """None if this request may change the library, else why not (one line)."""
    if not ctx.editable:
        return "本系统为只读部署（POLICYQA_READ_ONLY=true）：不能上传或移除文件。"
    if ctx.auth_required and not getattr(request, "username", None):
        return "上传和移除文件需要先登录。"
    return None


def discard_uploads(paths: list[Path], temp_dir: Path) -> None:
    """Delete gradio's temporary copies of uploaded files once they are ingested or refused."""
    for path in paths:
        path = path.resolve()
        if temp_dir in path.parents:
            path.unlink(missing_ok=True)
            if path.parent != temp_dir and not any(path.parent.iterdir()):
                path.parent.rmdir()


def upload_files(ctx: AppContext, paths: list[Path], used, progress=None) -> tuple[str, tuple]:
    """Ingest uploaded files within the session's quota → (the message, what the session has used)."""
    try:
        present = [p for p in paths if p.is_file()]
        if len(present) < len(paths):
            return "上传的临时文件已过期，请重新选择文件。", used
        used, refusal = ctx.library.quota.take(used, [p.stat().st_size for p in present])
        if refusal:
            return refusal, used
        report = ctx.library.add(present, progress=progress)
    finally:
        discard_uploads(paths, ctx.temp_dir)
    lines = [f"新增 {report.count('added')}，更新 {report.count('updated')}，未变 {report.count('unchanged')}，"
             f"跳过 {report.count('skipped')}。"]
    lines += [f"- 已拒收 {o.name}：{in_chinese(o.reason)}" for o in report.skipped]
    return "\n".join(lines), used


def build(ctx: AppContext):
    """The tab's components; returns (library view, removal dropdown) for the app to keep current."""
    import gradio as gr

    settings = ctx.settings
    table = gr.HTML(library_html(ctx.assistant), elem_id="pq-library")
    status = gr.Markdown("", elem_id="pq-library-status")
    if not ctx.editable:
        gr.Markdown("本系统为只读部署：文件库只能查看，不能上传或移除文件。", elem_id="pq-read-only")
        return table, None

    with gr.Row():
        files = gr.File(label=f"上传 PDF / DOCX / TXT / MD（单个不超过 {settings.max_file_mb} MB，"
                              f"每会话最多 {settings.max_upload_files} 个、共 {settings.max_upload_mb} MB）",
                        file_count="multiple", file_types=list(SUPPORTED), elem_id="pq-upload")
        with gr.Column():
            add = gr.Button("入库", variant="primary", elem_id="pq-add")
            removable = gr.Dropdown(document_choices(ctx.assistant), value=None, label="选择要移除的文件",
                                    elem_id="pq-removable")
            ask_remove = gr.Button("移除…", variant="stop", elem_id="pq-remove")
    with gr.Group(visible=False, elem_classes="pq-confirm", elem_id="pq-confirm") as confirm_box:
        confirm_text = gr.Markdown("", elem_id="pq-confirm-text")
        with gr.Row():
            confirm = gr.Button("确认移除", variant="stop", elem_id="pq-confirm-yes")
            cancel = gr.Button("取消", elem_id="pq-confirm-no")
    with gr.Row(visible=False) as undo_row:
        undo = gr.Button("撤销移除", size="sm", elem_id="pq-undo")
    pending = gr.State(None)  # the doc_id the confirmation names
    removed = gr.State(None)  # (doc_id, source) of this session's last removal, for 撤销
    uploaded = gr.State((0, 0))  # (files, bytes) this session has handed in, kept on the server

    @reported("入库")
    def upload(files, used, request: gr.Request, progress=gr.Progress()):
        if refusal := may_edit(ctx, request):
            return library_html(ctx.assistant), refusal, gr.update(), None, used
        if not files:
            return library_html(ctx.assistant), "请选择要上传的 PDF / DOCX / TXT 文件。", gr.update(), None, used
        paths = [Path(getattr(f, "name", f)) for f in files]
        progress(0, desc="入库中…")
        message, used = upload_files(ctx, paths, used, progress=lambda done, total, name: progress(
            done / total, desc=f"入库 {name}"))
        return (library_html(ctx.assistant), message, gr.update(choices=document_choices(ctx.assistant), value=None),
                None, used)

    def ask(doc_id, request: gr.Request):
        if refusal := may_edit(ctx, request):
            return gr.update(visible=False), "", None, refusal
        document = next((d for d in ctx.assistant.documents() if d.doc_id == doc_id), None) if doc_id else None
        if document is None:
            return gr.update(visible=False), "", None, "请先在“选择要移除的文件”中选定一份文件。"
        counts = next((s for s in summaries(ctx.assistant.index) if s.doc_id == doc_id), None)
        size = f"（{counts.clauses} 个条款）" if counts else ""
        text = (f"**确定移除 {document.label}{size}吗？** 移除后它不再出现在问答、条款查询和产业查询中；"
                "移除后可以点“撤销移除”恢复。")
        return gr.update(visible=True), text, doc_id, ""

    @reported("移除")
    def remove(doc_id, request: gr.Request):
        last = None
        if refusal := may_edit(ctx, request):
            message = refusal
        elif not doc_id:
            message = "没有待确认的移除。"
        else:
            document = next((d for d in ctx.assistant.documents() if d.doc_id == doc_id), None)
            message = ctx.library.remove(doc_id)
            if document is not None and ctx.library.restorable(doc_id, document.source):
                last = (doc_id, document.source)
        return (library_html(ctx.assistant), message, gr.update(choices=document_choices(ctx.assistant), value=None),
                gr.update(visible=False), None, last, gr.update(visible=last is not None))

    @reported("撤销移除")
    def restore(last, request: gr.Request):
        if refusal := may_edit(ctx, request):
            message = refusal
        else:
            message = ctx.library.restore(*last) if last else "没有可以撤销的移除。"
        return (library_html(ctx.assistant), message, gr.update(choices=document_choices(ctx.assistant), value=None),
                None, gr.update(visible=False))

    add.click(upload, [files, uploaded], [table, status, removable, files, uploaded], api_visibility="private")
    ask_remove.click(ask, removable, [confirm_box, confirm_text, pending, status], api_visibility="private")
    confirm.click(remove, pending, [table, status, removable, confirm_box, pending, removed, undo_row],
                  api_visibility="private")
    undo.click(restore, removed, [table, status, removable, removed, undo_row], api_visibility="private")
    cancel.click(lambda: (gr.update(visible=False), None, "已取消，未移除任何文件。"), None,
                 [confirm_box, pending, status], api_visibility="private")
    removable.input(lambda: (gr.update(visible=False), None), None, [confirm_box, pending], api_visibility="private")
    return table, removable
