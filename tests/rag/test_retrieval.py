from rag.lexicon import COLLOQUIAL_TO_FORMAL
from rag.retrieval import HybridRetriever, Scope, formal_words, rrf


def test_rrf_rewards_agreement():
    fused = rrf([["a", "b", "c"], ["b", "a"], ["b"]], k=5)
    assert max(fused, key=fused.get) == "b"


def test_scope_filters_by_document_level_and_status(assistant):
    retriever: HybridRetriever = assistant.retriever
    drafts = retriever.search("产业集群发展目标", Scope(status="draft"), k=8)
    assert drafts and all(e.document.is_draft for e in drafts)
    province = retriever.search("承接产业转移", Scope(level="province"), k=8)
    assert province and all(e.document.level == "province" for e in province)
    campaign = next(d for d in retriever.documents() if d.doc_number == "达市府办函〔2023〕53号")
    only = retriever.search("牵头部门", Scope(doc_ids=frozenset({campaign.doc_id})), k=8)
    assert only and {e.document.doc_id for e in only} == {campaign.doc_id}


def test_every_retrieval_list_contributes(assistant):
    words_only = HybridRetriever(assistant.index, assistant.embedder, use_dense=False, use_bigrams=False)
    dense_only = HybridRetriever(assistant.index, assistant.embedder, use_words=False, use_bigrams=False)
    assert words_only.search("预制菜", k=1)[0].clause.path == "二、（一）"
    assert dense_only.search("哪里可以投资做手机屏幕和触摸屏", k=3)


def test_colloquial_words_add_their_formal_word_to_the_keyword_search():
    assert set(formal_words("工人每天上班几个小时？").split()[1:]) == {"劳动者", "每日", "工作"}
    assert formal_words("每日工作时间") == "每日工作时间"  # already formal: unchanged
    assert set(formal_words("电动车电池能拎回家里充吗？").split()[1:]) == {"电动自行车", "携带", "居住"}
    assert "生育" in formal_words("职工生孩子有什么保障？") and "逝世" in formal_words("哪些人去世要降半旗？")
    assert all(said != formal for said, formal in COLLOQUIAL_TO_FORMAL.items())

