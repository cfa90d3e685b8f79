"""Why a file was not ingested, in Chinese for the person uploading it, without server paths.

ingest reports reasons in English for the operator's terminal (`policyqa ingest`); the web app
translates them here, at the edge. A reason no rule knows is shown as it is, with paths reduced to
file names.
"""

from __future__ import annotations

import re

# (pattern over the English reason, Chinese text; {1}, {2} … are the pattern's groups)
REASON_RULES: tuple[tuple[str, str], ...] = (
    (r"empty file \(0 bytes\)", "空文件（0 字节）。"),
    (r"empty file \(only whitespace\)", "文件中只有空白，没有文字。"),
    (r"too large \(([\d.]+) MB > (\d+) MB\)", "文件过大（{1} MB，超过 {2} MB 的上限）：请拆分，或由管理员调整 POLICYQA_MAX_FILE_MB。"),
    (r"unsupported file type '([^']*)'", "不支持的文件类型 {1}：请上传 PDF、DOCX、TXT、MD 或 HTML。"),
    (r"encrypted PDF", "PDF 有密码保护：请去掉密码后重新上传。"),
    (r"no text layer \((\d+) pages\) and OCR found no text", "PDF 没有文字层（{1} 页），文字识别（OCR）也没有读出文字：请检查扫描件。"),
    (r"no text layer \((\d+) pages\)", "PDF 没有文字层（{1} 页），看起来是扫描件：请先做文字识别（OCR）。"),
    (r"no pages in the PDF", "PDF 中没有页面：请重新导出。"),
    (r"reading took longer than (\d+) s", "读取超过 {1} 秒，已放弃：请检查文件或拆分后上传。"),
    (r"OCR read no page in (\d+) s", "文字识别（OCR）{1} 秒内未读出任何一页，已放弃。"),
    (r"crashed", "读取程序异常退出（可能是内存不足），已放弃：请检查文件或拆分后上传。"),
    (r"corrupt or not a Word \.docx", "文件损坏或不是 Word .docx 文件：请用 Word 重新保存。"),
    (r"cannot be opened as \.docx", "无法作为 .docx 打开：请用 Word 重新保存。"),
    (r"no text in this \.docx", ".docx 中没有文字（空文件或只有图片）：请先识别图片中的文字。"),
    (r"no readable text: the body is an embedded part", ".docx 的正文是本程序无法读取的嵌入内容：请另存为 PDF 或 TXT。"),
    (r"old Word format", "旧版 Word 格式（97–2003）：请另存为 .docx。"),
    (r"Word 97–2003|RTF text with a \.doc name|not a Word document", "无法读取的 .doc 文件：请另存为 .docx。"),
    (r"broken (\w+) text", "文本编码损坏（{1}）：请另存为 UTF-8 文本。"),
    (r"binary data, not text", "这是二进制数据，不是文本：请导出为 TXT、DOCX 或 PDF。"),
    (r"undecodable text", "无法识别的文本编码（不是 UTF-8 或 GBK）：请另存为 UTF-8。"),
    (r"no HTML part in this MHT", "MHT 网页存档中没有 HTML 内容：请在浏览器中打开后另存为 .html。"),
    (r"no text in this web page", "网页中没有正文（只有脚本、图片或框架）。"),
    (r"no readable text after cleaning", "清理页眉页脚等内容后没有可读的正文。"),
    (r"same document .* as another file in this batch", "与本批次中另一个文件是同一份文件（文号/标题和状态相同），不重复入库。"),
    (r"a folder's README", "文件夹说明文件（README），不作为政策文件入库。"),
    (r"cannot be read \(([^)]*)\)", "无法读取文件（{1}）。"),
    (r"not a regular file", "不是普通文件。"),
)
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:/[^\s/:'\"()，。]+)+/([^\s/:'\"()，。]+)")


def without_paths(text: str) -> str:
    """Absolute paths reduced to their last part: a reason never shows where the server keeps files."""
    return _PATH.sub(lambda m: m.group(1), text)


def in_chinese(reason: str) -> str:
    for pattern, chinese in REASON_RULES:
        if match := re.search(pattern, reason):
            return chinese.format(None, *match.groups())
    return without_paths(reason)
