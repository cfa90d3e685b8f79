"""Saved web pages (.html, .htm, .mht): the page's own text without the site's frame.

The frame (navigation, menus, breadcrumbs, share bars, sidebars, footers, print/close buttons) is
removed; when one container clearly holds the text (<article>, <main>, or the element with nearly
all the Chinese text) only that is read. Block elements become line breaks, headings become
Markdown headings (which `ingest.normalize` keeps as paragraphs of their own), data tables become
tab-separated rows. `html_to_lines` is shared with the Word loader, which meets HTML inside .docx
files (w:altChunk parts).
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from pathlib import Path

from ingest.errors import SkippedFile
from ingest.loaders import ExtractedText, LoadOptions
from ingest.loaders.text import decode_text

# Elements that never hold page text.
NEVER_TEXT_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "object", "embed",
                   "svg", "canvas", "select", "button", "input", "textarea", "head", "title")
# Elements that hold a site's frame around the text (<header> only outside <article>/<main>,
# where it is the article's own header with its title).
CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu")
# Words that web pages use in the id or class of their frame: navigation, menus, breadcrumbs, share
# bars, sidebars, footers, page tools (print / close window), pagers, related-link lists, search and
# login boxes. A word matches a whole id/class token or its start or end (navbar, topnav, bdshare),
# never its middle. Words that CSS utility classes also use (bottom in border-bottom, position in
# position-relative) are left out: they would remove titles; unmarked frame is left to
# `_main_container`.
CHROME_MARKERS = ("nav", "menu", "breadcrumb", "crumb", "share", "sidebar", "footer", "copyright",
                  "toolbar", "tools", "print", "pagination", "pager", "related", "friendlink", "search",
                  "login", "banner", "skip", "qrcode")
# Words in an id or class that mark a title: a dominant container is not entered past one.
TITLE_MARKERS = ("title", "tit")

_BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "legend", "option",
))
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_MIME_START = re.compile(rb"^\s*(MIME-Version|Content-Type|From|Subject|Date)\s*:", re.IGNORECASE)
# Chinese pages labelled gb2312 or gbk often use characters only GB18030 (their superset) has.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "cp936": "gb18030", "euc-cn": "gb18030", "big5": "big5hkscs"}
# Labels that old Chinese sites put on pages that are really GBK or UTF-8: detect instead.
_UNRELIABLE_CHARSETS = ("ascii", "latin_1", "cp1252", "iso8859_1")
_DOMINANT_SHARE = 0.9  # a child holding this share of its parent's text is "the" content
_CHROME_MAX_SHARE = 0.5  # frame elements holding more of the page's text than this are kept


def _codec(label: str | bytes | None) -> str | None:
    """A charset label → a Python codec name, or None when Python does not know it."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    try:
        return codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
    except LookupError:
        return None


def decode_html(raw: bytes, name: str, charset: str | None = None) -> str:
    """Web page bytes → text, by BOM, valid UTF-8, the charset given (MIME header), <meta>/XML
    declaration, or detection (`decode_text`); a declared charset the bytes do not fit is ignored."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace")
    try:
        text = raw.decode("utf-8")
        if not text.isascii():
            return text  # GBK bytes are almost never valid UTF-8: a page re-saved as UTF-8 keeps its old <meta>
    except UnicodeDecodeError:
        pass
    head = raw[:4096]
    declared = _codec(charset)
    if declared is None:
        match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        declared = _codec(match.group(1)) if match else None
        if declared and declared.startswith(("utf-16", "utf-32")):
            declared = "utf-8"  # a page read from bytes without a BOM cannot be UTF-16 (WHATWG rule)
    if declared and declared not in _UNRELIABLE_CHARSETS:
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            pass  # mislabelled: detect below
    try:
        return decode_text(raw, name)
    except SkippedFile:
        if declared:
            return raw.decode(declared, errors="replace")
        raise


def html_from_mime(raw: bytes, name: str) -> str:
    """The HTML of an MHT web archive (MIME multipart/related, as IE, Edge and Word save pages):
    its first text/html part, quoted-printable or base64, in the charset its header names."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() in ("text/html", "application/xhtml+xml"):
            payload = part.get_payload(decode=True) or b""
            return decode_html(payload, name, part.get_content_charset())
    raise SkippedFile(name, "no HTML part in this MHT web archive: open it in a browser and save it as .html")


def is_mime(raw: bytes) -> bool:
    return bool(_MIME_START.match(raw[:512]))


def _tokens(element) -> list[str]:
    """The words of an element's id and class: 'mainNav bdshare_box' → main, nav, bdshare, box."""
    names = f"{element.get('id') or ''} {element.get('class') or ''}"
    return [t.lower() for t in _NAME_WORD.findall(names)] if names.strip() else []


def _marked(element, markers: tuple[str, ...]) -> bool:
    return any(t.startswith(markers) or t.endswith(markers) for t in _tokens(element))


def _text(element) -> str:
    return "".join(element.itertext())


