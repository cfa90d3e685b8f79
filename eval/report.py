"""The evaluation report: a terminal table, report.json, report.md, a PNG chart, and regressions
against the previous report in the same folder."""

from __future__ import annotations

import json
from pathlib import Path

METRICS = [
    ("accuracy", "准确率"), ("hit@1", "hit@1"), ("hit@5", "hit@5"), ("mrr", "MRR"),
    ("first_citation_gold", "首条引用正确"), ("citation_precision", "引用精确率"), ("quotes_verbatim", "引文逐字"),
    ("refusal_rate_unanswerable", "应拒答拒答率"), ("false_refusal_rate", "误拒率"),
    ("median_answer_chars", "答案中位长度"), ("latency_median_ms", "时延中位ms"), ("latency_p95_ms", "时延p95 ms"),
]


def _fmt(value, key: str = "") -> str:
    if value is None:
        return "—"
    if key.startswith("latency"):
        return f"{value:.1f}"
    if isinstance(value, float) and value <= 1.0 and not key.startswith("median"):
        return f"{value:.3f}"
    return f"{value:.0f}" if isinstance(value, float) else str(value)


def summary_rows(report: dict) -> list[tuple[str, dict]]:
    rows = [("本系统（全部）", report["system"]["all"])]
    rows += [(f"本系统（{split}）", m) for split, m in report["system"]["splits"].items()]
    rows += [(f"基线 {name}", b["all"]) for name, b in report["baselines"].items()]
    return rows


def markdown(report: dict, regressions: list[str]) -> str:
    lines = ["# 评测报告", "", "| 系统 | " + " | ".join(label for _, label in METRICS) + " |",
             "|---" * (len(METRICS) + 1) + "|"]
    for name, metrics in summary_rows(report):
        lines.append(f"| {name} | " + " | ".join(_fmt(metrics.get(key), key) for key, _ in METRICS) + " |")
    lines += ["", "## 分类准确率", "", "| 类别 | 本系统 | " + " | ".join(report["baselines"]) + " |",
              "|---" * (2 + len(report["baselines"])) + "|"]
    for category, metrics in report["system"]["categories"].items():
        cells = [_fmt(b["categories"][category]["accuracy"]) for b in report["baselines"].values()]
        lines.append(f"| {category} | {_fmt(metrics['accuracy'])} | " + " | ".join(cells) + " |")
    if report.get("refusal_curve"):
        lines += ["", f"## 拒答曲线（当前阈值 {report.get('refusal_threshold', '—')}）", "",
                  "| 数据集 | 阈值 | 拒答精确率 | 拒答召回率 | 准确率 |", "|---|---|---|---|---|"]
        for split, curve in report["refusal_curve"].items():
            for point in curve[::2]:
                lines.append(f"| {split} | {point['threshold']:.2f} | {_fmt(point['precision'])} | "
                             f"{_fmt(point['recall'])} | {_fmt(point['accuracy'])} |")
    if report.get("test_split_hash"):
        lines += ["", f"测试集指纹：{report['test_split_hash']}"]
    lines += ["", f"未通过的问题（{len(report['failed'])}）：" + ("、".join(report["failed"]) or "无")]
    texts = {q["id"]: q for q in report.get("questions", [])}
    for question_id in report["failed"][:300]:
        item = texts.get(question_id)
        if item:
            lines.append(f"- {question_id}（{item['split']}，{item['category']}）{item['question']} → {item['answer'][:80]}")
    if regressions:
        lines.append(f"\n相比上次退步的问题：{'、'.join(regressions)}")
    lines += ["", "![分类准确率](accuracy.png)"]
    return "\n".join(lines) + "\n"


SYSTEM_NAMES = {"policyqa": "本系统", "bm25": "BM25 基线", "fixed_dense": "定长分块向量基线"}


def chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    # Chinese labels need a CJK font (scripts/test.sh installs fonts-wqy-microhei); the first found is used.
    cjk = [f.name for f in font_manager.fontManager.ttflist
           if any(n in f.name for n in ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han"))]
    if cjk:
        plt.rcParams["font.sans-serif"] = [cjk[0], *plt.rcParams["font.sans-serif"]]
        plt.rcParams["axes.unicode_minus"] = False
    categories = list(report["system"]["categories"])
    systems = {SYSTEM_NAMES["policyqa"]: report["system"]}
    systems.update({SYSTEM_NAMES.get(name, name): data for name, data in report["baselines"].items()})
    figure, axis = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(systems)
    for offset, (name, data) in enumerate(systems.items()):
        values = [data["categories"][c]["accuracy"] or 0 for c in categories]
        axis.bar([i + offset * width for i in range(len(categories))], values, width, label=name)
    axis.set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(categories))], categories)
    axis.set_ylim(0, 1)
    axis.set_ylabel("准确率")
    axis.set_xlabel("问题类别")
    axis.set_title("各类问题的准确率：本系统与基线")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def regressions(previous: dict | None, current: dict) -> list[str]:
    if not previous:
        return []
    before = {q["id"]: q["correct"] for q in previous.get("questions", [])}
    return [q["id"] for q in current["questions"] if before.get(q["id"]) and not q["correct"]]


def write(report: dict, out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    previous_path = out / "report.json"
    previous = json.loads(previous_path.read_text(encoding="utf-8")) if previous_path.exists() else None
    if previous:
        (out / "report.previous.json").write_text(json.dumps(previous, ensure_ascii=False, indent=1), encoding="utf-8")
    regressed = regressions(previous, report)
    report = {**report, "regressions": regressed}
    previous_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "report.md").write_text(markdown(report, regressed), encoding="utf-8")
    chart(report, out / "accuracy.png")
    return regressed


def terminal_table(report: dict):
    """Metrics as rows, systems as columns: fits a terminal."""
    from rich.table import Table

    rows = summary_rows(report)
    table = Table(title="评测结果")
    table.add_column("指标")
    for name, _ in rows:
        table.add_column(name, justify="right")
    for key, label in METRICS:
        table.add_row(label, *(_fmt(metrics.get(key), key) for _, metrics in rows))
    return table
