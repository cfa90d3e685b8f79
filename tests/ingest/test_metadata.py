"""Document metadata read from plain text as users upload it: a title is never the issuer line, and a
text with no mark of issue is not called 正式."""

from ingest.pipeline import parse_document


def _parse(tmp_path, settings, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_document(path, settings).document


def test_a_notice_whose_issuer_line_comes_first_is_titled_by_its_title_line(tmp_path, settings):
    document = _parse(tmp_path, settings, "安排.txt",
                      "宣汉县农业农村局\n2025年春耕备耕工作安排\n各乡镇：\n一、目标\n完成播种10万亩。\n二、措施\n抓好种子供应。\n")
    assert document.title == "2025年春耕备耕工作安排"
    assert document.issuer == "宣汉县农业农村局"
    assert document.status_label == "正式"


def test_a_title_never_falls_back_to_the_addressees_or_the_issuer(tmp_path, settings):
    document = _parse(tmp_path, settings, "报送材料.txt",
                      "通知\n各乡镇：\n请于5月10日前报送材料。\n宣汉县教育局\n2025年5月6日\n")
    assert document.title not in {"各乡镇：", "宣汉县教育局"}


def test_an_english_note_without_number_issuer_or_date_is_not_labelled_final(tmp_path, settings):
    document = _parse(tmp_path, settings, "note.txt",
                      "Notes on the hydrogen pilot\nThis note summarises the plan for refuelling stations.\n"
                      "1. Targets\nBuild five stations by 2025.\n")
    assert document.status_label == "未标明"
    assert not document.is_draft
