from ingest.normalize import ILLEGIBLE_NOTICE, clean_line, normalize_for_matching, normalize_pages, repair_chars


def test_wrong_glyphs_become_chinese_punctuation():
    assert repair_chars("各市(州)人民政府ꎬ省政府有关部门ꎮ 下同ꎻ") == "各市(州)人民政府，省政府有关部门。 下同；"
    assert repair_chars("«关于促进制造业有序转移的指导意见»") == "《关于促进制造业有序转移的指导意见》"


def test_full_width_digits_become_ascii_but_chinese_punctuation_stays():
    assert repair_chars("２０２２ 年，（一）：") == "2022 年，（一）："


def test_spaces_inside_numbers_and_words_are_removed():
    assert clean_line("川办发〔２０２２〕６７ 号") == "川办发〔2022〕67号"
    assert clean_line("2023年 2月 17日") == "2023年2月17日"
    assert clean_line("“百日攻坚” 行动") == "“百日攻坚”行动"


def test_ascii_brackets_and_colons_next_to_chinese_become_full_width():
    assert clean_line("(责任单位:省经济合作局)") == "（责任单位：省经济合作局）"
    assert clean_line("会议于 5:30 开始") == "会议于5:30开始"


def test_page_numbers_and_markdown_residue_are_dropped():
    assert clean_line("- 14 -") is None
    assert clean_line("### **三、工作步骤**") == "三、工作步骤"


def test_illegible_marker_is_replaced_by_a_visible_notice():
    assert clean_line("[illegible]") == ILLEGIBLE_NOTICE


def test_table_rows_keep_their_cell_spacing():
    assert clean_line("全部工业增加值（亿元） 479.9 1000") == "全部工业增加值（亿元） 479.9 1000"


def test_lines_broken_mid_sentence_are_joined_and_clauses_start_paragraphs():
    text = "一、总体要求\n\n坚持以习近平新时代中国特色社会主义思想为指导，坚定\n\n“大抓工业”导向。\n\n（一）大力承接绿色低碳产业。牢牢把握国家\n\n推动能耗。"
    paragraphs = [p.text for p in normalize_pages([text], paged=False)]
    assert paragraphs == [
        "一、总体要求",
        "坚持以习近平新时代中国特色社会主义思想为指导，坚定“大抓工业”导向。",
        "（一）大力承接绿色低碳产业。牢牢把握国家推动能耗。",
    ]


def test_pages_are_kept_for_paged_sources():
    paragraphs = normalize_pages(["一、总体要求\n第一页的内容。", "二、重点任务\n第二页的内容。"], paged=True)
    assert [(p.text, p.page) for p in paragraphs] == [
        ("一、总体要求", 1), ("第一页的内容。", 1), ("二、重点任务", 2), ("第二页的内容。", 2)]


def test_matching_form_unifies_brackets_and_spaces():
    assert normalize_for_matching("川办发[2022]67号 (七)") == "川办发〔2022〕67号（七）"


def test_spaces_around_plus_between_chinese_words():
    assert clean_line("实施 “链长 ＋链主”双链式推进机制") == "实施“链长+链主”双链式推进机制"
