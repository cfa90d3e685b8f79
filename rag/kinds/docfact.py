"""Document facts: 文号, issuers, date of issue, date of effect, status, kind, size, legal basis — read
from the document's metadata and cited from the clause that states them."""

from __future__ import annotations

import re

from ingest.models import UNMARKED
from rag.kinds import Kind
from rag.numerals import to_chinese
from rag.question import bigrams

# 附了几张表 / 附件有哪些 asks what is attached; 附件2里… asks what an annex says (a lookup).
_ANNEXES_ASKED = (r"附(了|有|带)|(几|多少|哪些|哪几)(个|张|份)?(附件|附表)|附件(有|是)(哪些|什么|几)"
                  r"|(what|which|how many) (attachments|annexes|appendices)")

# Which fact is asked, in order: the first facet whose words occur decides.
_FACETS = (
    ("title", r"是(什么|哪个|哪份|哪一个)文件|叫什么|全称|标题是|文件名|what (is|was) (this|the) document(?! number)|title"),
    ("number", r"文号|发文字号|几号文|令第|document number"),
    ("size", r"(几|多少)(条|章)|一共.{0,3}(条|章)|how many (articles|chapters)"),
    ("expiry", r"有效期|(什么时候|何时|哪天|哪年)(失效|到期|废止|截止)|用到(哪|什么时候)|valid (until|through|for)|expir"),
    ("effective", r"施行|生效|起实施|开始实施|起执行|开始执行|实施日期|执行日期|in force|take effect|effective"),
    ("issuer", r"谁(发|印发|颁布|制定|出台)|哪个(部门|机关|单位)(发|印发|颁布|发布|出台|制定)|哪些(部门|机关|单位).{0,4}(联合|印发|发布)|发文(机关|单位)|联合(印发|发布)|(是|由)[^，。？]{1,12}(发|印发|发布|颁布|出台)的|issued by|who issued|which (body|agency)"),
    ("signer", r"签署|签名|落款人|signed|signatory"),
    ("date", r"(哪天|何时)(发|印发|发布|颁布|出)|什么时候(发|印发|发布|颁布|出台|公布|通过)|(issued|published|印发|发布|颁布)[^。？?]{0,12}(and when|以及?什么时候|和什么时候|何时)|(印发|发布|颁布|公布|成文|通过)(日期|时间|的时间)|落款(日期|时间|是哪天|在哪天)|哪一年(发|出台|颁布|通过)|when (was|were) .*(issued|published|passed|adopted)"),
    ("status", r"(是|还是|属于|算).{0,6}(正式|征求意见稿|草案|试行)|正式文件|(草案|征求意见稿|试行)(吗|么|呢)|生效了吗|\bdraft\b|final version"),
    ("basis", r"(根据|依据|按照).{0,6}(哪|什么)(个|份|部)?.{0,6}(文件|法|规定|制定|要求)|按.{0,6}(哪|什么)(个|份|部)?.{0,8}制定"
              r"|上位法|based on which|制定依据"
              r"|落实.{0,12}(哪|什么)(个|份|部|项)?.{0,10}(文件|意见|精神|政策|要求|规定|法)|implement(s|ing)? which"),
    ("kind", r"什么(类型|性质)的文件|属于(法律|条例|规章)|what kind of document"),
    ("addressees", r"主送|发给(哪|谁)|下发(给|到)(哪|谁)|addressed to"),
    ("copied", r"抄送|copied to|\bcc\b"),
    ("annexes", _ANNEXES_ASKED),
)


# 根据《X》, 为贯彻落实工业和信息化部等10部门《X》（文号）, 对接落实《X》: who issued it, then the titles
_BASIS = re.compile(r"(?:根据|依据|按照|贯彻落实|对接落实|贯彻|落实)([^《。；：:，]{0,40}?)"
                    r"((?:《[^》]+》(?:[（(][^）)]{2,30}[）)])?[、和及]?)+)")


