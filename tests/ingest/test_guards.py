"""What ingest refuses before reading, and the junk it must not let through: links out of the folder,
hidden and unsupported files, files too large to read, giant titles, one clause pasted thousands of times."""

import hashlib
import os
import time
import tracemalloc

import pytest

from ingest.guards import drop_repeated_clauses, scan_paths
from ingest.index import PolicyIndex
from ingest.models import Clause
from ingest.pipeline import file_hash, ingest, parse_document
from ingest.settings import Settings
from tests.helpers import SAMPLE_NOTICE

MB = 1024 * 1024
OTHER_POLICY = SAMPLE_NOTICE.replace("测试产业", "外部产业").replace("〔2024〕9号", "〔2024〕99号")


@pytest.fixture
def folder(tmp_path):
    """A folder holding one document and every kind of thing a walk must not read, each kind once."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "policy.txt").write_text(OTHER_POLICY, encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "notice.txt").write_text(SAMPLE_NOTICE, encoding="utf-8")
    (docs / "passwd.txt").symlink_to("/etc/passwd")
    (docs / "sub" / "escape.txt").symlink_to(outside / "policy.txt")
    (docs / "elsewhere").symlink_to(outside, target_is_directory=True)
    (docs / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    (docs / "alias.txt").symlink_to(docs / "notice.txt")  # inside the folder: followed
    (docs / ".draft.txt").write_text(OTHER_POLICY, encoding="utf-8")
    (docs / ".git").mkdir()
    (docs / ".git" / "notes.txt").write_text(OTHER_POLICY, encoding="utf-8")
    (docs / "README.md").write_text("# 说明\n本文件夹存放政策文件。", encoding="utf-8")
    (docs / "slides.pptx").write_bytes(b"PK\x03\x04")
    (docs / "sheet.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    os.mkfifo(docs / "pipe.txt")  # reading it would block the ingest for ever
    return docs


def test_a_folder_walk_never_leaves_the_folder_and_names_every_file_it_skips(folder):
    collected = scan_paths([folder])
    assert [p.relative_to(folder).as_posix() for p in collected.files] == ["notice.txt"]
    reasons = {r.path.relative_to(folder).as_posix(): r.reason for r in collected.refused}
    assert set(reasons) == {"alias.txt", "passwd.txt", "sub/escape.txt", "elsewhere", "gone.txt", ".draft.txt", ".git",
                            "README.md", "slides.pptx", "sheet.xls", "pipe.txt"}
    assert reasons["alias.txt"] == "symbolic link to notice.txt, which is ingested under its own name"
    assert reasons["passwd.txt"].startswith("symbolic link to /etc/passwd, outside the ingested folder: not followed")
    assert "outside the ingested folder" in reasons["sub/escape.txt"]
    assert reasons["elsewhere"].startswith("symbolic link to the folder ") and "outside the ingested folder" in reasons["elsewhere"]
    assert reasons["gone.txt"].startswith("dangling symbolic link")
    assert reasons[".draft.txt"].startswith("hidden file") and reasons[".git"].startswith("hidden folder")
    assert "README.md" in reasons["README.md"]
    assert reasons["slides.pptx"] == "unsupported file type '.pptx': use PDF, DOCX, HTML, TXT or MD"
    assert reasons["sheet.xls"].startswith("unsupported file type '.xls'")
    assert reasons["pipe.txt"].startswith("not a regular file")


def test_files_named_directly_are_taken_as_given(folder):
    assert scan_paths([folder / "notice.txt", folder / ".draft.txt"]).files == [folder / "notice.txt", folder / ".draft.txt"]


def test_ingest_reports_a_line_for_every_file_and_indexes_nothing_from_outside(folder, settings, embedder):
    index = PolicyIndex(settings, create=True)
    report = ingest([folder], settings, index, embedder)
    assert report.count("added") == 1
    names = sorted(o.name for o in report.outcomes)
    assert names == sorted([".draft.txt", ".git", "README.md", "alias.txt", "elsewhere", "escape.txt", "gone.txt",
                            "notice.txt", "passwd.txt", "pipe.txt", "sheet.xls", "slides.pptx"])
    assert all(o.reason for o in report.skipped)
    texts = " ".join(c.text for c in index.keywords().fetch(sorted(index.catalog.chunk_ids())).values())
    assert "外部产业" not in texts and "root:" not in texts
    assert {d.title for d in index.documents()} == {"达州市测试产业发展工作方案"}


def test_a_too_large_file_is_refused_from_stat_and_never_read(tmp_path, embedder, model_cache):
    settings = Settings(data_dir=tmp_path / "data", cache_dir=model_cache, max_file_mb=50)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(3 * 1024 * MB)  # 3 GiB, sparse: reading it would take seconds and 3 GB of memory
    index = PolicyIndex(settings, create=True)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        report = ingest([huge], settings, index, embedder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [outcome] = report.outcomes
    assert outcome.status == "skipped"
    assert outcome.reason == "too large (3072.0 MB > 50 MB): split it or raise POLICYQA_MAX_FILE_MB"
    assert time.perf_counter() - started < 5 and peak < 50 * MB


def test_file_hash_streams(tmp_path):
    path = tmp_path / "zeros.bin"
    with path.open("wb") as handle:
        handle.truncate(200 * MB)
    tracemalloc.start()
    try:
        digest = file_hash(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    expected = hashlib.sha256()
    for _ in range(200):
        expected.update(bytes(MB))
    assert digest == expected.hexdigest() and peak < 20 * MB


@pytest.mark.slow  # normalizing 1,000,000 characters takes ~8 s on 2 cores
def test_a_million_character_line_is_never_a_title(tmp_path, settings):
    alone = tmp_path / "one-line.txt"
    alone.write_text("政" * 1_000_000 + "\n", encoding="utf-8")
    parsed = parse_document(alone, settings)
    assert parsed.document.title == "one-line"  # the file name, as for any document without a title line
    before = tmp_path / "junk-first.txt"
    before.write_text("政策" * 500_000 + "\n" + SAMPLE_NOTICE, encoding="utf-8")
    assert parse_document(before, settings).document.title == "达州市测试产业发展工作方案"


def test_repeated_clauses_are_dropped_after_the_first():
    clauses = tuple(Clause(path, "", text) for path, text in [
        ("一、", "一、总体要求"), ("一、（一）", "（一）培育基地。"), ("一、（一）（2）", "（一）培育 基地。"),
        ("二、", "二、保障措施"), ("二、（一）", "（一）培育基地。"), ("二、（二）", "（二）加强领导。")])
    kept, dropped = drop_repeated_clauses(clauses)
    assert [c.path for c in kept] == ["一、", "一、（一）", "二、", "二、（二）"] and dropped == 2


def test_a_document_of_one_clause_pasted_ten_thousand_times_is_flagged_and_ingests_fast(tmp_path, settings, embedder):
    clause = "（一）培育无人机测试基地。支持宣汉县建设无人机飞行测试场，引进整机企业3家。（责任单位：市经信局）\n"
    path = tmp_path / "pasted.txt"
    path.write_text(SAMPLE_NOTICE.split("一、总体要求")[0] + "一、总体要求\n" + clause * 10_000, encoding="utf-8")
    index = PolicyIndex(settings, create=True)
    started = time.perf_counter()
    report = ingest([path], settings, index, embedder)
    seconds = time.perf_counter() - started
    [outcome] = report.outcomes
    assert outcome.status == "added"
    assert outcome.reason.startswith("9999 clauses repeating an earlier clause word for word were dropped")
    assert outcome.clauses <= 3 and outcome.chunks <= 3
    assert len(index.clauses(index.documents()[0].doc_id)) == outcome.clauses
    assert seconds < 60, f"{seconds:.1f} s"  # 8 minutes before the repeats were dropped
