"""Reading what a sentence says: table notes, wrapped table rows, headings that hold values, quantities the question already gives."""

from rag.extract import find_all
from rag.notes import marks_on, notes_in
from rag.rank import sentences

NOTE = "备注：1.【】内为5年累计数；2.[ ]内为年均增速；3.带*为2019年数据；带为全省平均。"
TABLE = ("类别 指标 2020年 2025年\n规模总量\n全部工业增加值（亿元） 479.9 1000\n制造业投资额（亿元） - 【1500】\n"
         "创新能力\n规模以上工业企业研发经费内部支出\n占营业收入比重（%）\n0.49* 1\n"
         "规模以上工业企业亩均营业收入增长\n（%）\n[7]\n")


def test_a_note_explains_each_mark_in_its_own_words():
    notes = notes_in(NOTE)
    assert [(n.mark, n.quote) for n in notes] == [("【】", "【】内为5年累计数"), ("[]", "[ ]内为年均增速"),
                                                  ("*", "带*为2019年数据")]
    assert all(n.quote in NOTE for n in notes)  # quotable as printed
    assert notes_in("1.【】内为5年累计数") == []  # not a note: no 备注/注 opening it


def test_only_the_marks_on_a_rows_values_apply():
    notes = notes_in(NOTE)
    assert [n.mark for n in marks_on("制造业投资额（亿元） - 【1500】", notes)] == ["【】"]
    assert [n.mark for n in marks_on("亩均营业收入增长（%） [7]", notes)] == ["[]"]
    assert [n.mark for n in marks_on("比重（%） 0.49* 1", notes)] == ["*"]
    assert marks_on("营业收入超亿元企业（户） 304 800", notes) == []


def test_a_row_whose_label_wraps_is_one_sentence_with_its_values():
    rows = sentences(TABLE)
    assert "规模以上工业企业研发经费内部支出\n占营业收入比重（%）\n0.49* 1" in "\n".join(rows)
    assert "规模以上工业企业亩均营业收入增长\n（%）\n[7]" in rows
    assert "[7]" not in rows and "0.49* 1" not in rows  # the values are not a sentence of their own
    assert all(row in TABLE for row in rows)
    cell = [s for s in find_all("规模以上工业企业亩均营业收入增长\n（%）\n[7]") if s.kind == "amount"]
    assert [(s.value, s.unit) for s in cell] == [(7.0, "%")]


def test_prose_is_split_as_before():
    text = "到2025年，力争规模以上制造业企业达到1200户以上。\n加快发展新材料产业；培育链主企业。"
    assert sentences(text) == ["到2025年，力争规模以上制造业企业达到1200户以上。", "加快发展新材料产业；", "培育链主企业。"]


def test_a_heading_holding_the_value_asked_for_answers_when_the_question_names_it():
    from ingest.models import Clause, Document
    from rag.models import Evidence
    from rag.question import analyse
    from rag.rank import FrequencyWeights, TermStats, candidates

    clause = Clause(path="三、（一）", heading="动员部署阶段（5月25日至5月31日）",
                    text="（一）动员部署阶段（5月25日至5月31日）。各县要积极组织动员、制定实施方案。")
    document = Document(doc_id="d", title="行动方案", doc_number=None, issuer=None, date=None, status="final",
                        level="city", addressees=(), source="d.txt", content_hash="x")
    evidence = [Evidence(document, clause, 1.0, clause.text, 0.9)]
    stats = TermStats(FrequencyWeights.of_texts([clause.text, "其他条款的文字。"]))
    named = candidates(analyse("动员部署阶段是哪几天？", [document]), evidence, ("date", "date_range"), stats)
    assert any(c.sentence.startswith("（一）动员部署阶段") for c in named)
    other = candidates(analyse("哪一年获批？", [document]), evidence, ("date", "date_range"), stats)
    assert not any(c.sentence.startswith("（一）动员部署阶段") for c in other)  # a heading the question does not name


