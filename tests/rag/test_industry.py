from rag.industry import find_industry, to_csv


def test_industry_hits_by_document_and_place(assistant):
    hits = find_industry(assistant.retriever, "无人机")
    places = {(h.document.level, h.place) for h in hits}
    assert ("province", "宜宾—泸州") in places
    assert any(level == "city" and place == "达州市（全市）" for level, place in places)
    assert all("无人机" in h.sentence and h.sentence in h.clause.text for h in hits)


def test_industry_csv_and_empty_term(assistant):
    hits = find_industry(assistant.retriever, "锂电")
    text = to_csv(hits)
    assert text.startswith("\ufeff文件,文号,状态,层级,地区,条款,原文") and text.count("\n") == len(hits) + 1
    assert find_industry(assistant.retriever, " ") == []
