"""Keyword tokens: jieba words and character bigrams, and the FTS5 queries built from them.

On this corpus the two rankings together beat either alone: words match terms (锂电池, 牵头部门)
and bigrams survive segmentation mistakes and 文号-like strings. Text is tokenized here, at write
time, and stored space-separated, so SQLite's FTS5 only splits on spaces and never re-segments.
"""

from __future__ import annotations

import logging
import re

_PUNCT = re.compile(r"[\s，。、；：？！“”‘’（）《》〔〕【】\[\]—…·,.;:?!()\"'<>/\\|%+\-=*#]+")
_STOP = frozenset("的 和 与 及 等 在 是 了 对 为 以 将 从 由 于 按 其 各 有 或 并 把 被 中 上 下 哪些 什么 怎么 哪个 多少 吗 呢 么 哪".split())
_NOT_TERM_CHARS = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]")

# FTS5 tokenizer for pre-tokenized text: every Unicode category except separators and controls is
# part of a token, so a stored token (①发, a.b) is matched whole, exactly as it was written.
FTS_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M* P* S*'"

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
    return [w for w in words if w.strip() and not _PUNCT.fullmatch(w) and w not in _STOP and not any(c.isspace() for c in w)]


def bigram_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _PUNCT.split(text.lower()):
        if len(run) == 1:
            tokens.append(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def char_bigrams(text: str) -> set[str]:
    """The set of CJK/alphanumeric character pairs (punctuation dropped first): the unit of the
    term weights and of the answer-overlap scores."""
    text = _NOT_TERM_CHARS.sub("", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def any_of(tokens: list[str]) -> str:
    """An FTS5 query matching chunks with any of the tokens. Repeats are kept: like classic BM25,
    a term the question repeats counts once per repetition."""
    return " OR ".join(_quoted(t) for t in tokens)


def substring_query(text: str) -> str:
    """An FTS5 query over the bigram table that matches chunks containing `text` (within a run of
    non-punctuation characters): its bigrams as consecutive phrases."""
    runs = [run for run in _PUNCT.split(text.lower()) if run]
    phrases = []
    for run in runs:
        grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        phrases.append(_quoted(" ".join(grams)))
    return " AND ".join(phrases)