def test_a_bare_list_item_answers_only_when_nothing_else_is_found():
    from ingest.models import Clause, Document
    from rag.models import Evidence
    from rag.question import analyse
    from rag.rank import FrequencyWeights, TermStats, candidates

    document = Document(doc_id="d", title="非机动车管理条例", doc_number=None, issuer=None, date=None, status="final",
                        level="city", addressees=(), source="d.txt", content_hash="x")
    bare = Clause(path="第十四条（一）", heading="电动自行车", text="（一）电动自行车；")
    rule = Clause(path="第二十四条", heading="", text="第二十四条 驾驶电动自行车，可以在固定座椅内载一名十六周岁以下的未成年人。")
    stats = TermStats(FrequencyWeights.of_texts([bare.text, rule.text, "其他条款的文字。"]))
    question = analyse("骑电动自行车能带孩子吗？", [document])
    found = candidates(question, [Evidence(document, bare, 1.0, bare.text, 0.9),
                                  Evidence(document, rule, 0.8, rule.text, 0.8)], (), stats)
    assert [c.evidence.clause.path for c in found] == ["第二十四条"]  # （一）电动自行车； names a thing, says nothing
    alone = candidates(question, [Evidence(document, bare, 1.0, bare.text, 0.9)], (), stats)
    assert [c.sentence for c in alone] == ["（一）电动自行车；"]


def test_a_sentence_restating_the_quantity_the_question_gives_does_not_answer_it():
    from ingest.models import Clause, Document
    from rag.kinds import classify, kinds
    from rag.models import Evidence
    from rag.question import analyse
    from rag.rank import FrequencyWeights, TermStats, candidates
    from rag.refusal import decide

    clause = Clause(path="第四十五条", heading="", text="劳动者连续工作一年以上的，享受带薪年休假。")
    document = Document(doc_id="d", title="劳动法", doc_number=None, issuer=None, date=None, status="final",
                        level="national", addressees=(), source="d.txt", content_hash="x")
    stats = TermStats(FrequencyWeights.of_texts([clause.text, "其他条款的文字。"]))
    duration = kinds()["duration"]

    def decided(text):
        question = analyse(text, [document], classify)
        ranked = candidates(question, [Evidence(document, clause, 1.0, clause.text, 0.9)], duration.answer_types, stats)
        return decide(question, duration, ranked)

    restated = decided("工作满一年以后，带薪年休假每年能休多久？")
    assert restated.refuse and "期限" in restated.reason  # 一年 is the question's own, not an answer
    asked = decided("连续工作多久才能享受带薪年休假？")
    assert not asked.refuse or "期限" not in asked.reason


def test_a_full_printed_line_that_breaks_off_mid_sentence_goes_on():
    text = ("（三）成年人驾驶电动自行车的，可以在驾驶人座位后部的固定座椅内载一名十六周岁\n以下的未成年人；\n"
            "一、总体要求\n为贯彻落实有关部署，制定本方案。")
    assert sentences(text) == [
        "（三）成年人驾驶电动自行车的，可以在驾驶人座位后部的固定座椅内载一名十六周岁\n以下的未成年人；",
        "一、总体要求", "为贯彻落实有关部署，制定本方案。"]  # a short heading line is not a wrap
    # a line ending in a mark no sentence ends with goes on, however short
    assert sentences("一、取消“稳定住所、\n稳定就业”迁入条件限制。") == ["一、取消“稳定住所、\n稳定就业”迁入条件限制。"]


def test_a_sentence_about_another_member_of_a_series_does_not_answer():
    from rag.refusal import _about_another_member, members

    assert members("第二类和第三类医疗器械") == {"类": {2, 3}} and members("第一阶段") == {"阶段": {1}}
    asked = members("上海三类医疗器械审评平均要多久？")
    assert _about_another_member("将第二类医疗器械审评平均时限压缩至40个工作日以内。", asked)
    assert not _about_another_member("第二类、第三类医疗器械审评时限压缩至40个工作日。", asked)
    assert not _about_another_member("审评时限压缩至40个工作日。", asked)  # says no class: may be about all
    assert members("二级以上医院") == {}  # a threshold, not a member


def test_a_document_of_another_place_at_the_same_level_comes_last():
    from ingest.models import Clause, Document
    from rag.assistant import other_places_last
    from rag.models import Evidence

    def document(title, level):
        return Document(doc_id=title, title=title, doc_number=None, issuer=None, date=None, status="final",
                        level=level, addressees=(), source=f"{title}.txt", content_hash="x")

    nanning, beijing = document("南宁市电动自行车管理条例", "city"), document("北京市非机动车管理条例", "city")
    law, province = document("中华人民共和国道路交通安全法", "national"), document("北京市人民政府关于…的意见", "province")
    clause = Clause(path="第十五条", heading="", text="号牌有效期为十年。")
    evidence = [Evidence(d, clause, 1.0, clause.text, 0.9) for d in (nanning, law, beijing)]
    ordered = other_places_last(evidence, "北京电动车的号牌能用多少年？", [nanning, beijing, law, province])
    assert [e.document for e in ordered] == [law, beijing, nanning]
    assert other_places_last(evidence, "电动车的号牌能用多少年？", [nanning, beijing, law]) == evidence  # no place named
