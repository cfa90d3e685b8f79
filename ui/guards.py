"""Guards in front of the web app: login attempts and uploads, counted per client.

The two HTTP guards are ASGI middleware around gradio's app. A client is its address as uvicorn
sees it: the TCP peer, or the address a reverse proxy on the same machine writes into
X-Forwarded-For (uvicorn trusts that header from 127.0.0.1 only; FORWARDED_ALLOW_IPS changes it).

- `LoginThrottle`: after `free_failures` failed logins from one client, each further attempt from it
  waits `first_delay` seconds, twice as long after each failure, never more than `max_delay`.
  Attempts from one client are handled one at a time (one arriving while another waits is refused
  with 429), so parallel guesses neither get around the wait nor pile up; other clients are not slowed. A successful login clears the client's record; a record
  with no failure for `forget_after` seconds is forgotten.
- `UploadBudget`: gradio's upload route takes at most `max_files` files and `max_bytes` bytes per
  `window` seconds from one client (the app gives it SESSIONS_PER_CLIENT sessions' quota). The bytes are judged from Content-Length before anything is
  stored (a request without one is refused); the files of a request are counted while it streams
  and a client past its count is refused from its next request on.

`UploadQuota` is the same budget for one browser session where files are added to the library:
there the number of files is known before anything is ingested.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from dataclasses import dataclass, field

_MAX_CLIENTS = 10_000  # records kept per guard; the oldest go first, so memory stays bounded
# One client address may stand for several people (an office behind NAT, a proxy that does not pass
# X-Forwarded-For): at the upload route it gets the budget of this many sessions per hour.
SESSIONS_PER_CLIENT = 4


def _client(scope) -> str:
    client = scope.get("client")
    return client[0] if client else "?"


async def _refuse(send, status: int, message: str) -> None:
    body = message.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff")]})
    await send({"type": "http.response.body", "body": body})


def _is_post_to(scope, route: str) -> bool:
    return scope["type"] == "http" and scope.get("method") == "POST" and scope["path"].rstrip("/").endswith(route)


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class LoginThrottle:
    # Five free attempts cover typing mistakes; then 1, 2, 4 … 30 s per attempt caps one client at
    # about 120 guesses an hour instead of thousands a second, while a user who remembers the
    # password after a few tries waits seconds, not minutes.
    def __init__(self, app, free_failures: int = 5, first_delay: float = 1.0, max_delay: float = 30.0,
                 forget_after: float = 900.0, clock=time.monotonic):
        self.app = app
        self.free_failures, self.first_delay, self.max_delay = free_failures, first_delay, max_delay
        self.forget_after, self.clock = forget_after, clock
        self.records: dict[str, _Failures] = {}

    def delay(self, failures: int) -> float:
        """Seconds an attempt waits after `failures` failed ones."""
        if failures < self.free_failures:
            return 0.0
        return min(self.first_delay * 2 ** (failures - self.free_failures), self.max_delay)

    def _record(self, client: str) -> _Failures:
        now = self.clock()
        record = self.records.get(client)
        if record is not None and record.count and now - record.last > self.forget_after:
            record.count = 0
        if record is None:
            if len(self.records) >= _MAX_CLIENTS:
                oldest = min(self.records, key=lambda c: self.records[c].last)
                del self.records[oldest]
            record = self.records[client] = _Failures(last=now)
        return record

    async def __call__(self, scope, receive, send):
        if not _is_post_to(scope, "/login"):
            return await self.app(scope, receive, send)
        client = _client(scope)
        record = self._record(client)
        if record.lock.locked():  # one attempt at a time per client: a parallel guess is refused, not queued
            return await _refuse(send, 429, "another login attempt from this address is in progress: wait for it")
        async with record.lock:
            if wait := self.delay(record.count):
                await asyncio.sleep(wait)
            status = 0

            async def watch(message):
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            await self.app(scope, receive, watch)
            if status == 200:
                record.count = 0
            elif 400 <= status < 500:
                record.count += 1
                record.last = self.clock()


@dataclass
class _Usage:
    entries: deque = field(default_factory=deque)  # (time, bytes, files)

    def totals(self, since: float) -> tuple[int, int]:
        while self.entries and self.entries[0][0] < since:
            self.entries.popleft()
        return sum(e[1] for e in self.entries), sum(e[2] for e in self.entries)


class UploadBudget:
    def __init__(self, app, max_files: int, max_bytes: int, window: float = 3600.0, clock=time.monotonic):
        self.app = app
        self.max_files, self.max_bytes, self.window, self.clock = max_files, max_bytes, window, clock
        self.usage: dict[str, _Usage] = {}

    def _usage(self, client: str) -> _Usage:
        if client not in self.usage and len(self.usage) >= _MAX_CLIENTS:
            since = self.clock() - self.window
            for other in [c for c, u in self.usage.items() if u.totals(since) == (0, 0)] or [next(iter(self.usage))]:
                del self.usage[other]
        return self.usage.setdefault(client, _Usage())

    async def __call__(self, scope, receive, send):
        if not _is_post_to(scope, "/upload"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if not declared.isdigit():
            return await _refuse(send, 411, "upload refused: send a Content-Length")
        size, hour = int(declared), self.window / 3600
        if size > self.max_bytes:
            return await _refuse(send, 413, f"upload refused: {size / 2**20:.1f} MB in one request is more than the "
                                            f"{self.max_bytes / 2**20:.0f} MB a client may send per {hour:g} h "
                                            "(set by POLICYQA_MAX_UPLOAD_MB)")
        usage = self._usage(_client(scope))
        now = self.clock()
        used_bytes, used_files = usage.totals(now - self.window)
        if used_bytes + size > self.max_bytes or used_files >= self.max_files:
            return await _refuse(send, 429, f"upload refused: this client has sent {used_files} files, "
                                            f"{used_bytes / 2**20:.1f} MB in the last {hour:g} h, and may send "
                                            f"{self.max_files} files, {self.max_bytes / 2**20:.0f} MB (set by "
                                            "POLICYQA_MAX_UPLOAD_FILES and POLICYQA_MAX_UPLOAD_MB): try again later")
        entry = [now, size, 0]  # the bytes are booked before the body is read, so parallel requests cannot overrun
        usage.entries.append(entry)
        match = re.search(rb'boundary="?([^";]+)"?', headers.get(b"content-type", b""))
        delimiter = b"--" + match.group(1) if match else None
        tail = b""

        async def counting():
            nonlocal tail
            message = await receive()
            if delimiter and message["type"] == "http.request":
                chunk = tail + message.get("body", b"")
                entry[2] += chunk.count(delimiter)  # parts seen; the closing delimiter is taken off below
                tail = chunk[-(len(delimiter) - 1):]  # a delimiter split across two chunks is still seen once
            return message

        try:
            await self.app(scope, counting, send)
        finally:
            entry[2] = max(entry[2] - 1, 0)


@dataclass(frozen=True)
class UploadQuota:
    """The per-session budget of files and bytes handed in for ingest. What a session has used
    lives in its `gr.State` (kept on the server, one per browser session), not here."""

    max_files: int
    max_bytes: int

    def take(self, used: tuple[int, int] | None, sizes: list[int]) -> tuple[tuple[int, int], str | None]:
        """(files, bytes) used after booking these files, and None; or what was used before and why
        the files are refused (in Chinese, for the person uploading), booking nothing."""
        files, total = used or (0, 0)
        if files + len(sizes) > self.max_files:
            return (files, total), (f"已拒收：每个会话最多上传 {self.max_files} 个文件（已上传 {files} 个，本次 {len(sizes)} 个）。"
                                    "请分批入库，或由管理员调整 POLICYQA_MAX_UPLOAD_FILES。")
        if total + sum(sizes) > self.max_bytes:
            return (files, total), (f"已拒收：每个会话上传总量不超过 {self.max_bytes / 2**20:.0f} MB（已上传 "
                                    f"{total / 2**20:.1f} MB，本次 {sum(sizes) / 2**20:.1f} MB）。请分批入库，"
                                    "或由管理员调整 POLICYQA_MAX_UPLOAD_MB。")
        return (files + len(sizes), total + sum(sizes)), None
