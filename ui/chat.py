"""问答: the chat. Conversations live in the browser (gr.BrowserState, encrypted with the app's
secret), so a reload keeps them; a list of past chats, new chat, delete chat, export as Markdown.

A chat is kept as the records of its answers (ui.citations.record) and the context a follow-up refers
to; what is shown is rebuilt from them over the index as it is now. The sources of every answer stay
with it: numbered links in the answer, a sources panel with one group per answer (the clicked one
shown), and on a phone the sources under the answer.
"""


import re
import secrets
import time
from datetime import datetime

from rag.assistant import Conversation
from rag.retrieval import Scope
from ui import citations
from ui.context import AppContext, log, reported
from ui.library_tab import document_choices

EXAMPLES = [
    "百日攻坚第三季什么时候结束？",
    "主攻重点方向、突出招大引强这项任务的牵头部门是谁？",
    "南充—达州组团重点承接哪些产业？",
    "十四五期间制造业投资额目标是多少？",
    "川办发〔2022〕67号 （七）",
]
EMPTY_STORE = {"chats": [], "current": None}
MAX_CHATS = 50  # the oldest go first: the browser's storage is small


# ---- a chat as kept in the browser ---------------------------------------------------------------
def _chats(store) -> list[dict]:
    return [c for c in (store or {}).get("chats") or [] if isinstance(c, dict) and c.get("id")]


def current_chat(store) -> dict | None:
    chats, current = _chats(store), (store or {}).get("current")
    return next((c for c in chats if c["id"] == current), None)


def new_chat() -> dict:
    return {"id": secrets.token_hex(6), "title": "新对话", "created": datetime.now().isoformat(timespec="seconds"),
            "answers": [], "context": {}}


def with_chat(store, chat: dict) -> dict:
    """The store with `chat` put first and made current."""
    others = [c for c in _chats(store) if c["id"] != chat["id"]]
    return {"chats": ([chat] + others)[:MAX_CHATS], "current": chat["id"]}


def conversation_of(chat: dict | None) -> Conversation:
    kept = (chat or {}).get("context") or {}
    clause = kept.get("clause")
    return Conversation(frozenset(kept.get("doc_ids") or ()), tuple(clause) if clause and len(clause) == 2 else None,
                        str(kept.get("kind") or "other"), str(kept.get("question") or ""))


def context_of(conversation: Conversation) -> dict:
    return {"doc_ids": sorted(conversation.doc_ids), "clause": list(conversation.clause) if conversation.clause else None,
            "kind": conversation.kind, "question": conversation.question}


def chat_choices(store) -> list[tuple[str, str]]:
    return [(f"{c.get('title') or '新对话'}（{len(c.get('answers') or [])} 问）", c["id"]) for c in _chats(store)]


def shown_answers(ctx: AppContext, chat: dict | None) -> list[citations.ShownAnswer]:
    return [citations.resolve(ctx.assistant, n, kept) for n, kept in enumerate((chat or {}).get("answers") or [], start=1)]


def history_of(answers: list[citations.ShownAnswer]) -> list[dict]:
    history = []
    for shown in answers:
        history.append({"role": "user", "content": shown.question})
        history.append({"role": "assistant", "content": citations.answer_message(shown)})
    return history


def answer_number(message: str) -> int | None:
    match = re.search(r"pq-a-(\d+)", message or "")
    return int(match.group(1)) if match else None


