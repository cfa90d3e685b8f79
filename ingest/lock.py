"""One writer at a time per data folder: an exclusive `flock` on `data_dir/write.lock`.

The kernel drops the lock when its holder dies (kill -9 included), so a crashed writer never
leaves the folder locked. Readers never take it: they read committed generations of the catalog.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from pathlib import Path
from typing import Callable, Iterator

from ingest.errors import WriterBusy

LOCK_FILE = "write.lock"


class WriterLock:
    """Re-entrant within one process (a batch inside the app's upload holds it once)."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_FILE
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() or "another process"
        except OSError:
            return "another process"

    def acquire(self, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        if not self._thread_lock.acquire(blocking=wait):
            raise WriterBusy(f"another writer in this process is changing {self.path.parent}; try again when it is done")
        if self._depth:
            self._depth += 1
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    os.close(fd)
                    raise WriterBusy(f"{self.holder()} is writing to {self.path.parent}; "
                                     "run again when it is done, or without --no-wait to wait for it") from None
                if on_wait:
                    on_wait(f"{self.holder()} is writing to {self.path.parent}; waiting for it to finish…")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
            self._fd = fd
            self._depth = 1
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    @property
    def held(self) -> bool:
        return self._depth > 0


@contextlib.contextmanager
def exclusive_open(folder: Path) -> Iterator[None]:
    """Held while a process opens (and on first open, creates) an embedded store in `folder`.

    chromadb runs its schema migrations on open without a lock of its own: two processes that open
    a new folder at once both try `CREATE TABLE collections` and one fails. Readers take this too,
    but only for the moment of opening, never while they read.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder.parent / f".{folder.name}.open.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a read-only folder: nothing can be created in it, so nothing to race on
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
