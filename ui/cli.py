"""The `policyqa` command. Library errors are translated here, once, into one clear line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from ingest.errors import PolicyQAError
from ingest.settings import Settings, explain_invalid


def _console():
    from rich.console import Console

    # Piped or logged (CI, `| tee`), rich assumes 80 columns and cuts every table cell to "本 …";
    # a wide console keeps the tables readable there. A terminal keeps its own width.
    return Console(soft_wrap=True, width=None if sys.stdout.isatty() else 240)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return Settings(**overrides)


def cmd_prepare(args: argparse.Namespace) -> int:
    from ingest.embedding import prepare_model

    settings = _settings(args)
    location = prepare_model(settings)
    print(f"embedding model ready: {location}")
    if settings.embed_int8:  # build and validate the int8 passage encoder now, not at the first ingest
        from ingest.embedding import Embedder

        embedder = Embedder(settings)
        print(f"passage encoder: {embedder.prepare_passages()} ({embedder.passage_reason})")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from rich.table import Table

    from ingest.embedding import Embedder
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest

    settings = _settings(args)
    console = _console()
    paths = [Path(p) for p in (args.paths or ["corpus"])]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise PolicyQAError(f"{missing[0]} does not exist: give a file or folder to ingest")
    index = PolicyIndex(settings, create=True, chroma_url=args.chroma_url)
    with index.writing(wait=not args.no_wait, on_wait=_say_waiting):  # before the model loads: --no-wait fails fast
        report = ingest(paths, settings, index, Embedder(settings), prune=args.prune, show_bar=True)

    table = Table(title=f"入库结果（{report.seconds:.1f} 秒，索引共 {report.total_chunks} 块）")
    for column in ("文件", "状态", "标题", "条款", "块", "原因"):
        table.add_column(column)
    labels = {"added": "新增", "updated": "更新", "unchanged": "未变", "skipped": "跳过", "removed": "移除"}
    for outcome in report.outcomes:
        table.add_row(outcome.name, labels[outcome.status], outcome.title, str(outcome.clauses or ""),
                      str(outcome.chunks or ""), outcome.reason)
    console.print(table)
    rate = report.chunks_written / report.seconds if report.seconds else 0.0
    console.print(
        f"新增 {report.count('added')}，更新 {report.count('updated')}，未变 {report.count('unchanged')}，"
        f"跳过 {report.count('skipped')}，移除 {report.count('removed')}；写入 {report.chunks_written} 块"
        f"（{rate:.1f} 块/秒）。数据目录：{settings.data_dir}"
    )
    for skipped in report.skipped:
        print(f"skipped {skipped.name}: {skipped.reason}", file=sys.stderr)
    for outcome in report.outcomes:
        if outcome.reason and outcome.status in ("added", "updated"):
            print(f"note {outcome.name}: {outcome.reason}", file=sys.stderr)
    return 1 if report.nothing_ingested else 0


def _say_waiting(message: str) -> None:
    print(f"等待：{message}", file=sys.stderr, flush=True)


def cmd_repair(args: argparse.Namespace) -> int:
    from ingest.embedding import Embedder
    from ingest.repair import repair

    settings = _settings(args)
    report = repair(settings, lambda: Embedder(settings), chroma_url=args.chroma_url,
                    wait=not args.no_wait, on_wait=_say_waiting)
    if report.damage:
        print(f"目录已损坏：{report.damage}")
        if report.moved_to:
            print(f"原文件已移至 {report.moved_to}")
    print(f"修复完成：{report.documents} 份文件，重新嵌入 {report.reembedded} 块，删除孤立向量 {report.orphans} 个。")
    for lost in report.lost:
        print(f"无法重建 {lost}：源文件不存在或无法读取", file=sys.stderr)
    return 0


def format_clause_hit(hit) -> str:
    document, clause = hit.document, hit.clause
    lines = [f"{document.label} {clause.path}" + (f"（{clause.pages}）" if clause.pages else "")]
    if document.issuer or document.date:
        lines.append(f"发文：{document.issuer or '—'}  日期：{document.date or '—'}")
    lines.append(clause.text)
    if clause.units:
        lead = f"（牵头：{clause.lead_unit}）" if clause.lead_unit else "（文件未规定牵头单位）"
        lines.append("责任单位：" + "、".join(clause.units) + lead)
    if clause.standing_rule:
        lines.append(f"通用要求：{clause.standing_rule}")
    if hit.children:
        lines.append("下设条款：" + "；".join(f"{c.path} {c.heading}" for c in hit.children))
    return "\n".join(lines)


def cmd_lookup(args: argparse.Namespace) -> int:
    from ingest.index import PolicyIndex
    from rag.lookup import lookup

    settings = _settings(args)
    index = PolicyIndex(settings, chroma_url=args.chroma_url)
    result = lookup(index, args.citation)
    if result.message:
        print(result.message)
    for number, hit in enumerate(result.hits, start=1):
        if len(result.hits) > 1:
            print(f"\n[{number}]")
        print(format_clause_hit(hit))
    return 0 if result.exact else 1


def cmd_docs(args: argparse.Namespace) -> int:
    import json

    from ingest.index import PolicyIndex
    from rag.library import LEVEL_LABELS, clause_tree, find_document, summaries

    settings = _settings(args)
    index = PolicyIndex(settings, chroma_url=args.chroma_url)
    if args.doc:
        document = find_document(index, args.doc)
        if document is None:
            raise PolicyQAError(f"no document matches '{args.doc}': give its 文号, file name or a unique part of "
                                "its title (`policyqa docs` lists them)")
        summary = next(s for s in summaries(index) if s.doc_id == document.doc_id)
        if args.json:
            print(json.dumps({**summary.to_dict(), "clause_tree": clause_tree(index, document) if args.clauses else None},
                             ensure_ascii=False, indent=1))
        else:
            print(f"{document.label}  {summary.kind or ''} {summary.status}  发文：{'、'.join(summary.issuers) or '—'}  "
                  f"成文：{summary.date or '—'}  施行：{summary.effective_date or '—'}  来源：{summary.source}")
            if args.clauses:
                print("\n".join(clause_tree(index, document)))
        return 0
    rows = summaries(index)
    if args.json:
        print(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=1))
        return 0
    from rich.table import Table

    table = Table(title=f"文件库（{len(rows)} 份，数据目录 {settings.data_dir}）")
    for column in ("标题", "文号", "发文机关", "成文日期", "施行日期", "类型", "状态", "层级", "条款", "块", "来源文件"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.title, row.doc_number or "—", "、".join(row.issuers) or "—", row.date or "—",
                      row.effective_date or "—", row.kind or "—", row.status + ("（含OCR）" if row.ocr_pages else ""),
                      LEVEL_LABELS.get(row.level or "", "—"), str(row.clauses), str(row.chunks), row.source)
    _console().print(table)
    return 0


def _assistant(args: argparse.Namespace):
    from ingest.index import PolicyIndex
    from rag.assistant import Assistant
    from rag.llm import llm_from_settings

    settings = _settings(args)
    return Assistant(settings, index=PolicyIndex(settings, chroma_url=args.chroma_url), llm=llm_from_settings(settings))


def _answer_json(answer, question_id=None) -> dict:
    """The answer for programs: whether an LLM phrased it ("source") and why not, when it did not ("notice")."""
    return {**answer.to_json(question_id), "source": answer.source, "notice": answer.notice or None}


def _jsonl_request(line: str, number: int) -> tuple[object, str, str | None]:
    """(id, question, problem) of one `ask --jsonl` line; the id is the caller's when the line has one,
    else the line number, and problem says what is wrong with the line (None when it can be asked)."""
    import json

    try:
        request = json.loads(line)
    except ValueError as error:
        return number, "", f"line {number} is not JSON ({getattr(error, 'msg', error)}): send one JSON object per line"
    if not isinstance(request, dict):
        return number, "", f'line {number} is not a JSON object: send {{"id": …, "question": "…"}}'
    question_id, question = request.get("id", number), request.get("question")
    if question is None:  # absent or null: never asked as "None"
        given = "missing"
    elif not isinstance(question, str):
        given = f"{type(question).__name__}, not text"
    elif not question.strip():
        given = "empty"
    else:
        return question_id, question, None
    return question_id, "", f'line {number}: "question" is {given}: give the question as a non-empty string'


def cmd_ask(args: argparse.Namespace) -> int:
    import json

    from rag.retrieval import Scope

    assistant = _assistant(args)
    scope = Scope(level=args.level, status=args.status)
    if args.doc:
        from rag.naming import named_documents

        named = named_documents(args.doc, assistant.documents())
        if not named:
            raise PolicyQAError(f"--doc {args.doc!r} matches no ingested document: give its 文号 or part of its title")
        scope = Scope(doc_ids=frozenset(d.doc_id for d in named), level=args.level, status=args.status)
    if args.jsonl:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            question_id, question, problem = _jsonl_request(line, number)
            if problem:  # one error line, with the caller's id when it gave one; the rest go on
                print(json.dumps({"id": question_id, "error": problem}, ensure_ascii=False), flush=True)
                continue
            answer, _ = assistant.ask(question, scope=scope)
            print(json.dumps(_answer_json(answer, question_id), ensure_ascii=False), flush=True)
        return 0
    if not args.question:
        raise PolicyQAError("give a question, e.g. policyqa ask \"百日攻坚第三季什么时候结束？\", or use --jsonl")
    answer, _ = assistant.ask(args.question, scope=scope)
    if args.json:
        print(json.dumps(_answer_json(answer), ensure_ascii=False, indent=1))
    else:
        print(answer.render())
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from eval.dataset import DEFAULT_QUESTIONS, load_questions
    from eval.report import terminal_table, write
    from eval.runner import evaluate

    questions = load_questions(Path(args.questions) if args.questions else DEFAULT_QUESTIONS)
    if args.split:
        questions = [q for q in questions if q.split == args.split]
    assistant = _assistant(args)
    bar = tqdm(total=len(questions), desc="评测", unit="题", file=sys.stderr)
    report = evaluate(assistant, questions, baselines=not args.no_baselines,
                      progress=lambda done, total: bar.update(1))
    bar.close()
    from eval.dataset import test_split_hash

    report["test_split_hash"] = test_split_hash(Path(args.questions) if args.questions else DEFAULT_QUESTIONS)
    out = Path(args.out) if args.out else assistant.settings.data_dir / "reports" / "eval"
    regressed = write(report, out)
    console = _console()
    console.print(terminal_table(report))
    console.print(f"未通过：{'、'.join(report['failed']) or '无'}")
    if regressed:
        console.print(f"相比上次退步：{'、'.join(regressed)}")
    console.print(f"测试集指纹：{report['test_split_hash']}。报告：{out / 'report.md'}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from ui.app import check_port, serve

    check_port(args.host, args.port)  # before the models load: a busy port is one line, not gradio's traceback
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("policyqa").setLevel(logging.INFO)  # the app's own log; libraries stay at warnings
    assistant = _assistant(args)
    print(f"政策问答已启动：http://{args.host}:{args.port}  （Ctrl+C 停止）", flush=True)
    serve(assistant, args.host, args.port, auth=assistant.settings.auth, report_dir=Path(args.reports) if args.reports else None)
    return 0


def _global_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--data-dir", default=default, help="index folder (default .policyqa, or POLICYQA_DATA_DIR)")
    parser.add_argument("--chroma-url", default=default, help="use a `chroma run` server, e.g. http://127.0.0.1:8000")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policyqa", description="政策文件条款级问答（离线）")
    _global_options(parser, None)
    # The same options after the subcommand; SUPPRESS keeps a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], **kwargs)

    prepare = command("prepare", help="convert the bundled embedding model and build its int8 passage encoder (run once at set-up)")
    prepare.set_defaults(run=cmd_prepare)

    ingest = command("ingest", help="ingest files or folders (default: corpus/)")
    ingest.add_argument("paths", nargs="*")
    ingest.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    ingest.add_argument("--no-wait", action="store_true", help="fail at once if another process is writing")
    ingest.set_defaults(run=cmd_ingest)

    repair = command("repair", help="rebuild a damaged catalog from the stored sources; drop orphan vectors; "
                                    "embed chunks the vector store lacks")
    repair.add_argument("--no-wait", action="store_true", help="fail at once if another process is writing")
    repair.set_defaults(run=cmd_repair)

    lookup = command("lookup", help="show a clause by 文号 or title and clause path")
    lookup.add_argument("citation")
    lookup.set_defaults(run=cmd_lookup)

    docs = command("docs", help="list the documents with their metadata, or one document's clause tree")
    docs.add_argument("doc", nargs="?", help="one document: 文号, file name or a unique part of the title")
    docs.add_argument("--clauses", action="store_true", help="print the document's clause tree with units")
    docs.add_argument("--json", action="store_true", help="JSON instead of a table")
    docs.set_defaults(run=cmd_docs)

    ask = command("ask", help="answer a question with clause citations")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true", help="one JSON object")
    ask.add_argument("--jsonl", action="store_true", help='read {"id", "question"} lines on stdin, write one JSON line each')
    ask.add_argument("--doc", help="only this document (文号 or part of the title)")
    ask.add_argument("--level", choices=["province", "city", "county"], help="only documents of this level")
    ask.add_argument("--status", choices=["final", "draft"], help="only final documents, or only drafts")
    ask.set_defaults(run=cmd_ask)

    evaluate = command("eval", help="score answers, citations and refusals on the question set")
    evaluate.add_argument("--questions", help="JSONL question file (default eval/questions.jsonl)")
    evaluate.add_argument("--out", help="folder for report.json, report.md, accuracy.png (default: the data "
                          "folder's reports/eval, which the web app's 评测 shows)")
    evaluate.add_argument("--split", choices=["train", "dev", "test"], help="only this part of the set")
    evaluate.add_argument("--no-baselines", action="store_true", help="skip the BM25 and fixed-chunk baselines")
    evaluate.set_defaults(run=cmd_eval)

    serve = command("serve", help="serve the web app (models load once, before the first request)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--reports", help="folder of the evaluation report shown in 评测 (default: the data folder's "
                       "reports/eval, where `policyqa eval` writes)")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.chroma_url:
            from ingest.store import validate_server_url

            validate_server_url(args.chroma_url)  # before any model loads
        return args.run(args)
    except PolicyQAError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except ValidationError as error:  # settings from POLICYQA_* variables: one line, no pydantic traceback
        print(f"错误：{explain_invalid(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