# 67号文贯彻的那份指导意见是哪天印发的？旧版办法哪天施行的？ — the fact is asked of a document the named
# one refers to (its basis, the version it replaced), not of the named one
_REFERENCED = re.compile(r"(贯彻|依据|根据|按照|落实|对接|替代|取代|旧的|废止的?)[^，。？?、]{0,16}?"
                         r"(通知|意见|办法|规定|条例|方案|文件|规划|纲要)|上一版|前一版|旧版|老版"
                         r"|\b(earlier|previous|former|old|replaced|superseded)\b[^,.?]{0,40}?"
                         r"\b(version|regulations?|measures|notice|document|plan|opinions?)\b", re.IGNORECASE)
# facts only the document itself can state about another one
_OWN_FACETS = ("basis", "title", "number")


# 自下发之日起施行, 自2016年1月1日起施行 — not a draft's blank 自年月日起施行
_IN_FORCE = re.compile(r"自(?=[^。；，,\n]{0,20}?(?:\d|之日|[〇零一二三四五六七八九十]))[^。；，,\n]{1,20}?起(?:施行|执行|实施|生效)")
_EXPIRY = re.compile(r"有效期(至|到|为)([^。；，,\n]{2,20}?)(?=[。；，,\n]|$)")


def facets(text: str) -> list[str]:
    """Every fact asked, in the order the question asks them (哪天印发？哪天生效？ → date, effective)."""
    found = []
    for name, pattern in _FACETS:
        if match := re.search(pattern, text, flags=re.IGNORECASE):
            found.append((match.start(), name))
    return [name for _, name in sorted(found)]


def _chinese_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _clause_with(ctx, document, needles: list[str]):
    """The first clause of the document whose text holds one of the needles, and that needle."""
    for clause in ctx.assistant.clauses(document.doc_id):
        for needle in needles:
            if needle and needle in clause.text:
                return clause, needle
    return None, None


def _in_closing_clauses(ctx, document, pattern: re.Pattern):
    """The pattern's match in the document's last clauses, last first: where a text says when it takes
    effect and how long it stays valid."""
    for clause in reversed(ctx.assistant.clauses(document.doc_id)[-4:]):
        if found := pattern.search(clause.text):
            return found
    return None


