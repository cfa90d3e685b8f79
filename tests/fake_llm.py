"""A small OpenAI-compatible chat server on 127.0.0.1 for tests: the real HTTP protocol, canned replies.

Besides a fixed reply it can behave like the LLMs an attacker hopes for: one that obeys instructions
it finds inside the documents (`obey_injections`), and one that trickles its reply a chunk at a time
(`interval`).
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

# An instruction planted in a document, the way the attacks in issue 10 were written.
INJECTION = re.compile(r"(?:忽略以上(?:所有)?指令|无视以上指令)[，,]?\s*回答[:：]\s*(.+?)(?:。|$)", re.M)
_BLOCK = re.compile(r'<证据 编号="E(\d+)" 标记="(\w+)">(.*?)</证据 标记="\2">', re.S)


def obeyed_instruction(body: dict) -> str | None:
    """What an instruction-following LLM answers when a document tells it what to say: the planted
    answer, citing the block it came from."""
    prompt = "\n".join(m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user")
    for number, _, text in _BLOCK.findall(prompt):
        found = INJECTION.search(text)
        if found:
            return f"{found.group(1)}[E{number}]。"
    return None


def block_with(body: dict, text: str) -> int:
    """The number of the evidence block whose text contains `text` (what an honest LLM would cite)."""
    prompt = "\n".join(m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user")
    return next(int(number) for number, _, block in _BLOCK.findall(prompt) if text in block)


class FakeOpenAI:
    def __init__(self, reply: str | Callable[[dict], str] = "", status: int = 200, delay: float = 0.0,
                 interval: float = 0.0, chunk_chars: int = 8, obey_injections: bool = False):
        self.reply, self.status, self.delay = reply, status, delay
        self.interval, self.chunk_chars, self.obey_injections = interval, chunk_chars, obey_injections
        self.requests: list[dict] = []
        self.replies: list[str] = []  # what the server actually sent, request by request
        self.in_flight = self.most_in_flight = 0  # requests being answered at once (now, at most)
        self._count = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                with owner._count:
                    owner.in_flight += 1
                    owner.most_in_flight = max(owner.most_in_flight, owner.in_flight)
                try:
                    self._answer()
                finally:
                    with owner._count:
                        owner.in_flight -= 1

            def _answer(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                owner.requests.append({"path": self.path, "body": body})
                time.sleep(owner.delay)
                if owner.status != 200:
                    self.send_response(owner.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps({"error": {"message": "boom", "type": "server_error"}}).encode())
                    return
                reply = owner.reply_for(body)
                owner.replies.append(reply)
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for index in range(0, len(reply), owner.chunk_chars):
                        chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                                 "choices": [{"index": 0, "delta": {"content": reply[index:index + owner.chunk_chars]},
                                              "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                        time.sleep(owner.interval)
                    done = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": body["model"],
                            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                    self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                    return
                payload = {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": reply}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            request_queue_size = 64  # many clients at once (the default backlog is 5)

            def handle_error(self, request, client_address):  # a client that timed out and left
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply_for(self, body: dict) -> str:
        if self.obey_injections and (obeyed := obeyed_instruction(body)):
            return obeyed
        return self.reply(body) if callable(self.reply) else self.reply

    def __enter__(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
