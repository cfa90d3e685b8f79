"""English questions over Chinese documents: question words read as the Chinese ones the kinds know,
clause references written the documents' way, follow-ups, and answers over the real corpus."""

import re

import pytest

from rag import lexicon
from rag.english import chinese_references, chinese_terms, english_cues, leans_back, without_english
from rag.kinds import classify
from rag.question import analyse
from rag.refusal import asked_units

# One English question for every entry of lexicon.ENGLISH_QUESTION_WORDS, with the words it must give.
CUES = {
    "What is the document number of this notice?": "文号",
    "When does this regulation come into force?": "什么时候施行",
    "Which ministry issued these rules?": "发文机关是哪个",
    "When was the notice published?": "什么时候印发",
    "How many articles does the law have?": "一共多少条",
    "Which guidelines does the plan implement?": "根据哪个文件制定",
    "Is this a draft?": "是征求意见稿吗",
    "How often must the data be reported?": "多久一次",
    "How many working days does the bureau have to decide?": "多长时间",
    "When does the second phase start?": "什么时候",
    "How much is the subsidy for each new hire?": "多少钱",
    "What is the target share of renewable power?": "多少",
    "Which bureau approves the application?": "哪个部门负责",
    "Which districts host the new parks?": "哪些地方",
    "Where should the forms be filed?": "在哪里",
    "What kinds of firms are supported?": "哪些",
    "Under what conditions can a permit be revoked?": "是指什么条件",
    "What is the difference between the provincial and city targets?": "分别有什么不同",
    "Must a shop register first?": "可以吗",
    "What if the applicant is under age?": "怎么办",
    "How should the counties carry out the task?": "怎么",
}


def test_every_english_entry_has_an_example():
    assert set(CUES.values()) == set(lexicon.ENGLISH_QUESTION_WORDS.values())


@pytest.mark.parametrize("question, words", CUES.items())
def test_english_question_words_become_chinese_ones(question, words):
    assert words in english_cues(question)


@pytest.mark.parametrize("question, absent", [
    ("How many days may the permit be extended?", "多少"),  # a duration, not a count: the earlier entry claims it
    ("I am a teacher who moved here; may I apply?", "哪个部门负责"),  # a relative "who" asks for nobody
    ("Can an expert review again when a year has passed?", "什么时候"),  # a "when" that joins clauses asks no date
    ("How many trips funded by the city are required?", "多少钱"),  # how many counts; money is asked with how much
])
def test_words_that_do_not_ask(question, absent):
    assert absent not in english_cues(question)


def test_a_question_particle_closes_the_cues():
    assert english_cues("Would a branch office count as a headquarters?").endswith("吗")


@pytest.mark.parametrize("question, kind", [
    ("When does this regulation take effect?", "docfact"), ("Who issued the notice?", "docfact"),
    ("How long is the publicity period?", "duration"), ("Which agency supervises the fund?", "who"),
    ("How often are inspections carried out?", "frequency"), ("What kinds of projects are supported?", "list"),
    ("Am I allowed to park on the pavement?", "yesno"), ("How much is the fine for a late filing?", "amount"),
    ("What years does the plan cover?", "when"), ("Where do I submit the form?", "where"),
])
def test_english_kinds_are_read_from_their_chinese_cues(question, kind):
    scores = analyse(question, [], classify).kind_scores
    assert max(scores, key=scores.get) == kind


def test_money_asked_in_english_needs_money_in_the_answer():
    question = analyse("How much subsidy does a new firm get?", [], classify)
    assert "元" in asked_units(question.asked)
    assert asked_units(analyse("How many firms are visited?", [], classify).asked) is None


@pytest.mark.parametrize("text, cited", [
    ("What does Article 62 say?", "第六十二条"), ("See item 15 of the plan", "第十五条"),
    ("Chapter 3 of the law", "第三章"), ("What is in Annex 2?", "附件2"),
])
def test_english_clause_references_are_written_the_documents_way(text, cited):
    assert cited in chinese_references(text)


def test_the_chinese_part_of_a_mixed_question_keeps_its_names_apart():
    assert without_english("Show me item 7 of 川办发〔2022〕67号.") == "第七条，川办发〔2022〕67号"
    question = analyse("What does Article 21 of 劳动法 say?", [], classify)
    assert question.clause_expr == "第二十一条" and question.kind == "lookup"
    # English words stay while a clause is looked for: "(phase 3)" and "age 16." cite nothing
    assert analyse("When does the drive (phase 3) end?", [], classify).clause_expr is None
    assert analyse("Both laws set a line at age 16. What does each say?", [], classify).clause_expr is None


