"""Chinese throughout, gradio's own strings included.

gradio picks the language of its built-in strings (copy buttons, the connection-lost notice, upload
hints …) from the browser's `navigator.language` before any app code runs. `PageScript` puts the
app's page script (ui.theme.SCRIPT: language zh-CN, citation links) first in the <head> of the page
gradio serves, so an official whose browser is set to English still reads Chinese. `translations()`
adds the strings gradio's zh-CN table lacks.
"""

from __future__ import annotations

import json

from ui.theme import SCRIPT

# Strings gradio shows that its own zh-CN table does not translate (keys of gradio's frontend).
MISSING_ZH = {
    "common.copy": "复制",
    "chatbot.copy_message": "复制",
    "chatbot.copied_message": "已复制",
    "chatbot.like": "有用",
    "chatbot.dislike": "没用",
}


# English gradio writes into the page itself, past its translation tables (gradio 6.x): the page
# script replaces these texts and labels as they appear.
HARD_CODED = {
    "Connection Lost": "连接已断开",
    "Connection to the server was lost. Attempting reconnection...": "与服务器的连接已断开，正在重新连接…",
    "More tabs": "更多标签页",
}


def page_script() -> str:
    """ui.theme.SCRIPT, with a watcher that puts HARD_CODED's Chinese in place of gradio's English."""
    table = json.dumps(HARD_CODED, ensure_ascii=False)
    watcher = f"""
(() => {{
  const table = {table};
  const fix = (root) => {{
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
      const text = node.nodeValue.trim();
      if (table[text]) node.nodeValue = node.nodeValue.replace(text, table[text]);
    }}
    root.querySelectorAll && root.querySelectorAll('[aria-label],[title]').forEach((el) => {{
      for (const name of ['aria-label', 'title']) {{
        const value = el.getAttribute(name);
        if (value && table[value]) el.setAttribute(name, table[value]);
      }}
    }});
  }};
  new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach((node) => {{
    if (node.nodeType === 1) fix(node); else if (node.nodeType === 3 && node.parentNode) fix(node.parentNode);
  }}))).observe(document.documentElement, {{childList: true, subtree: true}});
}})();
"""
    return SCRIPT + watcher


def translations():
    import gradio as gr

    return gr.I18n(**{"zh-CN": dict(MISSING_ZH)})


class PageScript:
    """ASGI middleware: the app's page script and `lang="zh-CN"` in every HTML page gradio serves."""

    def __init__(self, app, script: str | None = None):
        self.app = app
        script = page_script() if script is None else script
        self.tag = f"<script>{script}</script>".encode()

    async def __call__(self, scope, receive, send):
        root = (scope.get("root_path") or "").rstrip("/")
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") or \
                scope["path"].rstrip("/") != root:  # the app's page only: never a served file
            return await self.app(scope, receive, send)
        start: dict | None = None
        chunks: list[bytes] = []

        async def rewrite(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message
                    return
                return await send(message)
            if start is None:
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if b"<head>" in body:
                body = body.replace(b"<head>", b"<head>" + self.tag, 1).replace(b'lang="en"', b'lang="zh-CN"', 1)
            headers = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})

        await self.app(scope, receive, rewrite)