def build(ctx: AppContext, demo, secret: str):
    """The tab; returns the scope filter (a list of documents the app keeps current)."""
    import gradio as gr

    store = gr.BrowserState(EMPTY_STORE, storage_key="policyqa-chats", secret=secret)
    with gr.Row():
        with gr.Column(scale=3, min_width=320):
            with gr.Row():
                chat_list = gr.Dropdown([], value=None, label="对话记录", elem_id="pq-chat-list", scale=3)
                new = gr.Button("新对话", size="sm", elem_id="pq-new-chat", scale=1)
                delete = gr.Button("删除对话", size="sm", elem_id="pq-delete-chat", scale=1)
            chatbot = gr.Chatbot(label="对话", height=460, elem_id="pq-chat", buttons=["copy"],
                                 feedback_options=("Like", "Dislike"), sanitize_html=True,
                                 placeholder="**你好！** 可以问日期、牵头部门、产业方向、目标数值，或粘贴文号+条款查看原文。")
            with gr.Row(visible=False, elem_id="pq-feedback-row") as feedback_row:
                comment = gr.Textbox(placeholder="补充说明（可选）：哪里不对、应当是什么", show_label=False, scale=5,
                                     elem_id="pq-feedback-comment")
                send_comment = gr.Button("提交说明", size="sm", scale=1, elem_id="pq-feedback-send")
            feedback_note = gr.Markdown("", elem_id="pq-feedback-note")
            with gr.Row():
                question = gr.Textbox(placeholder="输入问题，回车发送", show_label=False, scale=5, elem_id="pq-question")
                send = gr.Button("发送", variant="primary", scale=1, elem_id="pq-send")
            scope = gr.Dropdown(document_choices(ctx.assistant), value=[], multiselect=True,
                                label="只在这些文件中查找（可选，不选则查全部文件）", elem_id="pq-scope")
            gr.Examples(EXAMPLES, inputs=question, label="示例问题（点击填入）")
            with gr.Row():
                export = gr.Button("导出对话（Markdown）", size="sm", elem_id="pq-export")
                exported = gr.File(label="导出的对话", visible=False, interactive=False, elem_id="pq-exported")
        with gr.Column(scale=2, min_width=280, elem_id="pq-sources-col"):
            gr.Markdown("**引用来源**")
            sources = gr.HTML(citations.sources_panel([], None), elem_id="pq-sources")
    feedback_id = gr.State(None)

    def show(store_value):
        chat = current_chat(store_value)
        answers = shown_answers(ctx, chat)
        return (history_of(answers), citations.sources_panel(answers, None),
                gr.update(choices=chat_choices(store_value), value=chat["id"] if chat else None))

    def respond(message: str, history: list, store_value, scope_ids):
        history = list(history or [])
        message = (message or "").strip()
        if not message:
            history.append({"role": "assistant", "content": "请输入问题，例如：百日攻坚第三季什么时候结束？"})
            yield history, gr.skip(), gr.skip(), "", gr.skip()
            return
        chat = dict(current_chat(store_value) or new_chat())
        history.append({"role": "user", "content": message})
        history.append({"role": "assistant", "content": "正在检索条款…"})
        yield history, gr.skip(), gr.skip(), "", gr.skip()
        try:
            final, state, streamed = None, None, False
            chosen = frozenset(scope_ids or ()) or None
            for kind, payload in ctx.assistant.ask_stream(message, conversation_of(chat), Scope(doc_ids=chosen)):
                if kind == "delta":  # LLM sentences that passed the claim check, never raw tokens
                    history[-1] = {"role": "assistant", "content": payload}
                    streamed = True
                    yield history, gr.skip(), gr.skip(), "", gr.skip()
                else:
                    final, state = payload
            if not streamed:  # the extractive answer streams too, so it reads as it arrives
                for end in range(16, len(final.text), 16):
                    history[-1] = {"role": "assistant", "content": final.text[:end]}
                    yield history, gr.skip(), gr.skip(), "", gr.skip()
                    time.sleep(0.01)
        except Exception as error:  # the user sees one line; the server log gets the traceback
            log.exception("answering %r failed", message)
            history[-1] = {"role": "assistant", "content": f"⚠️ 内部错误，请稍后重试（{type(error).__name__}）。"}
            yield history, gr.skip(), gr.skip(), "", gr.skip()
            return
        chat["answers"] = list(chat.get("answers") or []) + [citations.record(final)]
        chat["context"] = context_of(state)
        if chat.get("title") in (None, "", "新对话"):
            chat["title"] = message[:24]
        store_value = with_chat(store_value, chat)
        answers = shown_answers(ctx, chat)
        yield (history_of(answers), store_value, citations.sources_panel(answers, None), "",
               gr.update(choices=chat_choices(store_value), value=chat["id"]))

    def start_new(store_value):
        chat = new_chat()
        store_value = with_chat(store_value, chat)
        return (store_value, *show(store_value), gr.update(visible=False))

    def switch(chat_id, store_value):
        chat = next((c for c in _chats(store_value) if c["id"] == chat_id), None)
        if chat is None:
            return (gr.skip(), *show(store_value))
        store_value = {"chats": _chats(store_value), "current": chat_id}
        return (store_value, *show(store_value))

    def delete_current(store_value):
        current = (store_value or {}).get("current")
        rest = [c for c in _chats(store_value) if c["id"] != current]
        store_value = {"chats": rest, "current": rest[0]["id"] if rest else None}
        return (store_value, *show(store_value), gr.update(visible=False))

    def clear_current(store_value):
        """The chat's trash icon: its answers, its sources and the context a follow-up would use go."""
        chat = current_chat(store_value)
        if chat is None:
            return gr.skip(), citations.sources_panel([], None), gr.skip()
        chat = {**chat, "answers": [], "context": {}, "title": "新对话"}
        store_value = with_chat(store_value, chat)
        return store_value, citations.sources_panel([], None), gr.update(choices=chat_choices(store_value), value=chat["id"])

    @reported("导出对话")
    def export_chat(store_value):
        chat = current_chat(store_value)
        answers = shown_answers(ctx, chat)
        if not answers:
            return gr.update(visible=False)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = ctx.exports / f"对话-{stamp}.md"
        title = f"政策文件问答：{chat.get('title') or '对话'}（{datetime.now():%Y-%m-%d %H:%M} 导出）"
        path.write_text(citations.markdown_export(title, answers), encoding="utf-8")
        return gr.update(value=str(path), visible=True)

    @reported("反馈")
    def on_like(store_value, data: gr.LikeData):
        number = answer_number(str(data.value if not isinstance(data.value, dict) else data.value.get("value", "")))
        chat = current_chat(store_value)
        kept = ((chat or {}).get("answers") or [])[number - 1] if number and chat and number <= len(chat["answers"]) else None
        if kept is None or data.liked is None or data.liked == "":
            return None, gr.update(visible=False), ""
        helpful = data.liked is True or str(data.liked).lower() == "like"
        row = ctx.feedback.add(kept, helpful)
        note = "谢谢！已记下：有用。" if helpful else "谢谢！已记下：没用。可以补充说明哪里不对（可选）。"
        return row, gr.update(visible=True), note

    @reported("反馈")
    def on_comment(row, text):
        if row is None or not (text or "").strip():
            return gr.update(), gr.update(), "请先写下说明再提交。"
        ctx.feedback.comment(row, text.strip())
        return gr.update(visible=False), "", "已收到说明，谢谢！"

    private = {"api_visibility": "private"}
    outputs = [chatbot, store, sources, question, chat_list]
    send.click(respond, [question, chatbot, store, scope], outputs, concurrency_limit=4, **private)
    question.submit(respond, [question, chatbot, store, scope], outputs, concurrency_limit=4, **private)
    chatbot.clear(clear_current, store, [store, sources, chat_list], **private)
    new.click(start_new, store, [store, chatbot, sources, chat_list, exported], **private)
    delete.click(delete_current, store, [store, chatbot, sources, chat_list, exported], **private)
    chat_list.input(switch, [chat_list, store], [store, chatbot, sources, chat_list], **private)
    export.click(export_chat, store, exported, **private)
    chatbot.like(on_like, store, [feedback_id, feedback_row, feedback_note], **private)
    send_comment.click(on_comment, [feedback_id, comment], [feedback_row, comment, feedback_note], **private)
    demo.load(show, store, [chatbot, sources, chat_list], **private)
    return scope
