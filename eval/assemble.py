"""Builds eval/questions.jsonl from the question files in eval/written/ and assigns the splits.

Run once when a written file is added (`python -m eval.assemble`); the result is committed. Splits:
- v1.jsonl (written with version 1, tuned on): its dev half → train, its holdout half → dev.
- test_corpus.jsonl (written from the five corpus documents alone, before the answering rebuild) → test.
- corpus_b.jsonl (a second writer, from the five corpus documents alone, after the rebuild): its own
  train / dev halves, never test — it gives train and dev corpus questions that v1's author did not write.
- english_*.jsonl (English questions on the corpus and the realdocs that are not HELD_OUT, written from
  the documents alone after the test split was fixed; each line names its collection): by a hash of
  the id, three quarters train (the test and train buckets) and a quarter dev.
- realdocs_*.jsonl (written from the realdocs alone): every question about a HELD_OUT document → test;
  the others by a hash of the question id: half test, a quarter train, a quarter dev.
- fresh_*.jsonl (sessions 8 and 10: written from the documents alone, HELD_OUT documents excluded, and
  measured once before any change of that session, as a stand-in for unseen questions) → dev.
- pairs_*.jsonl (session 8: an answerable question and an unanswerable one on the same clause, written
  to teach refusal) → train.
A follow-up always takes the split of the question it follows. Categories of v1 are renamed to the
set the newer files use. The hash of the test split is printed and recorded in eval/README.md.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from eval.dataset import test_split_hash

WRITTEN = Path(__file__).with_name("written")
OUT = Path(__file__).with_name("questions.jsonl")

# Realdocs that appear in the test split only (never in train or dev).
HELD_OUT = ("南宁市电动自行车管理条例", "终端设备直连卫星服务管理规定")
# The corpus files as the question writers saw them (../shared/seeds) → as ingested (corpus/).
SEED_TO_CORPUS = {
    "000_2d7110ac23868a0f.txt": "达市府办发〔2023〕4号_达州市承接制造业有序转移工作方案.txt",
    "001_d5cc6e19ee4a0ee9.txt": "川办发〔2022〕67号_四川省人民政府办公厅关于承接制造业有序转移的实施意见.txt",
    "002_61f4bbaa869c0f76.txt": "达市府办函〔2023〕53号_达州市制造业招商引资百日攻坚行动第三季实施方案.txt",
    "003_cf815ffb579868dc.txt": "征求意见稿_达州市十四五制造业高质量发展规划.txt",
    "004_d213c15b5fa5379a.txt": "征求意见稿_达州市重点产业链融圈强链工作实施方案.txt",
}
V1_TITLE_TO_CORPUS = {
    "达州市承接制造业有序转移工作方案": SEED_TO_CORPUS["000_2d7110ac23868a0f.txt"],
    "四川省人民政府办公厅关于承接制造业有序转移的实施意见": SEED_TO_CORPUS["001_d5cc6e19ee4a0ee9.txt"],
    "达州市制造业招商引资“百日攻坚”行动（第三季）实施方案": SEED_TO_CORPUS["002_61f4bbaa869c0f76.txt"],
    "达州市“十四五”制造业高质量发展规划": SEED_TO_CORPUS["003_cf815ffb579868dc.txt"],
    "达州市重点产业链融圈强链工作实施方案": SEED_TO_CORPUS["004_d213c15b5fa5379a.txt"],
}
V1_CATEGORIES = {"industry": "list", "numeric": "amount", "multi": "compare"}


def _read(name: str) -> list[dict]:
    return [json.loads(line) for line in (WRITTEN / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _bucket(question_id: str) -> str:
    value = int(hashlib.sha1(question_id.encode()).hexdigest(), 16) % 4
    return "test" if value < 2 else ("train" if value == 2 else "dev")


def assemble() -> list[dict]:
    questions: list[dict] = []
    for raw in _read("v1.jsonl"):
        raw["split"] = "train" if raw["split"] == "dev" else "dev"
        raw["category"] = V1_CATEGORIES.get(raw["category"], raw["category"])
        raw["writer"] = "v1"
        raw["collection"] = "corpus"
        for gold in raw["gold"]:
            gold["source"] = V1_TITLE_TO_CORPUS[gold["doc"]]
        questions.append(raw)
    for raw in _read("test_corpus.jsonl"):
        raw["split"] = "test"
        raw["collection"] = "corpus"
        for gold in raw["gold"]:
            gold["source"] = SEED_TO_CORPUS[gold["source"]]
        questions.append(raw)
    for raw in _read("corpus_b.jsonl"):
        raw["collection"] = "corpus"
        questions.append(raw)
    for name in sorted(p.name for p in WRITTEN.glob("english_*.jsonl")):
        by_question = {}
        for raw in _read(name):
            raw["split"] = by_question.get(raw.get("follows") or "", "train" if _bucket(raw["id"]) in ("test", "train") else "dev")
            by_question[raw["question"]] = raw["split"]
            questions.append(raw)
    for name in sorted(p.name for p in WRITTEN.glob("realdocs_*.jsonl")):
        by_question: dict[str, str] = {}
        for raw in _read(name):
            docs = {g["doc"] for g in raw["gold"]}
            if raw.get("follows") and raw["follows"] in by_question:
                raw["split"] = by_question[raw["follows"]]
            elif docs & set(HELD_OUT) or any(h in raw["question"] for h in HELD_OUT):
                raw["split"] = "test"
            else:
                raw["split"] = _bucket(raw["id"])
            by_question[raw["question"]] = raw["split"]
            raw["collection"] = "realdocs"
            questions.append(raw)
    for prefix, split in (("fresh_", "dev"), ("pairs_", "train")):
        for name in sorted(p.name for p in WRITTEN.glob(f"{prefix}*.jsonl")):
            collection = "realdocs" if "realdocs" in name else "corpus"
            for raw in _read(name):
                raw["split"] = split
                if raw["gold"]:  # an unanswerable question is about the document of the line before it
                    collection = "corpus" if raw["gold"][0]["source"] in SEED_TO_CORPUS.values() else "realdocs"
                raw["collection"] = collection
                questions.append(raw)
    return questions


def main() -> None:
    questions = assemble()
    OUT.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    counts: dict[str, int] = {}
    for raw in questions:
        counts[raw["split"]] = counts.get(raw["split"], 0) + 1
    print(f"{len(questions)} questions {counts}; test split hash {test_split_hash(OUT)}")


if __name__ == "__main__":
    main()