def _drop(element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _text_weights(root) -> dict:
    """Chinese characters under each element, link text not counted (menus are mostly links);
    one pass over the tree."""
    weights: dict = {}

    def weigh(element) -> int:
        own = 0 if element.tag == "a" else len(_CJK.findall(element.text or ""))
        for child in element:
            child_weight = weigh(child)
            own += (0 if element.tag == "a" else child_weight) + len(_CJK.findall(child.tail or ""))
        weights[element] = own
        return own

    weigh(root)
    return weights


def _is_action(element) -> bool:
    """A control, not text: 打印本页, 关闭窗口, 字号 大 中 小 (javascript: links, onclick handlers)."""
    href = (element.get("href") or "").strip().lower()
    return (href.startswith("javascript:") or element.get("onclick") is not None) and \
        len(_CJK.findall(_text(element))) <= 20


def _in_content(element) -> bool:
    return any(ancestor.tag in ("article", "main") for ancestor in element.iterancestors())


def _remove_chrome(root, strip_chrome: bool) -> None:
    doomed = [e for e in root.iter() if not isinstance(e.tag, str) or e.tag in NEVER_TEXT_TAGS
              or e.get("hidden") is not None or _HIDDEN_STYLE.search(e.get("style") or "")]
    for element in doomed:
        _drop(element)
    if not strip_chrome:
        return
    weights = _text_weights(root)
    page_text = max(weights[root], 1)
    doomed = []
    for element in root.iter():
        tag = element.tag
        framed = (tag in CHROME_TAGS and not (tag == "header" and _in_content(element))) or \
            _marked(element, CHROME_MARKERS)
        if (framed and weights[element] <= _CHROME_MAX_SHARE * page_text) or _is_action(element):
            doomed.append(element)
    for element in doomed:
        _drop(element)


def _is_title(element) -> bool:
    return (element.tag in _HEADINGS or _marked(element, TITLE_MARKERS)) and bool(_CJK.search(_text(element)))


def _main_container(body):
    """The element that clearly holds the text: the outermost <article>/<main> with most of it, else
    the body entered while one child holds nearly all the text and no title is left outside."""
    weights = _text_weights(body)
    for element in body.iter("article", "main", "div", "section"):
        if (element.tag in ("article", "main") or element.get("role") == "main") and \
                weights[element] >= 0.5 * weights[body] > 0:
            return element
    node = body
    while len(node):
        child = max(node, key=weights.__getitem__)
        if weights[node] == 0 or weights[child] < _DOMINANT_SHARE * weights[node]:
            break
        if any(_is_title(e) for other in node if other is not child for e in other.iter()):
            break
        node = child
    return node


def _is_data_table(table) -> bool:
    """Rows of cells (a policy's indicator or task table), not a page laid out with a table."""
    if any(inner is not table for inner in table.iter("table")):
        return False
    rows = list(table.iter("tr"))
    cells = [cell for row in rows for cell in row if cell.tag in ("td", "th")]
    return any(sum(c.tag in ("td", "th") for c in row) >= 2 for row in rows) and \
        all(len(_text(c)) <= 500 for c in cells)


class _Lines:
    """Text gathered into lines: block boundaries end a line and leave a blank line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def add(self, text: str | None, pre: bool = False) -> None:
        if not text:
            return
        if pre:
            first, *rest = text.split("\n")
            self.current.append(first)
            for piece in rest:
                self.end_line()
                self.current.append(piece)
        else:
            self.current.append(re.sub(r"\s+", " ", text))

    def end_line(self) -> None:
        line = re.sub(r"(?<=\S) {2,}", " ", "".join(self.current)).strip()
        self.current = []
        if line:
            self.lines.append(line)

    def end_block(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def result(self) -> list[str]:
        self.end_block()
        return self.lines[:-1] if self.lines and self.lines[-1] == "" else self.lines


def _write(element, out: _Lines, pre: bool = False) -> None:
    tag = element.tag
    if tag == "br":
        out.end_line()
    elif tag == "table" and _is_data_table(element):
        out.end_block()
        for row in element.iter("tr"):
            cells = []
            for cell in row:
                if cell.tag in ("td", "th"):
                    inner = _Lines()
                    _write_children(cell, inner, pre)
                    cells.append(" ".join(line for line in inner.result() if line))
            if any(cells):
                out.add("\t".join(cells), pre=True)
                out.end_line()
        out.end_block()
    elif tag in _HEADINGS:
        out.end_block()
        inner = _Lines()
        _write_children(element, inner, pre)
        heading = " ".join(line for line in inner.result() if line)
        if heading:
            out.add("# " + heading, pre=True)
        out.end_block()
    elif tag in _BLOCK_TAGS:
        out.end_block()
        _write_children(element, out, pre or tag == "pre")
        out.end_block()
    else:
        _write_children(element, out, pre)
    out.add(element.tail, pre)


def _write_children(element, out: _Lines, pre: bool) -> None:
    out.add(element.text, pre)
    for child in element:
        _write(child, out, pre)


def html_to_lines(markup: str, strip_chrome: bool = True) -> list[str]:
    """HTML → text lines; blank lines separate blocks. `strip_chrome=False` reads everything that
    is text (for HTML that is a document's body, as in .docx altChunk parts, not a site's page)."""
    from lxml import etree

    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        return []
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(markup.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    _remove_chrome(root, strip_chrome)
    body = root.find("body")
    if body is None:
        body = root
    container = _main_container(body) if strip_chrome else body
    out = _Lines()
    _write_children(container, out, pre=False)
    return out.result()


def load_html(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SkippedFile(path, f"cannot be read ({error.strerror})") from error
    if path.suffix.lower() in (".mht", ".mhtml") or is_mime(raw):
        markup = html_from_mime(raw, path.name)
    else:
        markup = decode_html(raw, path.name)
    text = "\n".join(html_to_lines(markup))
    if not text.strip():
        raise SkippedFile(path, "no text in this web page (only scripts, images or frames): "
                                "open it in a browser and save it as PDF, or copy its text into a .txt")
    return text


def extract(path: Path, options: LoadOptions) -> ExtractedText:
    return ExtractedText([load_html(path)], paged=False)
