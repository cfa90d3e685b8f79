"""Chunks follow clauses; a long clause is split at sentence ends, never mid-sentence."""

from __future__ import annotations

import re

from ingest.models import Chunk, Clause, ParsedDocument

CHUNKER_VERSION = "clause-v4"  # v4: ids carry the clause ordinal and the file's content hash (catalog)
_SENTENCE = re.compile(r"[^。！？；\n]*(?:[。！？；]+[”’）]*|\n|$)")


def sentences(text: str) -> list[str]:
    """Sentences with their end punctuation kept, so that joining them gives the text back."""
    return [s for s in _SENTENCE.findall(text) if s]


def _pieces(text: str, max_chars: int) -> list[str]:
    """Pack whole sentences into pieces of at most max_chars (a single longer sentence stays whole
    unless it exceeds twice the limit, when it is cut at its commas)."""
    pieces: list[str] = []
    current = ""
    for sentence in sentences(text):
        units = [sentence]
        if len(sentence) > 2 * max_chars:
            units = [u for u in re.findall(r"[^，、]*[，、]?", sentence) if u]
        for unit in units:
            if current and len(current) + len(unit) > max_chars:
                pieces.append(current)
                current = ""
            current += unit
    if current.strip():
        pieces.append(current)
    return pieces or [text]


def _is_bare_heading(clause: Clause) -> bool:
    """A heading line alone (一、总体要求, 第二章 总则): no sentence, nothing after the heading. A clause
    of one short sentence (第六十二条 女职工生育享受不少于九十天的产假。) is content and is indexed."""
    if "\n" in clause.text.strip() or re.search("[。；！？：:]", clause.text):
        return False
    return len(clause.text) <= len(clause.path) + len(clause.heading) + 3


def is_parent_path(parent: str, child: str) -> bool:
    """三、 contains 三、（一）; 专栏 1 does not contain 专栏 10; 附件 1 contains 附件 1 备注."""
    if child == parent or not child.startswith(parent):
        return False
    rest = child[len(parent):]
    return rest[0] == " " or parent.endswith(("、", "）", "章", "节", "条")) or (parent.endswith(".") and rest[0] == "（")


def parent_headings(clauses: tuple[Clause, ...]) -> dict[str, str]:
    """clause path → headings of the clauses it sits in, e.g. 四、发展重点 > （二）构建…"""
    by_path = {c.path: c for c in clauses}
    trail: dict[str, str] = {}
    for clause in clauses:
        parents = [p for p in by_path if is_parent_path(p, clause.path) and by_path[p].heading]
        trail[clause.path] = " > ".join(by_path[p].heading for p in sorted(parents, key=len))
    return trail


def flat_metadata(parsed: ParsedDocument, clause: Clause, part: int, parts: int) -> dict:
    document = parsed.document
    return {
        "doc_id": document.doc_id,
        "doc_title": document.title,
        "doc_number": document.doc_number or "",
        "issuer": document.issuer or "",
        "date": document.date or "",
        "status": document.status,
        "level": document.level or "",
        "source": document.source,
        "clause_path": clause.path,
        "heading": clause.heading,
        "kind": clause.kind,
        "part": part,
        "parts": parts,
        "page_start": clause.page_start if clause.page_start is not None else -1,
        "page_end": clause.page_end if clause.page_end is not None else -1,
        "units": "、".join(clause.units),
        "lead_unit": clause.lead_unit or "",
    }


def chunk_document(parsed: ParsedDocument, max_chars: int) -> list[Chunk]:
    document = parsed.document
    trails = parent_headings(parsed.clauses)
    chunks: list[Chunk] = []
    for ordinal, clause in enumerate(parsed.clauses):
        if _is_bare_heading(clause) or clause.kind == "endmatter":
            continue  # a heading alone answers nothing; lookup still finds it in the clause table
        # Tables and lists in boxes and annexes are cut finer, so a row is not drowned by its neighbours.
        pieces = _pieces(clause.text, max_chars // 2 if clause.kind in ("box", "annex") else max_chars)
        for part, piece in enumerate(pieces):
            context = " ".join(x for x in (trails.get(clause.path), clause.heading) if x)
            embed_text = f"{document.title} {clause.path} {context}\n{piece}"
            chunks.append(Chunk(
                chunk_id=Chunk.make_id(document.doc_id, document.content_hash, ordinal, clause.path, part),
                doc_id=document.doc_id,
                clause_path=clause.path,
                part=part,
                text=piece,
                embed_text=embed_text,
                metadata=flat_metadata(parsed, clause, part, len(pieces)),
            ))
    return chunks