def test_a_named_document_number_is_no_wording_of_an_english_question():
    from tests.rag.test_question import DOCUMENTS

    question = analyse("In 川办发〔2022〕67号, which department takes the lead?", DOCUMENTS, classify)
    assert [d.doc_number for d in question.documents] == ["川办发〔2022〕67号"] and question.grams == frozenset()


@pytest.mark.parametrize("question, follows", [
    ("And the second stage?", True), ("Who leads that task?", True), ("What if the applicant moved?", True),
    ("Who issued it?", False), ("Which department leads the task of attracting investment in the east of the city?", False),
])
def test_english_follow_ups(question, follows):
    assert leans_back(question) is follows


# ---- over the real corpus ------------------------------------------------------------------------

def test_english_document_facts(assistant):
    issued, _ = assistant.ask("When was 达市府办发〔2023〕4号 issued?")
    assert issued.kind == "docfact" and "2023年2月17日" in issued.text and issued.citations
    issuer, _ = assistant.ask("Who issued 达市府办发〔2023〕4号?")
    assert issuer.kind == "docfact" and "达州市人民政府办公室" in issuer.text


def test_an_english_clause_reference_is_looked_up(assistant):
    answer, _ = assistant.ask("Show me item 7 of 川办发〔2022〕67号.")
    assert answer.kind == "lookup" and answer.citations[0].clause.path == "三、（七）"


def test_an_english_follow_up_keeps_to_the_previous_clause(assistant):
    _, state = assistant.ask("主攻重点方向、突出招大引强这项任务是怎么要求的？")
    follow, _ = assistant.ask("Which department is the lead for that one?", state)
    assert "牵头单位：市经济合作外事局" in follow.text and follow.citations[0].clause.path == "三、（一）"


def test_an_english_question_is_answered_from_its_best_sentence_not_the_document_header(assistant):
    answer, _ = assistant.ask("In 川办发〔2022〕67号, which department leads the work of guiding labour-intensive "
                              "industries into areas newly lifted out of poverty?")
    # the 文号 it names says which document: its header line (川办发〔2022〕67号) is no answer
    assert not answer.refused and answer.citations[0].quote != "川办发〔2022〕67号"


def test_a_basis_written_as_carrying_out_a_named_document_is_found(assistant):
    # 为贯彻落实…等10部门《X》（文号）精神: the basis is named after 贯彻落实, not only after 根据/依据
    answer, _ = assistant.ask("川办发〔2022〕67号的制定依据是什么？")
    assert answer.kind == "docfact" and "关于促进制造业有序转移的指导意见" in answer.text and "工信部联政法" in answer.text


@pytest.mark.parametrize(("question", "terms"), [
    ("What is the minimum maternity leave for a female employee?", {"产假", "女职工"}),  # phrases claim their words
    ("What's the fine for parking an e-bike on the pavement?", {"罚款", "停放", "电动自行车"}),
    ("Is there a fee for a residence permit for the first time?", {"居住证", "首次", "工本费"}),
    ("Which industrial parks host the new materials projects?", {"园区", "新材料", "项目"}),
])
def test_english_content_words_become_the_documents_words(question, terms):
    assert terms <= set(chinese_terms(question).split())
    assert "生育" not in chinese_terms("How long is maternity leave?")  # claimed by maternity leave


def test_every_glossary_entry_is_a_pattern_giving_chinese_words():
    for pattern, words in lexicon.ENGLISH_CONTENT_WORDS.items():
        compiled = re.compile(pattern, re.IGNORECASE)
        assert not compiled.fullmatch(""), pattern
        assert all(re.fullmatch(r"[\u4e00-\u9fff]+", word) for word in words.split()), (pattern, words)


def test_an_english_question_searches_the_keywords_its_words_stand_for(assistant):
    from rag.retrieval import HybridRetriever

    words_only = HybridRetriever(assistant.index, assistant.embedder, use_dense=False, use_bigrams=False)
    found = words_only.search("Who leads investment promotion?", k=3)
    assert found and all("招商引资" in e.clause.text + e.clause.heading for e in found)