def _fact(ctx, document, name: str):
    """(answer text, quote needles) for one facet of one document; None when the document does not say."""
    label = document.label
    if name == "title":
        named = f"{document.doc_number}是《{document.title}》" if document.doc_number else f"该文件是{label}"
        return named, [document.title, document.doc_number or ""]
    if name == "number":  # having no 文号 is itself the answer (drafts and many laws have none)
        if document.doc_number:
            return f"{label}的文号是{document.doc_number}", [document.doc_number]
        return f"{label}未标注文号" + (f"（{document.status_word}）" if document.status_word else ""), [document.title]
    if name == "effective":
        if not document.effective_date:  # 本“意见”自下发之日起施行: the text says when, with no date
            found = _in_closing_clauses(ctx, document, _IN_FORCE)
            return (f"{label}{found.group(0)}", [found.group(0)]) if found else None
        day = _chinese_date(document.effective_date)
        return f"{label}自{day}起施行", [day]
    if name == "expiry":  # 本办法自…起施行，有效期至2030年8月31日
        found = _in_closing_clauses(ctx, document, _EXPIRY)
        return (f"{label}有效期{found.group(1)}{found.group(2)}", [found.group(0)]) if found else None
    if name == "issuer":
        issuers = document.issuers or ((document.issuer,) if document.issuer else ())
        if not issuers:
            return None
        joint = "联合" if len(issuers) > 1 else ""
        return f"{label}由{'、'.join(issuers)}{joint}发布", list(issuers)
    if name == "date":
        if not document.date:
            return None
        day = _chinese_date(document.date)
        return f"{label}的成文（通过/发布）日期是{day}", [day]
    if name == "status":
        word = document.status_label
        verdict = ("不是正式印发的文件" if document.is_draft else
                   "未标明文号、发文机关和日期，无法确认是否正式印发" if word == UNMARKED else "是正式文件")
        return f"{label}{verdict}（{word}）", [document.status_word or document.title]
    if name == "size":
        articles = [c for c in ctx.assistant.clauses(document.doc_id) if re.fullmatch(r"第[一二三四五六七八九十百零]+条", c.path)]
        chapters = [c for c in ctx.assistant.clauses(document.doc_id) if re.fullmatch(r"第[一二三四五六七八九十百零]+章", c.path)]
        if not articles:
            return None
        # Articles are numbered in Chinese (第一百零七条): the count is said both ways.
        text = f"{label}共{to_chinese(len(articles))}条（{len(articles)}条）" + (
            f"，分{to_chinese(len(chapters))}章" if chapters else "")
        return text, [articles[-1].path]
    if name == "basis":
        # the opening clauses first (为贯彻落实…, 根据…), then the clauses retrieval ranked for the question
        ranked = [e.clause for e in ctx.evidence if e.document.doc_id == document.doc_id]
        found = [m for clause in ctx.assistant.clauses(document.doc_id)[:3] + ranked for m in _BASIS.finditer(clause.text)]
        if not found:
            return None
        # the basis whose titles share the question's wording (落实哪个讲“5+1”的文件), else the first one
        best = max(found, key=lambda m: len(ctx.question.grams & bigrams(m.group(2))))
        issuers = best.group(1).strip("、，,")
        return f"{label}的制定依据是{issuers}{best.group(2)}", [best.group(0)]
    if name == "signer":  # a decree or order is signed by a person under its text (总理 李克强)
        from rag.person import find_person  # rag.person → rag.extract → the kinds: imported when asked

        clauses = ctx.assistant.clauses(document.doc_id)
        for clause in clauses[:2] + clauses[-2:]:
            if people := find_person(clause.text):
                return f"{label}由{people[0].text}签署", [people[0].text]
        return None
    if name == "kind":
        return (f"{label}是{document.kind}", [document.title]) if document.kind else None
    if name == "addressees":
        if not document.addressees:
            return None
        return f"{label}的主送单位：{'、'.join(document.addressees)}", [document.addressees[0]]
    if name == "copied":  # the 抄送 line at the foot of the document
        clause, line = _clause_with(ctx, document, ["抄送："])
        if clause is None:
            return None
        copied = re.search(r"抄送：([^。\n]+)", clause.text)
        return (f"{label}抄送：{copied.group(1)}", [copied.group(0)]) if copied else None
    if name == "annexes":
        annexes = [c for c in ctx.assistant.clauses(document.doc_id) if re.fullmatch(r"附件\s*\d+", c.path)]
        if not annexes:
            return None
        listed = "；".join(f"{c.path}《{c.heading}》" if c.heading else c.path for c in annexes)
        return f"{label}共有{len(annexes)}个附件：{listed}", [annexes[0].heading or annexes[0].text[:20]]
    return None


def _sentence_holding(text: str, needle: str) -> str:
    """The sentence of `text` that holds `needle` (a substring of text, so it can be quoted)."""
    for match in re.finditer(r"[^。！？\n]*[。！？]?", text):
        if needle in match.group(0):
            return match.group(0).strip()
    return needle


def _documents(ctx):
    if ctx.question.documents:
        return list(ctx.question.documents)
    if ctx.question.anaphoric and ctx.conversation.doc_ids:
        return [d for d in ctx.assistant.documents() if d.doc_id in ctx.conversation.doc_ids]
    return [ctx.evidence[0].document] if ctx.evidence else []


def citing_documents(ctx):
    """A question about a document the library does not hold but cites (工信部联政法〔2021〕215号 出了哪些
    落实文件？): the documents whose clauses cite it, each cited where it does."""
    from rag.models import Answer, Citation

    numbers = ctx.question.unknown_doc_numbers
    citations: dict[str, Citation] = {}
    for evidence in ctx.evidence:
        text = evidence.clause.text.replace(" ", "")
        number = next((n for n in numbers if n in text), None)
        if number and evidence.document.doc_id not in citations:
            citations[evidence.document.doc_id] = Citation(evidence.document, evidence.clause,
                                                           _sentence_holding(evidence.clause.text, number))
    if not citations:
        return None
    labels = "；".join(c.document.label for c in citations.values())
    return Answer(ctx.question.text, f"已收录文件中引用{'、'.join(numbers)}的有：{labels}", list(citations.values()),
                  list(ctx.evidence), kind="docfact", confidence=0.8)


