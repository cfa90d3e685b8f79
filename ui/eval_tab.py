"""评测: the latest evaluation of the data folder in use (`policyqa eval` writes it there), with its
date and the failing questions' text, and what people said about answers (👍/👎), exportable as
questions for the evaluation set."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from html import escape

from ui.context import AppContext, reported


def report_markdown(ctx: AppContext) -> tuple[str, str | None]:
    """(the report as Markdown, the chart to show or None)."""
    source = ctx.report_dir / "report.json"
    if not source.exists():
        return (f"还没有评测报告。运行 `policyqa eval` 后点“刷新”（报告写在数据目录的 reports/eval 中，"
                f"本页读取 `{ctx.report_dir.name}`）。"), None
    report = json.loads(source.read_text(encoding="utf-8"))
    run = datetime.fromtimestamp(source.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    body = (ctx.report_dir / "report.md").read_text(encoding="utf-8") if (ctx.report_dir / "report.md").exists() else ""
    body = body.split("\n未通过的问题")[0].replace("![分类准确率](accuracy.png)", "").replace("# 评测报告", "").strip()
    questions = {q["id"]: q for q in report.get("questions", [])}
    failed = report.get("failed", [])
    lines = [f"### 评测报告（运行于 {run}，共 {len(questions)} 题，未通过 {len(failed)} 题）", "", body, "",
             f"#### 未通过的问题（{len(failed)}）", ""]
    for question_id in failed[:300]:
        item = questions.get(question_id, {})
        answer = str(item.get("answer", ""))[:80].replace("\n", " ")
        lines.append(f"- **{question_id}**（{item.get('split', '—')}，{item.get('category', '—')}）"
                     f"{item.get('question', '（题目文本不在报告中）')} → {answer}")
    chart = ctx.report_dir / "accuracy.png"
    shown = None
    if chart.exists():  # handed out from gradio's folder, like every file the app shows
        shown = ctx.exports / "accuracy.png"
        shutil.copyfile(chart, shown)
    return "\n".join(lines), str(shown) if shown else None


def feedback_html(ctx: AppContext) -> str:
    helpful, unhelpful = ctx.feedback.counts()
    rows = ctx.feedback.rows(limit=50)
    if not rows:
        return '<div class="pq-empty">还没有用户反馈：问答中每条回答下的 👍/👎 会记录在这里。</div>'
    body = "".join(
        f"<tr><td>{escape(r['created'])}</td><td>{'👍' if r['helpful'] else '👎'}</td><td>{escape(r['question'])}</td>"
        f"<td class=\"pq-wrap\">{escape(r['answer'][:160])}</td><td>{escape(r['comment'] or '—')}</td></tr>" for r in rows)
    return (f'<div class="pq-muted">有用 {helpful}，没用 {unhelpful}（最近 {len(rows)} 条）</div>'
            '<div class="pq-table-scroll"><table class="pq-table"><thead><tr><th>时间</th><th>评价</th><th>问题</th>'
            f"<th>回答</th><th>说明</th></tr></thead><tbody>{body}</tbody></table></div>")


def build(ctx: AppContext, demo) -> None:
    import gradio as gr

    refresh = gr.Button("刷新", size="sm", elem_id="pq-eval-refresh")
    report_md = gr.Markdown("", elem_id="pq-eval-report")
    chart = gr.Image(None, label="分类准确率：本系统与基线", interactive=False, elem_id="pq-eval-chart")
    gr.Markdown("#### 用户反馈")
    feedback = gr.HTML("", elem_id="pq-feedback")
    with gr.Row():
        export = gr.Button("导出为评测题（JSONL）", size="sm", elem_id="pq-feedback-export")
        exported = gr.File(label="评测题", visible=False, interactive=False, elem_id="pq-feedback-file")

    @reported("评测报告")
    def show():
        text, image = report_markdown(ctx)
        return text, image, feedback_html(ctx)

    @reported("导出反馈")
    def export_questions():
        path = ctx.exports / f"feedback-questions-{datetime.now():%Y%m%d-%H%M%S}.jsonl"
        count = ctx.feedback.export_questions(path)
        if not count:
            raise gr.Error("还没有反馈可以导出。", print_exception=False)
        return gr.update(value=str(path), visible=True)

    refresh.click(show, None, [report_md, chart, feedback], api_visibility="private")
    export.click(export_questions, None, exported, api_visibility="private")
    demo.load(show, None, [report_md, chart, feedback], api_visibility="private")
