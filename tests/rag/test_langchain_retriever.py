"""PolicyRetriever against a real index of the corpus (real chromadb, real e5 model): langchain-tests'
standard retriever suite, the filters, per-call k, clause ids, and the README's LangChain examples."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from langchain_core.documents import Document as LCDocument
from langchain_tests.integration_tests import RetrieversIntegrationTests

from ingest.errors import IndexMissing
from ingest.settings import Settings
from rag.langchain_retriever import FILTER_KEYS, PolicyRetriever, clause_id
from rag.retrieval import HybridRetriever, Scope
from tests.fake_llm import FakeOpenAI

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "lcel.py"
QUESTION = "南充—达州组团重点承接哪些产业？"
CAMPAIGN = "达市府办函〔2023〕53号"  # 百日攻坚（第三季）


@pytest.fixture(scope="module")
def hybrid(corpus_index, embedder) -> HybridRetriever:
    return HybridRetriever(corpus_index, embedder, adaptive=False)


@pytest.fixture(scope="module")
def retriever(hybrid) -> PolicyRetriever:
    return PolicyRetriever(hybrid=hybrid, k=3)


class TestPolicyRetrieverStandard(RetrieversIntegrationTests):
    """langchain-tests' RetrieversIntegrationTests, unchanged: k in the constructor and in invoke,
    invoke and ainvoke return Documents, no standard test overridden."""

    @pytest.fixture(autouse=True)
    def _index(self, hybrid) -> None:
        self._hybrid = hybrid

    @property
    def retriever_constructor(self) -> type[PolicyRetriever]:
        return PolicyRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"hybrid": self._hybrid}

    @property
    def retriever_query_example(self) -> str:
        return QUESTION


def test_returns_clauses_with_ids_and_flat_metadata(retriever, corpus_index):
    documents = retriever.invoke(QUESTION)
    assert len(documents) == 3 and all(isinstance(d, LCDocument) for d in documents)
    first = documents[0]
    assert first.metadata["doc_number"] == "川办发〔2022〕67号"
    assert first.metadata["clause_path"] == "三、（七）"
    assert first.metadata["clause_id"] == clause_id(first.metadata["doc_id"], "三、（七）") == \
        f"{first.metadata['doc_id']}#三、（七）"
    # the id is the best chunk's id, the one the catalog and the vector store hold
    assert first.id in corpus_index.catalog.document_chunk_ids(first.metadata["doc_id"])
    assert "丝纺服装" in first.page_content
    assert first.metadata["lead_unit"] == "省经济合作局" and first.metadata["units"][0] == "省经济合作局"
    assert len({d.id for d in documents}) == 3  # one Document per clause
    for document in documents:
        for key, value in document.metadata.items():
            assert isinstance(value, (str, int, float, bool)) or (
                isinstance(value, list) and all(isinstance(v, str) for v in value)), (key, value)
    # the text corpus has no pages: the key is left out rather than set to None
    assert "page" not in first.metadata


def test_ids_are_stable_across_calls_and_k(retriever):
    three = retriever.invoke(QUESTION)
    assert [d.id for d in retriever.invoke(QUESTION, k=5)][:3] == [d.id for d in three]


def test_k_per_call_wins_over_instance_k_and_search_kwargs(hybrid):
    assert len(PolicyRetriever(hybrid=hybrid, search_kwargs={"k": 2}).invoke(QUESTION)) == 2
    assert len(PolicyRetriever(hybrid=hybrid, search_kwargs={"k": 2}).invoke(QUESTION, k=5)) == 5
    assert len(PolicyRetriever(hybrid=hybrid, k=4).invoke(QUESTION, k=1)) == 1


@pytest.mark.parametrize("k", [0, -1, 2.5, "3", True])
def test_bad_k_is_refused_naming_the_value(retriever, hybrid, k):
    with pytest.raises(ValueError, match=rf"k must be a whole number of clauses, at least 1, got {re.escape(repr(k))}"):
        retriever.invoke(QUESTION, k=k)
    with pytest.raises(ValueError, match="at least 1"):
        PolicyRetriever(hybrid=hybrid, search_kwargs={"k": k})


def test_filter_by_status_level_and_document(retriever, hybrid):
    drafts = retriever.invoke("产业集群发展目标", filter={"status": "draft"}, k=8)
    assert drafts and all(d.metadata["status"] == "draft" for d in drafts)
    assert all(d.metadata["status_label"] == "征求意见稿" for d in drafts)
    province = retriever.invoke("承接产业转移", filter={"level": "province"}, k=8)
    assert province and all(d.metadata["level"] == "province" for d in province)
    by_number = retriever.invoke("牵头部门", filter={"doc_number": CAMPAIGN}, k=5)
    assert len(by_number) == 5 and {d.metadata["doc_number"] for d in by_number} == {CAMPAIGN}
    doc_id = by_number[0].metadata["doc_id"]
    by_id = retriever.invoke("牵头部门", filter={"doc_id": [doc_id]}, k=5)
    assert [d.id for d in by_id] == [d.id for d in by_number]
    one_clause = retriever.invoke("承接产业转移", filter={"level": "province", "clause_path": ["三、（七）"]})
    assert [d.metadata["clause_path"] for d in one_clause] == ["三、（七）"]


def test_filter_that_matches_nothing_returns_no_documents(retriever):
    assert retriever.invoke(QUESTION, filter={"doc_id": "no-such-document"}) == []
    assert retriever.invoke(QUESTION, filter={"doc_number": "川办发〔1999〕1号"}) == []
    # a 文号 and a doc_id that name different documents: their intersection is empty
    assert retriever.invoke(QUESTION, filter={"doc_number": CAMPAIGN, "doc_id": "no-such-document"}) == []


def test_filter_narrows_the_instance_scope_and_search_kwargs_filter(hybrid):
    drafts_only = PolicyRetriever(hybrid=hybrid, k=8, search_kwargs={"filter": {"status": "draft"}})
    assert all(d.metadata["status"] == "draft" for d in drafts_only.invoke("产业集群发展目标"))
    # a call's filter replaces the instance's, as VectorStoreRetriever merges search_kwargs
    final = drafts_only.invoke("产业集群发展目标", filter={"status": "final"})
    assert final and all(d.metadata["status"] == "final" for d in final)
    province = PolicyRetriever(hybrid=hybrid, k=8, scope=Scope(level="province"))
    found = province.invoke("牵头部门", filter={"status": "final"})
    assert found and all(d.metadata["level"] == "province" and d.metadata["status"] == "final" for d in found)


def test_unknown_filter_key_names_the_key_and_the_allowed_keys(retriever, hybrid):
    allowed = ", ".join(FILTER_KEYS)
    with pytest.raises(ValueError, match=rf"unknown filter key 'docid': the keys are {allowed}"):
        retriever.invoke(QUESTION, filter={"docid": "x"})
    with pytest.raises(ValueError, match="unknown filter key 'source'"):
        PolicyRetriever(hybrid=hybrid, search_kwargs={"filter": {"source": "a.txt"}})


def test_bad_filter_values_and_arguments_are_named(retriever, hybrid):
    with pytest.raises(ValueError, match=r"filter\['level'\] must be one of province, city, county, got 'nation'"):
        retriever.invoke(QUESTION, filter={"level": "nation"})
    with pytest.raises(ValueError, match=r"filter\['doc_number'\] must be a non-empty string or a non-empty list"):
        retriever.invoke(QUESTION, filter={"doc_number": []})
    with pytest.raises(ValueError, match=r"filter must be a dict such as"):
        retriever.invoke(QUESTION, filter="status=final")
    with pytest.raises(ValueError, match=r"unknown argument 'fetch_k' to invoke: it takes k, filter"):
        retriever.invoke(QUESTION, fetch_k=20)
    with pytest.raises(ValueError, match=r"unknown search_kwargs 'score_threshold': the keys are k, filter"):
        PolicyRetriever(hybrid=hybrid, search_kwargs={"score_threshold": 0.5})
    with pytest.raises(ValueError, match=r"k=3 and search_kwargs\['k'\]=5 disagree"):
        PolicyRetriever(hybrid=hybrid, k=3, search_kwargs={"k": 5})


async def test_ainvoke_takes_k_and_filter(retriever):
    documents = await retriever.ainvoke("牵头部门", k=2, filter={"doc_number": CAMPAIGN})
    assert len(documents) == 2 and {d.metadata["doc_number"] for d in documents} == {CAMPAIGN}


def test_bind_passes_k_and_filter_inside_a_chain(retriever):
    bound = retriever.bind(k=2, filter={"status": "draft"})
    documents = bound.invoke("产业集群发展目标")
    assert len(documents) == 2 and all(d.metadata["status"] == "draft" for d in documents)


def test_from_settings_opens_the_index_with_settings_top_k(corpus_settings, corpus_index, embedder):
    settings = corpus_settings.model_copy(update={"top_k": 2})
    retriever = PolicyRetriever.from_settings(settings, embedder=embedder)
    assert retriever.k == 2 and len(retriever.invoke(QUESTION)) == 2
    assert PolicyRetriever.from_settings(settings, embedder=embedder, k=5).k == 5


def test_from_settings_names_the_missing_index(tmp_path, model_cache, embedder):
    empty = Settings(data_dir=tmp_path / "empty", cache_dir=model_cache)
    with pytest.raises(IndexMissing, match=r"no index in .*empty yet: run `policyqa ingest corpus/` first"):
        PolicyRetriever.from_settings(empty, embedder=embedder)


# ---- the README ------------------------------------------------------------------------------------
def _readme_block(heading: str) -> str:
    """The first ```python block after a README heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(heading + "\n"):]
    return re.search(r"```python\n(.*?)```", after, re.S).group(1)


@pytest.fixture
def environment(monkeypatch, corpus_settings):
    """The POLICYQA_* environment a user has after `policyqa ingest corpus/`, pointing at the test index."""
    for name in ("POLICYQA_LLM_BASE_URL", "POLICYQA_TOP_K", "POLICYQA_EMBEDDING_MODEL", "POLICYQA_CHUNK_CHARS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.setenv("POLICYQA_CACHE_DIR", str(corpus_settings.cache_dir))
    return monkeypatch


def test_readme_shows_the_lcel_example_file_verbatim():
    assert _readme_block("### LCEL: retriever | format_docs | prompt | llm") == EXAMPLE.read_text(encoding="utf-8")


def test_lcel_example_runs_offline_and_cites_title_number_and_clause(environment, capsys):
    runpy.run_path(str(EXAMPLE), run_name="__main__")  # loads the model from the environment, as a user does
    printed = capsys.readouterr().out
    assert printed.startswith("条款：\n[1] 《四川省人民政府办公厅关于承接制造业有序转移的实施意见》（川办发〔2022〕67号） 三、（七）\n")
    assert "丝纺服装" in printed and printed.rstrip().endswith(f"问题：{QUESTION}")
    assert "征求意见稿" not in printed  # the chain binds filter={"status": "final"}


def test_lcel_example_with_an_openai_compatible_endpoint(environment, embedder, capsys):
    environment.setattr("ingest.embedding.Embedder", lambda settings: embedder)  # the same real model, loaded once
    with FakeOpenAI(lambda body: "重点承接能源化工、丝纺服装等特色产业[1]。") as server:
        environment.setenv("POLICYQA_LLM_BASE_URL", server.url)
        environment.setenv("POLICYQA_LLM_MODEL", "fake-qwen")
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    assert capsys.readouterr().out == "重点承接能源化工、丝纺服装等特色产业[1]。\n"
    request = server.requests[0]["body"]
    assert request["model"] == "fake-qwen"
    system, human = request["messages"]
    assert "注明出处" in system["content"]
    assert "[1] 《四川省人民政府办公厅关于承接制造业有序转移的实施意见》（川办发〔2022〕67号） 三、（七）" in human["content"]


def test_readme_retriever_snippet_runs(environment, embedder):
    environment.setattr("ingest.embedding.Embedder", lambda settings: embedder)
    namespace: dict = {}
    exec(compile(_readme_block("## LangChain"), "README.md#LangChain", "exec"), namespace)
    final_only = namespace["final_only"]
    documents = final_only.invoke("产业集群发展目标")
    assert len(documents) == 4 and all(d.metadata["status"] == "final" for d in documents)
    assert namespace["retriever"].k == Settings().top_k


def test_a_document_ingested_after_the_retriever_was_made_is_found(settings, embedder, tmp_path):
    """The retriever reads the catalog's newest generation per call (another process may ingest)."""
    from ingest.index import PolicyIndex
    from ingest.pipeline import ingest
    from tests.helpers import county_notice

    first = tmp_path / "first.txt"
    first.write_text(county_notice("甲县", 12, 3, topic="无人机"), encoding="utf-8")
    ingest([first], settings, PolicyIndex(settings, create=True), embedder)
    retriever = PolicyRetriever.from_settings(settings, embedder=embedder, k=3)
    assert all("预制菜" not in d.page_content for d in retriever.invoke("预制菜园区引进龙头企业多少家？"))
    second = tmp_path / "second.txt"
    second.write_text(county_notice("乙县", 30, 7, topic="预制菜"), encoding="utf-8")
    ingest([second], settings, PolicyIndex(settings), embedder)  # another writer, as a CLI would be
    found = retriever.invoke("预制菜园区引进龙头企业多少家？")
    assert "预制菜" in found[0].page_content and "7家" in found[0].page_content
