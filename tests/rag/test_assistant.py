"""Answers over the real corpus: direct, cited, quotes verbatim, refusals, follow-ups."""

import pytest

from rag.assistant import Conversation


def _ask(assistant, question, conversation=None):
    answer, state = assistant.ask(question, conversation)
    for citation in answer.citations:
        assert citation.quote in citation.clause.text  # checkable, character for character
    return answer, state


def test_when_with_stages(assistant):
    answer, _ = _ask(assistant, "百日攻坚第三季什么时候结束？")
    assert not answer.refused and "2023年9月5日结束" in answer.text
    assert "集中攻坚阶段（6月1日至8月29日）" in answer.text
    assert answer.citations[0].clause.path == "三、" and answer.citations[0].document.doc_number == "达市府办函〔2023〕53号"


def test_who_names_the_lead_only_where_the_document_defines_one(assistant):
    answer, _ = _ask(assistant, "主攻重点方向、突出招大引强这项任务的牵头部门是谁？")
    assert "牵头单位：市经济合作外事局" in answer.text
    draft, _ = _ask(assistant, "加快“链主”企业培育的牵头部门是谁？")
    assert "未明确牵头单位" in draft.text and "市发展改革委" in draft.text


def test_numbers_from_a_box_table_say_cumulative(assistant):
    answer, _ = _ask(assistant, "十四五期间制造业投资额目标是多少？")
    assert "1500" in answer.text and "5年累计数" in answer.text
    assert answer.citations[0].clause.path == "专栏 1"
    assert "征求意见稿" in answer.text  # a draft is said to be a draft


def test_two_documents_answering_differently_are_both_shown(assistant):
    answer, _ = _ask(assistant, "关于南充—达州组团共同承接的产业，省里和达州的说法有什么不同？")
    assert "丝纺服装" in answer.text and "轻纺服饰" in answer.text
    assert {c.document.level for c in answer.citations} == {"province", "city"}


def test_document_facts_from_metadata(assistant):
    answer, _ = _ask(assistant, "达市府办发〔2023〕4号是哪天印发的？")
    assert "2023年2月17日" in answer.text and answer.citations


@pytest.mark.parametrize("question", [
    "百日攻坚第四季什么时候开始？",
    "达州对新落户的锂电池企业补贴多少钱？",
    "川办发〔2023〕15号文件讲了什么？",
    "达州市2024年的GDP是多少？",
])
def test_refuses_what_the_documents_do_not_say(assistant, question):
    answer, _ = _ask(assistant, question)
    assert answer.refused and answer.text.startswith("已收录文件中")


def test_refusal_names_the_closest_clauses(assistant):
    answer, _ = _ask(assistant, "百日攻坚第四季什么时候开始？")
    assert "最接近的条款" in answer.text and answer.citations


def test_follow_up_questions_use_the_previous_clause(assistant):
    first, state = _ask(assistant, "主攻重点方向、突出招大引强这项任务是怎么要求的？")
    follow, _ = _ask(assistant, "那它的牵头部门呢？", state)
    assert "市经济合作外事局" in follow.text and follow.citations[0].clause.path == "三、（一）"
    _, state = _ask(assistant, "百日攻坚第三季什么时候结束？")
    stage, _ = _ask(assistant, "第二阶段呢？", state)
    assert "6月1日至8月29日" in stage.text


def test_empty_question_is_a_message_not_an_error(assistant):
    answer, state = assistant.ask("   ")
    assert answer.refused and "请输入问题" in answer.text and state == Conversation()


def test_json_shape_is_stable(assistant):
    answer, _ = assistant.ask("川办发〔2022〕67号 （七）")
    payload = answer.to_json("q1")
    assert set(payload) == {"id", "answer", "refused", "citations"}
    assert set(payload["citations"][0]) == {"doc_title", "doc_number", "clause_path", "page", "quote", "text"}
