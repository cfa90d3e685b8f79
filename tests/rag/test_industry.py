from rag.industry import find_industry, to_csv


def test_industry_hits_by_document_and_place(assistant):
    hits = find_industry(assistant.retriever, "无人机")
    places = {(h.document.level, h.place) for h in hits}
    assert ("province", "宜宾、泸州") in places  # place names found in the sentence itself
    assert any(level == "city" and place == "达州市（全市）" for level, place in places)
    assert all("无人机" in h.sentence and h.sentence in h.clause.text for h in hits)


def test_industry_csv_and_empty_term(assistant):
    hits = find_industry(assistant.retriever, "锂电")
    text = to_csv(hits)
    assert text.startswith("\ufeff文件,文号,状态,层级,地区,条款,原文") and text.count("\n") == len(hits) + 1
    assert find_industry(assistant.retriever, " ") == []


def test_single_character_related_terms_and_real_places(assistant):
    from rag.industry import search_industry

    lithium = search_industry(assistant.retriever, "锂", embedder=assistant.embedder)
    assert len(lithium.hits) >= 15 and all(h.term and h.term in h.sentence for h in lithium.hits)
    clothing = search_industry(assistant.retriever, "服装", embedder=assistant.embedder)
    assert "服饰" in clothing.terms and {"服装", "服饰"} <= {h.term for h in clothing.hits}
    drones = search_industry(assistant.retriever, "无人机", embedder=assistant.embedder)
    assert all("无人机" in t for t in drones.terms)  # words that only share a character are not related
    assert {"锂电", "锂电池"} <= set(lithium.terms)
    assert all("的" not in h.place for h in lithium.hits + clothing.hits + drones.hits)