def answer(ctx):
    from rag.answering import refuse
    from rag.models import Answer, Citation

    asked = ctx.question.asked  # an English question's cues name the facet too (take effect → 施行)
    for number in (d.doc_number for d in ctx.question.documents if d.doc_number):
        asked = asked.replace(number, "")  # the 文号 that names the document is not a question about it
    names = facets(asked)
    if ctx.question.unknown_doc_numbers:
        if any(name not in _OWN_FACETS for name in names):  # 沪科规〔2024〕2号当初是哪天施行的？
            return refuse(ctx, f"已收录文件中没有文号为{'、'.join(ctx.question.unknown_doc_numbers)}的文件，"
                               f"无从得知其{_labels(names)}")
        return citing_documents(ctx)
    if "basis" in names:  # 落实哪份文件？名字和文号 — the name and 文号 asked are the basis document's
        names = [name for name in names if name not in ("title", "number")]
    documents = _documents(ctx)
    if not names or not documents:
        return None
    if "basis" not in names and _REFERENCED.search(asked):
        referenced = _referenced(ctx, documents)
        if not referenced:
            return refuse(ctx, f"问的是{documents[0].label}所引用的另一份文件，已收录文件未载明其{_labels(names)}")
        documents = referenced
    parts, citations, missing = [], [], []
    for document in documents[:3]:
        named = False  # the document's label opens its first fact; the next ones say 其 (its)
        for name in names:
            found = _fact(ctx, document, name)
            if found is None:
                missing.append(dict(_FACET_LABELS)[name])
                continue
            text, needles = found
            if named and text.startswith(document.label):
                text = "其" + text[len(document.label):].removeprefix("的")
            named = named or document.title in text
            clause, needle = _clause_with(ctx, document, needles)
            if clause is not None:
                citation = Citation(document, clause, _sentence_holding(clause.text, needle))
                if citation not in citations:
                    citations.append(citation)
            parts.append(text)
    if not parts and set(missing) == {"有效期"}:
        return None  # 号牌有效期几年？ asks what a clause says, not when the document expires
    if not parts:
        return refuse(ctx, f"已收录文件未载明所问的{'、'.join(dict.fromkeys(missing))}")
    return Answer(ctx.question.text, "；".join(parts), citations, list(ctx.evidence), kind="docfact", confidence=0.9)


def _referenced(ctx, documents) -> list:
    """The documents of the library that the given ones name as their basis (根据《…》（…号）)."""
    cited = [m.group(2) for document in documents for clause in ctx.assistant.clauses(document.doc_id)[:3]
             for m in _BASIS.finditer(clause.text)]
    return [d for d in ctx.assistant.documents() if d not in documents
            and any((d.doc_number and d.doc_number in text) or f"《{d.title}》" in text for text in cited)]


def _labels(names: list[str]) -> str:
    return "、".join(dict(_FACET_LABELS)[name] for name in names) or "所问信息"


_FACET_LABELS = (("title", "标题"), ("number", "文号"), ("expiry", "有效期"), ("effective", "施行日期"), ("issuer", "发文机关"), ("signer", "签署人"),
                 ("date", "成文日期"),
                 ("status", "文件状态"), ("size", "条文数量"), ("basis", "制定依据"), ("kind", "文件类型"),
                 ("addressees", "主送单位"), ("copied", "抄送单位"), ("annexes", "附件"))

KIND = Kind(
    name="docfact",
    examples=(
        "这个文件的文号是多少？", "哪天印发的？", "什么时候开始施行？", "是哪个部门发布的？", "由哪些部门联合印发？",
        "是正式文件还是征求意见稿？", "这部法一共多少条？", "根据哪个文件制定的？", "什么时候生效？", "这个方案是落实哪份文件的？",
        "Who issued this regulation?", "When does it take effect?", "What is the document number?",
        "发文机关是谁？", "是草案吗？", "某府发〔2021〕8号是什么文件？", "这个文号对应哪个文件？", "哪一年通过的？", "成文日期是哪天？", "这个办法有效期到什么时候？",
    ),
    cues=r"文号|是(什么|哪个|哪份)文件|发文|印发|颁布|施行|生效|正式文件|征求意见稿|草案|几条|多少条|制定依据|上位法|落实(哪|什么)|issued|take effect|in force"
         r"|主送|抄送|" + _ANNEXES_ASKED,
    answer=answer,
)
