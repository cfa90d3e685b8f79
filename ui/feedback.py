"""What people say about answers: 👍/👎 with an optional comment, kept in the data folder (SQLite).

The 评测 tab lists it; `export_questions` writes the 👎 answers (and the 👍 ones, as regression
guards) as lines of the evaluation set's format (eval/questions.jsonl) for a person to complete with
the right answer and gold clause before they join the set.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from datetime import datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    confidence REAL NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    citations TEXT NOT NULL
)
"""


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, kept: dict, helpful: bool) -> int:
        """Record a rating of one answer (a record from ui.citations) → the row's id."""
        with self.lock, closing(self._connect()) as db, db:
            cursor = db.execute(
                "INSERT INTO feedback (created, question, answer, refused, confidence, helpful, citations) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (datetime.now().isoformat(timespec="seconds"), str(kept.get("question", "")), str(kept.get("text", "")),
                 int(bool(kept.get("refused"))), float(kept.get("confidence") or 0.0), int(helpful),
                 json.dumps(kept.get("citations") or [], ensure_ascii=False)))
            return int(cursor.lastrowid)

    def comment(self, row: int, text: str) -> None:
        with self.lock, closing(self._connect()) as db, db:
            db.execute("UPDATE feedback SET comment = ? WHERE id = ?", (text[:2000], int(row)))

    def rows(self, limit: int = 200) -> list[dict]:
        with closing(self._connect()) as db:
            db.row_factory = sqlite3.Row
            found = db.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in found]

    def counts(self) -> tuple[int, int]:
        """(helpful, not helpful)."""
        with closing(self._connect()) as db:
            found = dict(db.execute("SELECT helpful, count(*) FROM feedback GROUP BY helpful").fetchall())
        return found.get(1, 0), found.get(0, 0)

    def export_questions(self, out: Path) -> int:
        """Rated answers as evaluation questions (eval/questions.jsonl's fields) → how many were written.
        A 👎 answer becomes a question whose expected answer is still to be written (`answer` empty,
        `review` says so); a 👍 answer keeps its answer and citations as gold."""
        lines = []
        for row in reversed(self.rows(limit=100_000)):
            cited = json.loads(row["citations"] or "[]")
            helpful = bool(row["helpful"])
            lines.append({
                "id": f"FB{row['id']:04d}", "split": "feedback", "category": "feedback",
                "question": row["question"], "answer": row["answer"] if helpful else "",
                "must_contain": [], "must_not_contain": [],
                "gold": [{"doc": c.get("title", ""), "clause_path": c.get("path", ""), "quote": c.get("quote", "")}
                         for c in cited] if helpful else [],
                "answerable": not row["refused"] if helpful else True,
                "writer": "feedback", "collection": "feedback",
                "review": "" if helpful else f"用户标记为没用：{row['comment'] or '（无说明）'}；请写出正确答案和依据条款",
            })
        out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        return len(lines)
