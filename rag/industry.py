"""Industry search for investors: every clause that names an industry, grouped by document and place."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ingest.chunking import sentences
from ingest.metadata import place_prefix
from ingest.models import Clause, Document
from ingest.normalize import repair_chars

_PIVOT = re.compile(r"以([\u4e00-\u9fff—、和]{2,16}?)(?:组团)?为支点")
_PLACE = re.compile(r"(?:支持|鼓励|推动|引导)?([\u4e00-\u9fff]{2,4}?(?:市|县|区|州))(?=[^，。；]{0,12}(?:承接|发展|建设|打造|推动|以|加速|加快|重点))")
_NOT_PLACES = {"高新区", "经开区", "示范区", "集聚区", "园区", "都市区", "新区"}


@dataclass(frozen=True)
class IndustryHit:
    document: Document
    clause: Clause
    place: str
    sentence: str  # the sentence that names the industry, verbatim from the clause

    def row(self) -> dict:
        return {
            "文件": self.document.title,
            "文号": self.document.doc_number or (f"（无，{self.document.status_label}）" if self.document.is_draft else ""),
            "状态": self.document.status_label,
            "层级": {"province": "省", "city": "市", "county": "县"}.get(self.document.level or "", ""),
            "地区": self.place,
            "条款": self.clause.path,
            "原文": self.sentence,
        }


def _place(sentence: str, document: Document) -> str:
    if pivot := _PIVOT.search(sentence):
        return pivot.group(1)
    for match in _PLACE.finditer(sentence):
        name = match.group(1)
        if not any(name.endswith(word) for word in _NOT_PLACES) and not name.startswith(("各", "全", "本", "我")):
            return name
    found = place_prefix(document.issuer) or place_prefix(document.title)
    if found:  # the whole area the issuing government covers
        return f"{found[0]}{found[1]}（全{found[1]}）"
    return "—"


def find_industry(catalog, term: str) -> list[IndustryHit]:
    """Clauses whose text names `term` (锂电 finds 锂电池, 锂电材料), best documents first."""
    term = repair_chars(term).strip()
    if len(term) < 2:
        return []
    hits: list[IndustryHit] = []
    for document in sorted(catalog.documents(), key=lambda d: (d.level != "province", d.is_draft, d.title)):
        for clause in catalog.clauses(document.doc_id):
            if clause.kind in ("preamble", "endmatter") or term not in clause.text:
                continue
            for sentence in sentences(clause.text):
                if term in sentence:
                    hits.append(IndustryHit(document, clause, _place(sentence, document), sentence.strip()))
    return hits


def to_csv(hits: list[IndustryHit]) -> str:
    buffer = io.StringIO()
    columns = ["文件", "文号", "状态", "层级", "地区", "条款", "原文"]
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for hit in hits:
        writer.writerow(hit.row())
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 Chinese correctly
