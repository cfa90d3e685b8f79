from eval.dataset import EvalQuestion, Gold
from eval.metrics import Cited, Result, answer_correct, gold_rank, summarize

GOLD = (Gold("文件甲", "三、（一）", "牵头单位"),)


def _q(answerable=True, must=("市经信局",), must_not=()):
    return EvalQuestion("T1", "units", "dev", "谁牵头？", "", must, must_not, GOLD if answerable else (), answerable)


def _cited(doc="文件甲", path="三、（一）", text="（一）……牵头单位：市经信局"):
    return Cited(doc, path, "牵头单位", text)


def test_correctness():
    assert answer_correct(Result(_q(), "牵头单位：市经信局", False, (_cited(),), (), 0.01))
    assert not answer_correct(Result(_q(must_not=("市科技局",)), "市经信局、市科技局", False, (), (), 0.01))
    assert not answer_correct(Result(_q(), "市经信局", True, (), (), 0.01))  # refused an answerable one
    assert answer_correct(Result(_q(answerable=False, must=()), "未找到", True, (), (), 0.01))


def test_rank_and_summary():
    hit = Result(_q(), "市经信局", False, (_cited(),), (_cited(path="二、", text="无关"), _cited()), 0.02)
    miss = Result(_q(), "不知道", False, (_cited(path="四、", text="别的"),), (_cited(path="四、", text="别的"),), 0.04)
    assert gold_rank(hit) == 2 and gold_rank(miss) is None
    summary = summarize([hit, miss])
    assert summary["hit@1"] == 0 and summary["hit@5"] == 0.5 and summary["mrr"] == 0.25
    assert summary["first_citation_gold"] == 0.5
    assert summary["quotes_verbatim"] == 0.5  # the miss quotes text its clause does not contain
    assert abs(summary["latency_median_ms"] - 30) < 1e-6
