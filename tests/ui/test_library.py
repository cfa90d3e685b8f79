"""Uploads through the app's library: stored by content hash, nothing overwritten, rejects leave no trace."""

import pytest

from ingest.index import PolicyIndex
from tests.helpers import county_notice


@pytest.fixture
def library(settings, embedder):
    from rag.assistant import Assistant
    from ui.app import Library

    return Library(Assistant(settings, index=PolicyIndex(settings, create=True), embedder=embedder))


def _upload(tmp_path, folder, name, text):
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8")) if isinstance(text, str) else path.write_bytes(text)
    return path


def _stored(library):
    return sorted(p.relative_to(library.uploads).as_posix() for p in library.uploads.rglob("*")
                  if p.is_file() and library.removed not in p.parents)


def test_same_name_uploads_are_both_stored_and_both_answer(tmp_path, library):
    first = _upload(tmp_path, "a", "通知.txt", county_notice("宣汉县", 50, 3, "宣府办发〔2024〕3号"))
    second = _upload(tmp_path, "b", "通知.txt", county_notice("渠县", 80, 5, "渠府办发〔2024〕8号"))
    report = library.add([first])
    assert report.count("added") == 1
    report = library.add([second])
    assert report.count("added") == 1
    stored = _stored(library)
    assert len(stored) == 2 and all(s.endswith("/通知.txt") for s in stored)
    sources = {d.source for d in library.assistant.documents()}
    assert sources == {f"uploads/{s}" for s in stored}
    answer, _ = library.assistant.ask("渠县测试产业到2026年规模要达到多少？")
    assert "80亿元" in answer.text

    again = library.add([_upload(tmp_path, "c", "另一个名字.txt", county_notice("渠县", 80, 5, "渠府办发〔2024〕8号"))])
    assert again.count("unchanged") == 1 and _stored(library) == stored, "the same bytes are one document"


def test_a_rejected_upload_touches_nothing(tmp_path, library):
    good = _upload(tmp_path, "a", "通知.txt", county_notice("宣汉县", 50, 3, "宣府办发〔2024〕3号"))
    library.add([good])
    stored = {p: p.read_bytes() for p in library.uploads.rglob("*") if p.is_file()}
    documents = library.assistant.documents()
    report = library.add([_upload(tmp_path, "b", "通知.txt", b"")])
    assert report.count("skipped") == 1
    assert {p: p.read_bytes() for p in library.uploads.rglob("*") if p.is_file()} == stored
    assert [p for p in library.uploads.iterdir()] == [next(iter(stored)).parent]
    assert library.assistant.documents() == documents


def test_removing_an_upload_removes_its_file_only_and_can_be_undone(tmp_path, library):
    library.add([_upload(tmp_path, "a", "通知.txt", county_notice("宣汉县", 50, 3, "宣府办发〔2024〕3号")),
                 _upload(tmp_path, "b", "通知.txt", county_notice("渠县", 80, 5, "渠府办发〔2024〕8号"))])
    first, second = library.assistant.documents()
    assert library.remove(first.doc_id).startswith("已移除")
    assert _stored(library) == [second.source.removeprefix("uploads/")]
    assert [d.doc_id for d in library.assistant.documents()] == [second.doc_id]
    assert library.restore(first.doc_id, first.source) == "已撤销移除，文件已恢复。"
    assert sorted(d.doc_id for d in library.assistant.documents()) == sorted([first.doc_id, second.doc_id])
    assert sorted(_stored(library)) == sorted([first.source.removeprefix("uploads/"),
                                               second.source.removeprefix("uploads/")])
