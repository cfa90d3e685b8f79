"""Keyword index: BM25 over jieba words and over character bigrams, persisted beside the vectors.

On this corpus the two together beat either alone: words match terms (锂电池, 牵头部门) and
bigrams survive segmentation mistakes and 文号-like strings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）《》〔〕【】\[\]—…·,.;:?!()\"'<>/\\|%+\-=*#]+")
_STOP = frozenset("的 和 与 及 等 在 是 了 对 为 以 将 从 由 于 按 其 各 有 或 并 把 被 中 上 下 哪些 什么 怎么 哪个 多少 吗 呢 么 哪".split())


_JIEBA = None


def _jieba():
    global _JIEBA  # the module, imported once (it loads its dictionary on first use)
    if _JIEBA is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _JIEBA = jieba
    return _JIEBA


def word_tokens(text: str) -> list[str]:
    words = _jieba().lcut_for_search(text.lower())
    return [w for w in words if w.strip() and not _PUNCT.fullmatch(w) and w not in _STOP]


def bigram_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _PUNCT.split(text.lower()):
        if len(run) == 1:
            tokens.append(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


@dataclass
class _Bm25:
    ids: list[str]
    tokens: list[list[str]]

    def __post_init__(self) -> None:
        from rank_bm25 import BM25Okapi

        self._bm25 = BM25Okapi(self.tokens) if self.tokens else None

    def rank(self, query_tokens: list[str], allowed: set[str] | None, k: int) -> list[tuple[str, float]]:
        if self._bm25 is None or not query_tokens:
            return []
        scores = self._bm25.get_scores(query_tokens)
        order = sorted(range(len(self.ids)), key=lambda i: -scores[i])
        ranked = [(self.ids[i], float(scores[i])) for i in order
                  if scores[i] > 0 and (allowed is None or self.ids[i] in allowed)]
        return ranked[:k]


class KeywordIndex:
    """Two BM25 rankings over the same chunks; `fingerprint` ties it to the vector store's content."""

    def __init__(self, ids: list[str], words: list[list[str]], bigrams: list[list[str]], fingerprint: str):
        self.ids = ids
        self.fingerprint = fingerprint
        self._words = _Bm25(ids, words)
        self._bigrams = _Bm25(ids, bigrams)

    @staticmethod
    def fingerprint_of(ids: list[str], texts: list[str]) -> str:
        digest = hashlib.sha1()
        for chunk_id, text in sorted(zip(ids, texts)):
            digest.update(chunk_id.encode())
            digest.update(hashlib.sha1(text.encode("utf-8")).digest())
        return digest.hexdigest()

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "KeywordIndex":
        return cls(ids, [word_tokens(t) for t in texts], [bigram_tokens(t) for t in texts],
                   cls.fingerprint_of(ids, texts))

    def save(self, path: Path) -> None:
        payload = {"fingerprint": self.fingerprint, "ids": self.ids,
                   "words": self._words.tokens, "bigrams": self._bigrams.tokens}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "KeywordIndex | None":
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            return cls(payload["ids"], payload["words"], payload["bigrams"], payload["fingerprint"])
        except (OSError, ValueError, KeyError):
            return None

    def search_words(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        return self._words.rank(word_tokens(query), allowed, k)

    def search_bigrams(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        return self._bigrams.rank(bigram_tokens(query), allowed, k)

    def vocabulary(self) -> set[str]:
        """Every jieba word in the indexed chunks."""
        return {token for tokens in self._words.tokens for token in tokens}
