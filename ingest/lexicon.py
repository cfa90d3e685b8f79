"""The few word lists ingest cannot do without, each named for its role (tests/ingest/test_lexicon.py).

They are generic vocabulary of Chinese official documents and of web pages, never phrases of one
document: a list entry must make sense for any 通知 or 条例 from any place.
"""

from __future__ import annotations

# Document kinds, longest first so 实施意见 wins over 意见 and 实施方案 over 方案. Used to find a
# title (a line ending in a kind) and to label the document.
DOC_KINDS = (
    "实施细则", "实施意见", "指导意见", "实施方案", "工作方案", "行动方案", "行动计划", "管理办法", "暂行办法",
    "暂行条例", "暂行规定", "管理规定", "若干规定", "若干措施", "若干意见",
    "条例", "规定", "办法", "细则", "意见", "方案", "通知", "规划", "决定", "批复", "措施", "计划",
    "纲要", "规则", "规程", "公告", "通告", "函", "法",
)

# The kind a document is labelled with: the base word its title ends in (行动方案 → 方案, 暂行条例 → 条例).
KIND_BASES = (
    "实施意见", "指导意见", "条例", "规定", "办法", "细则", "意见", "方案", "通知", "规划", "决定", "批复",
    "措施", "计划", "纲要", "规则", "规程", "公告", "通告", "函", "法",
)

# Characters that never occur in the issuer code of a 文号 (石公户发〔2019〕25号) but do in the prose that
# mentions one ("本地宝为您带来石公户发〔2019〕25号"): the code starts after the last of them.
NOT_IN_DOC_NUMBER_CODE = "的为了来是于在按照据见从和及与带将把对向经由已请落实贯彻"

# How a kind reads to a person (kind label shown in the library); anything not listed is its own label.
KIND_LABELS = {"法": "法律"}

# Words a document uses to say it is not final, as the document says them.
DRAFT_WORDS = ("征求意见稿", "送审稿", "讨论稿", "草案", "草稿", "试行")
# Of those, the ones that are still drafts (试行 is in force, on trial).
NOT_IN_FORCE = frozenset({"征求意见稿", "送审稿", "讨论稿", "草案", "草稿"})

# Endings of the names of bodies that issue documents.
ISSUER_SUFFIXES = (
    "人民代表大会常务委员会", "常务委员会", "人民政府办公厅", "人民政府办公室", "人民政府", "办公厅", "办公室",
    "委员会", "管委会", "总局", "总署", "局", "厅", "委", "部", "署", "院", "办",
)

# Web-page furniture: a printed or saved portal page carries these around the document. A line that
# holds one of them (and no sentence) is the page's, not the document's.
CHROME_PHRASES = (
    "打印本页", "打印此页", "关闭窗口", "关闭本页", "【打印】", "【关闭】", "字号：", "字号:", "【字体", "字体：",
    "当前位置：", "当前位置:", "您现在的位置", "您所在的位置", "分享到", "分享：", "扫一扫", "责任编辑：",
    "版权所有", "ICP备", "公网安备", "网站地图", "网站标识码", "主办单位：", "承办单位：", "技术支持：",
    "联系我们", "请输入关键字", "请输入关键词", "网站支持IPv6", "【原文下载】", "原文链接", "历史版本",
    "网站帮助", "收藏本页", "设为首页", "加入收藏", "无障碍", "长者专区", "返回顶部",
)
# Whole lines that are page controls (after spaces are removed).
CHROME_LINES = frozenset({"分享", "复制", "打印", "关闭", "收藏", "简繁", "繁体", "简体", "English", "大中小", "导航", "搜索"})
# A paragraph starting with one of these is a re-poster's lead-in, not the document.
EDITOR_NOTES = ("导语", "编者按")
