"""Word lists of Chinese official texts, each a named constant for one role. Generic vocabulary only:
nothing here names a phrase of one document. Every list is checked in tests/rag/test_lexicon.py;
those the span extractors (rag.extract) read are checked for doing what their comment says. Order
does not matter there: the extractors match longest entries first."""

from __future__ import annotations

# ---- spans (rag.extract) ---------------------------------------------------------------------
# Units a duration is counted in: 六个月, 三十日, 15个工作日, 两周, 1个季度.
TIME_UNITS = (
    "个工作日", "工作日", "个自然日", "自然日", "日", "天", "个月", "月", "年", "周", "个星期", "星期",
    "个季度", "季度", "小时", "个小时", "分钟",
)

# Units an amount is counted in: money, shares, counts of things, sizes, ages. 万元/亿元/千米 stay whole
# (200万元 is 200 with unit 万元); a 万 not listed here belongs to the number (3.5万人 is 35000 人).
MEASURE_UNITS = (
    "元", "万元", "亿元", "万亿元", "美元", "万美元", "亿美元",
    "%", "％", "‰", "个百分点", "倍", "分",
    "个", "家", "项", "件", "条", "批", "次", "人", "人次", "万人次", "名", "户", "位", "所", "座", "辆", "台",
    "套", "张", "栋", "宗", "类", "款", "种", "档",
    "平方米", "平方公里", "公顷", "亩", "万亩", "吨", "万吨", "公斤", "千克", "克", "公里", "千米", "米",
    "厘米", "毫米", "千瓦", "兆瓦", "千瓦时", "立方米", "周岁", "岁",
)

# Units of one measure as (base unit, size in it): a range written in two units is given in the
# smaller one (六个月以上一年以下 → 6-12 个月, 五百元以上五万元以下 → 500-50000 元).
UNIT_SIZES = {
    "元": ("元", 1), "万元": ("元", 10**4), "亿元": ("元", 10**8), "万亿元": ("元", 10**12),
    "美元": ("美元", 1), "万美元": ("美元", 10**4), "亿美元": ("美元", 10**8),
    "人次": ("人次", 1), "万人次": ("人次", 10**4), "吨": ("吨", 1), "万吨": ("吨", 10**4),
    "亩": ("亩", 1), "万亩": ("亩", 10**4), "克": ("克", 1), "千克": ("克", 1000), "公斤": ("克", 1000),
    "米": ("米", 1), "千米": ("米", 1000), "公里": ("米", 1000), "厘米": ("米", 0.01), "毫米": ("米", 0.001),
    "平方米": ("平方米", 1), "公顷": ("平方米", 10**4), "平方公里": ("平方米", 10**6),
    "千瓦": ("千瓦", 1), "兆瓦": ("千瓦", 1000), "%": ("%", 1), "‰": ("%", 0.1),
    "日": ("日", 1), "天": ("日", 1), "周": ("日", 7), "个星期": ("日", 7), "星期": ("日", 7),
    "个月": ("个月", 1), "月": ("个月", 1), "个季度": ("个月", 3), "季度": ("个月", 3), "年": ("个月", 12),
    "小时": ("小时", 1), "个小时": ("小时", 1), "分钟": ("小时", 1 / 60),
}

# What may follow a unit after a slash to make a rate: 500元/人, 30元/平方米, 2000元/月.
PER_UNITS = ("人", "户", "月", "年", "天", "日", "次", "人次", "吨", "亩", "平方米", "件", "台", "辆", "家", "项", "小时")

# Words that join the two ends of a range: 3个月至12个月, 2021—2025年, 5%～10%.
RANGE_WORDS = ("至", "到", "～", "~", "〜", "-", "－", "—", "——", "–")

# Bound words written before a quantity: 不超过六个月, 最长不得超过六个月, 年满16周岁.
BOUND_PREFIXES = (
    "不少于", "不超过", "不低于", "不高于", "不多于", "不大于", "不小于", "不足", "不满", "未满", "满", "年满",
    "超过", "高于", "低于", "多于", "少于", "大于", "小于", "最长", "最短", "最高", "最低", "最多", "最少",
    "至少", "至多", "不得超过", "不得少于", "不得低于", "不得高于", "逾", "约", "近",
)
# Bound words written after a quantity: 一年以上, 5年内, 二百元以上一千元以下 (以上 also joins a range).
BOUND_SUFFIXES = ("以上", "以下", "以内", "之内", "内", "及以上", "及以下", "（含）以上", "（含）以下", "左右", "以外")
# Every bound word, for callers that only ask "is this a bound".
BOUND_WORDS = BOUND_PREFIXES + BOUND_SUFFIXES

# Words that look like a numeral followed by a unit but are not a quantity: 十分重要, 万分感谢, 上一年度.
NON_NUMERAL_WORDS = ("十分", "万分", "百分百", "一次性", "一年度")

# A date may end with one of these, kept in the span: 5月25日前, 2023年12月31日起, 2020年以来.
DATE_BOUNDS = ("前", "之前", "以前", "后", "之后", "以后", "起", "止", "为止", "以来", "内")
# A part of a year or month after it: 3月底, 2025年底, 5月上旬, 2023年上半年.
DATE_PARTS = ("底", "末", "初", "上旬", "中旬", "下旬", "上半年", "下半年", "一季度", "二季度", "三季度", "四季度")
# Units of money: an answer to 补贴多少 / 投资额是多少 must be in one of them (or a share, %).
CURRENCY_UNITS = ("元", "万元", "亿元", "万亿元", "美元", "万美元", "亿美元", "角", "分钱")
# Words that make a how-much question a question about money.
MONEY_WORDS = ("钱", "金额", "资金", "补贴", "补助", "奖励", "奖补", "奖金", "费", "投资", "罚款", "罚多少", "基金",
               "减免", "税", "工资", "报酬", "津贴", "价格", "贷款")
# Counters: one may ask 多少张 and the text answer in 件, so an asked counter accepts any of them.
COUNTERS = ("个", "家", "项", "件", "条", "批", "次", "人", "人次", "万人次", "名", "户", "位", "所", "座", "辆", "台",
            "套", "张", "栋", "宗", "类", "款", "种", "档", "万人", "万户")

# What "how often" is counted in: 每季度, 每年一次, 一月两次.
FREQUENCY_PERIODS = ("年度", "半年", "年", "个季度", "季度", "季", "个月", "月", "旬", "周", "个星期", "星期", "日", "天",
                     "个工作日", "工作日", "学期", "届", "小时")
# Words that say "regularly" without a period: 定期报送.
FREQUENCY_WORDS = ("定期", "不定期", "经常性", "常态化")

# What a time told by an event ends with (在评审开始前, 自下发之日起, 签注时).
MOMENT_ENDS = ("之日起", "之日", "之前", "以前", "之后", "以后", "开始前", "前", "后", "时", "期间", "届满")

# A period a month or day recurs in or is counted from: 每年3月底前, 每月15日前, 次年1月.
DATE_PERIODS = ("每年", "每月", "当年", "当月", "次年", "次月", "上年", "上月", "本年", "今年", "明年")
# The periods a bare day of the month is a date after (每月15日前); elsewhere 15日 is a duration.
DAY_PERIODS = ("每月", "当月", "次月", "上月")

# What the name of an organisation or government unit ends with: 市经信局, 县级以上人民政府, 用人单位.
# 部门/机关/机构/单位 name a kind of body (有关部门, 公安机关) and are matched the same way.
ORG_SUFFIXES = (
    "局", "委", "办", "厅", "部", "署", "院", "政府", "委员会", "管委会", "居委会", "村委会", "中心", "公司",
    "银行", "协会", "商会", "学会", "联合会", "工会", "基金会", "研究会", "促进会", "办公室", "办公厅",
    "办事处", "领导小组", "指挥部", "集团", "合作社", "学校", "大学", "派出所", "研究所", "事务所", "大队",
    "支队", "总队", "法庭", "部门", "机关", "机构", "单位",
)
# Words ending (or overlapping) an ORG_SUFFIXES entry that are not names: 产业布局, 部署, 委托, 一网通办.
ORG_NON_NAMES = (
    "布局", "格局", "大局", "全局", "结局", "开局", "局部", "局面", "局限", "当局", "局长",
    "委托", "委派", "委屈", "委员", "委婉",
    "举办", "创办", "承办", "主办", "协办", "督办", "代办", "交办", "兴办", "开办", "包办", "申办", "查办",
    "帮办", "通办", "快办", "即办", "网办", "办理", "办法", "办公", "办好", "办件", "办事", "办学", "办案",
    "办结", "怎么办",
    "大厅", "展厅", "餐厅", "客厅",
    "全部", "内部", "外部", "东部", "西部", "中部", "北部", "南部", "干部", "部分", "部署", "部长", "部位",
    "头部", "底部", "顶部", "尾部",
    "签署", "署名", "部件", "零部件",
    "院士", "院长", "院校", "院所", "院落", "庭院",
    "中心城", "中心区", "中心镇", "中心村", "中心任务", "中心工作",
    "责任单位", "牵头单位", "配合单位", "参与单位", "责任部门", "牵头部门", "配合部门",
    "计量单位", "为单位",
)
# Words that cannot be inside an organisation's name, so the name starts after them:
# 由公安机关交通管理部门 → 公安机关交通管理部门, 报市经信局备案 → 市经信局.
ORG_BOUNDARY_WORDS = (
    "由", "会同", "联合", "牵头", "负责", "配合", "协助", "督促", "鼓励", "推动", "引导", "依托", "通过", "按照",
    "依照", "根据", "向", "对", "将", "被", "请", "给", "为", "是", "的", "并", "以及", "或者", "或", "报",
    "享受", "申请", "申报", "报送", "报请", "提请", "上报", "移送", "移交", "抄送", "告知", "委托", "授权", "责成",
    "应当", "可以", "必须", "不得", "违反", "遵守", "依法", "依据", "是指", "系指", "落实", "加强", "加快", "深化",
    "强化", "完善", "健全", "优化", "争取", "积极", "主动", "发挥", "获得", "取得", "制定", "印发", "转发", "明确",
    "确保", "做好", "开展", "设立", "成立", "推荐", "参照", "比照", "接受", "征求", "听取", "精神", "报告", "从事",
    "禁止",
)
# Connectors between the names in a list (市经信局、市科技局和宣汉县人民政府). Inside a name they are
# kept (人力资源和社会保障局): a name is split at one only when a name ends right before it.
ORG_LIST_JOINS = ("、", "和", "及", "与", "或", "以及", "或者", "等")

# What joins the last item of a list to the others, or ends the list: 锂电、新材料和食品饮料, …等产业.
ENUMERATION_JOINS = ("和", "及", "与", "或", "以及", "或者")
ENUMERATION_ENDS = ("等",)
# Words before the first item of a list, which the item starts after: 重点发展锂电、新材料 → 锂电.
ENUMERATION_LEADS = (
    "包括", "包含", "涉及", "是指", "系指", "发展", "支持", "鼓励", "推动", "推进", "加快", "加强", "开展", "实施", "培育",
    "打造", "围绕", "聚焦", "重点", "主要", "例如", "诸如", "如", "即", "对", "向", "在", "将", "由", "为",
    "是", "的", "其中", "以及", "提供", "建立", "完善", "优化", "做好", "落实", "适用于", "用于", "面向", "针对",
    "涵盖", "覆盖", "突出",
)

# Verbs that join a term to its definition: X是指Y, 本办法所称X，系指Y (a bare 指 needs a comma before it).
DEFINITION_MARKERS = ("是指", "系指")
# What a definition's 所称 refers back to, kept in the span: 本办法所称X, 前款所称X.
DEFINITION_SCOPES = (
    "本法", "本条例", "本办法", "本规定", "本细则", "本通知", "本方案", "本意见", "本政策", "本措施", "本决定",
    "本条", "本章", "前款", "前条", "上述",
)
# Words starting with 指 after a comma that do not define (X，指导…): a bare 指 defines only if not one.
NON_DEFINING_ZHI = ("指导", "指标", "指出", "指定", "指南", "指引", "指挥", "指数", "指示", "指向", "指明", "指派", "指令")

# Phrases that open a condition and end it themselves: 有下列情形之一的, 应当具备下列条件.
CONDITION_TRIGGERS = (
    "有下列情形之一的", "具有下列情形之一的", "有下列情况之一的", "有下列行为之一的", "存在下列情形之一的",
    "应当具备", "应具备", "须具备", "需具备", "必须具备", "具备下列条件", "应当满足", "应满足", "需满足",
    "须满足", "同时满足", "需同时满足", "满足下列条件", "满足以下条件",
)
# Words that open a condition closed by a CONDITION_CLOSERS word or by 的: 符合条件的企业, 凡在本市注册的.
CONDITION_OPENERS = ("不符合", "符合", "凡")
CONDITION_CLOSERS = ("条件", "要求", "标准", "规定", "情形")

# ---- questions (rag.question) ----------------------------------------------------------------
# Words that ask rather than name: blanked out before a question's wording is matched to clauses.
QUESTION_WORDS = frozenset(
    "请问 一下 什么时候 什么时后 什么时间 何时 哪一天 哪天 哪一年 哪年 哪几年 多长时间 多久 多少 哪些 哪个 哪类 哪几 "
    "哪份 哪 谁 什么 是否 有没有 有无 吗 呢 么 怎样 怎么 如何 几个 几家 几次 几 是 的 了 要 在 对 里 中 和 与 及 由 "
    "我们 我 你们 想 知道 问 请 能 可以 需要 一个 这个 那个 这 那 啥 咋 呀 吧 啊 哦 一共 总共 具体 分别 各自".split()
)
# How people say it → how policy texts say it: the formal word is added to a question's keyword search and ranking
# (每天 finds 每日, 工人 finds 劳动者); the question's own words stay, so nothing is lost when both occur.
COLLOQUIAL_TO_FORMAL = {
    "每天": "每日", "天天": "每日", "多少天": "日", "几天": "日", "天内": "日内", "每个月": "每月",
    "工人": "劳动者", "员工": "劳动者", "打工": "务工", "老板": "用人单位", "公司": "企业", "厂里": "企业",
    "上班": "工作", "加班": "延长工作时间", "辞职": "解除劳动合同", "辞退": "解除劳动合同", "开除": "解除劳动合同",
    "罚多少": "罚款", "罚钱": "罚款", "罚款多少": "罚款", "电动车": "电动自行车",
    "办证": "办理", "发证": "发放", "拿到": "取得", "领证": "领取",
    "老家": "原籍", "户口本": "户口簿", "落户": "户口迁入", "外地人": "非本市户籍",
    "孩子": "子女", "小孩": "未成年人", "老人": "老年人",
    "扣分": "扣减", "减分": "减分指标", "加分": "加分指标",
    "国庆": "法定休假日", "过年": "春节", "节假日": "法定休假日", "周末": "休息日",
    "看病": "就医", "报销": "支付", "医保": "医疗保障",
    "补贴": "补助", "奖金": "奖励", "审批": "批准", "报名": "申请", "截止": "截至",
    "起实施": "起施行", "生效": "施行", "补办": "补领", "丢了": "丢失",  # a law or regulation 自…起施行
    "生孩子": "生育", "生小孩": "生育", "生娃": "生育", "坐月子": "产假",
    "带孩子": "载人", "带人": "载人", "拎": "携带", "带回家": "携带", "家里": "居住",
    "去世": "逝世", "过世": "逝世", "降半旗": "下半旗", "半杆": "下半旗", "致哀": "志哀",
}
# Words that ask for a value (not for a clause's text, as 是什么 / 讲了啥 do): a question holding one
# beside a citation it cannot find (规划专栏7里2025年要建几个平台？) is asked, not looked up.
VALUE_ASKING = ("几", "多少", "哪", "谁", "何时", "什么时候", "是否", "有没有", "多久", "多长", "能不能", "可不可以")
# Besides VALUE_ASKING, the words that make a follow-up a question of its own (那它的牵头部门是什么？):
# without any (那集中攻坚呢？) it asks the previous question again, of something else
OWN_QUESTION_WORDS = ("什么", "怎么", "怎样", "如何", "吗", "为何", "为什么", "啥")
# How a question names a level of government without naming the place (the place names come from
# the documents' issuers: ingest.metadata.place_prefix).
LEVEL_WORDS = {
    "national": r"国家层面|国家级|全国|中央",
    "province": r"省里|省级|全省|省政府|省委|省上",
    "city": r"市里|市级|全市|我市|市政府|市委|市上",
    "county": r"县里|县级|全县|区县",
}
# Counters that number the members of a series (第二类医疗器械, 三级, 第一阶段): a sentence about another
# member than the one a question names (三类医疗器械审评要多久 → 第二类…40个工作日) does not answer it.
SERIES_COUNTERS = ("类", "级", "档")
ORDINAL_COUNTERS = ("阶段", "季", "期", "批", "届", "轮", "次")  # 第四季: also a fact the answering clause must hold
# Words that ask who is responsible for a task: a who-question holding one (这项工作由谁牵头) is answered
# from the clause's （责任单位：…） block; another (问题往上交给谁) from the sentence that answers it.
RESPONSIBILITY_WORDS = ("牵头", "负责", "责任", "主管", "主抓", "承担", "分工")
# A short question that starts or ends like this leans on the previous answer (它, 这项, 那…呢).
import re as _re  # noqa: E402 - kept beside the list it compiles

# 这份落户意见 points at a document: after one of these, two characters of its title and its type word name it
DOCUMENT_DEMONSTRATIVES = ("这份", "该", "本", "此", "这个", "这部", "这项")
ANAPHORA = _re.compile(r"^(那|那么|它|其|该|这|此|上述|这个|那个|这项|那项|这条|那条)|呢[？?]?$|^(牵头|责任)")

# ---- people (rag.person) ------------------------------------------------------------------------
# Titles a policy text writes next to a person's name (总理 李克强, 联系人：张三). A question asking who
# holds one of them wants a name, which most policy texts never give.
PERSON_TITLES = (
    "总理", "副总理", "主席", "副主席", "书记", "副书记", "省长", "副省长", "市长", "副市长", "县长", "区长",
    "局长", "副局长", "厅长", "副厅长", "部长", "副部长", "主任", "副主任", "处长", "科长", "组长", "副组长",
    "负责人", "联系人",
    "经办人", "同志",
)

# A question asking for a telephone number (联系电话是多少？打哪个电话？), and what one looks like in a text
# (0818—3090933, 18728861968, 12345): a clause without one cannot answer it.
PHONE_ASKED = _re.compile(r"(电话|座机|手机|热线)(号码|号)?(是|是多少|多少|是什么|呢)|打(哪个|什么)(电话|号码)|联系方式"
                          r"|(phone|telephone) (number|no)|\bhotline", _re.IGNORECASE)
PHONE_NUMBER = _re.compile(r"(?<!\d)(?:0\d{2,3}[—–\-－ ]?\d{7,8}|1[3-9]\d{9}|1\d{4})(?!\d)")

# ---- English questions (rag.english) ----------------------------------------------------------
# An English question's question words as the Chinese question words the kinds and the document-fact
# facets know: the kinds are detected from these (When does it take effect? → 什么时候施行). Order
# matters: an earlier phrase claims its words first (how many days → 多长时间, not 多少). Generic
# English only: nothing here names a document or a phrase of one.
# English words for money: a how-much question about one of them is answered in money (多少钱).
_MONEY = (r"(pay|wages?|salar(y|ies)|subsid(y|ies)|grants?|fees?|funds?|funding|money|cash|yuan|rmb|fines?|penalt(y|ies)|"
          r"bonus(es)?|rewards?|tax(es)?|loans?|prices?|allowances?)\b")
ENGLISH_QUESTION_WORDS = {
    r"document (number|no\b)|reference number|issuing number|serial number": "文号",
    r"tak(e|es|ing) effect|t[o]?ok effect|(come|comes|came|coming|go|goes|went) into (force|effect)|"
    r"enter(s|ed)? into force|\bin force\b|effective (date|from|on|as of)|become(s)? effective": "什么时候施行",
    r"issued by|who issued|promulgated by|published by|issuing (body|bodies|authority|authorities|agency|department)|"
    r"(which|what) (body|bodies|agency|agencies|authority|authorities|department|departments|ministry|ministries|"
    r"organs?|government) (issued|published|promulgated|released|jointly issued)": "发文机关是哪个",
    r"when (was|were|did) .{0,80}\b(issued|published|promulgated|adopted|passed|released|signed)|"
    r"date of (issue|issuance|publication|adoption)": "什么时候印发",
    r"how many (articles|chapters)": "一共多少条",
    r"legal basis|(based on|pursuant to|in accordance with) (which|what)|"
    r"(which|what) (\w+ )?(laws?|guidelines?|documents?|regulations?|opinions?|polic(y|ies)|rules?) does .{0,100}"
    r"\b(implement|follow|rely on|derive from)\b": "根据哪个文件制定",
    r"\bstill a draft|\bonly a draft|\bis (it|this) a draft|final version|officially (issued|adopted|in force)": "是征求意见稿吗",
    r"how often|how frequently|how many times (a|per|each|every)": "多久一次",
    r"how long|how many (working days|days|weeks|months|years|hours)|how much (time|notice)|"
    r"within what (time|period)|(what|which) (is the )?(deadline|time limit|validity period|notice period)": "多长时间",
    r"(^|[.?!;:,—–-]\s*)when\b|\b(and|by|until|till|since|from) when\b|(what|which) (years?|dates?|days?|months?|time|period)\b|"
    r"by what date": "什么时候",
    r"how (much|big|large)\b.{0,60}\b" + _MONEY + r"|\b" + _MONEY + r".{0,60}\bhow much\b|"
    r"(what|which)('s| is| are| was| were) the (\w+ ){0,2}" + _MONEY: "多少钱",
    r"how (many|much|big|large|high|old)|at least how|(what|which)('s| is| are| was| were) the (\w+ ){0,2}(amount|number|share|"
    r"proportion|percentage|rate|target|output|size|value|scale|minimum|maximum|level)\b|"
    r"what (amount|percentage|share|proportion|output|value|size)": "多少",
    r"(^|[.?!;:,—–-]\s*|\b(and|or|but|by|to|from|with|for|of) )(who|whom)\b|(which|what) (\w+ )?(departments?|"
    r"agenc(y|ies)|bureaus?|bod(y|ies)|authorit(y|ies)|units?|offices?|ministr(y|ies)|organs?|organi[sz]ations?|"
    r"governments?|commissions?|committees?)\b|in charge|tak(e|es|ing) the lead|responsible (for|unit|department)": "哪个部门负责",
    r"(which|what) (places|districts|cities|counties|areas|regions|provinces|locations|sites)\b": "哪些地方",
    r"\bwhere\b|(which|what) (place|district|city|county|area|region|province|location|site)\b": "在哪里",
    r"what (types|kinds|sorts|categories)\b|(which|what) (industries|sectors|fields|items|measures|products|"
    r"projects|enterprises|companies|materials|tasks|services|activities)\b|\blist (the|all)\b|what are the": "哪些",
    r"what (does|do) .{1,60}\bmean\b|what is meant by|\bdefin(e|ed|es|ition)\b|qualif(y|ies|ied) as|"
    r"\bcounts? as\b|in what (situations|circumstances|cases)|under what (conditions|circumstances)|"
    r"(what|which) (conditions|requirements|criteria)|\beligib(le|ility)\b": "是指什么条件",
    r"\bcompare|\bcomparison\b|\bdifference|\bdiffer\b|\bversus\b|\bvs\b|\bboth\b|\beach (one|of them)\b|"
    r"\bhow does each\b|\brespectively\b": "分别有什么不同",
    r"(^|[.?!;:]\s+)(can|may|is|are|am|does|do|did|will|would|must|should|shall|could|has|have)\b|"
    r"\b(allowed|permitted|prohibited|forbidden|banned|mandatory|obliged)\b|\brequired to\b": "可以吗",
    r"\bwhat if\b|what happens (if|when)": "怎么办",
    r"\bhow (should|to|will|do|does|can|is|are)\b|what (measures|steps)\b": "怎么",
}
# Units an English clause reference is counted in (Article 62 → 第六十二条, Annex 2 → 附件2).
# "item 15" is read as 第十五条, which lookup also finds as a plan's 十五、 or 15. item.
ENGLISH_CLAUSE_UNITS = {"article": "条", "item": "条", "chapter": "章", "section": "节"}
ENGLISH_ANNEX_WORDS = ("annex", "attachment", "appendix")
# A short English question that starts like this, or points back with one of these words, leans on
# the previous answer (And the wrap-up stage? / Who leads that task? / What if I'm on probation?).
ENGLISH_ANAPHORA = _re.compile(r"^(and|what about|how about|what if|then|so)\b|\b(that|this|those|these)\b",
                               _re.IGNORECASE)
ENGLISH_ANAPHORA_WORDS = 10  # a follow-up is short: at most this many words
# The Chinese words of policy texts an English question's content words stand for (maternity leave → 产假):
# they let an English question use the keyword rankings and the wording features, which otherwise see
# no shared character. A general glossary of the field (labour, residence and household registration,
# traffic, social insurance, industry and investment, administration), not of any one document.
# Longer phrases are listed first and claim their words.
ENGLISH_CONTENT_WORDS = {
    # labour and employment
    r"maternity leave": "产假", r"maternity|childbirth|give birth|giving birth|pregnan\w*": "生育 怀孕",
    r"annual leave|paid leave": "带薪年休假", r"public holidays?|statutory holidays?|national holidays?": "法定休假日",
    r"rest days?|weekends?": "休息日", r"overtime": "延长工作时间 加班", r"working hours?|work hours?": "工作时间",
    r"minimum wage": "最低工资", r"wages?|salar(y|ies)|pay\b": "工资", r"labou?r contracts?|employment contracts?": "劳动合同",
    r"probation(ary)?( period)?": "试用期", r"resign\w*|quit\w*": "解除劳动合同 提前 通知",
    r"dismiss\w*|fir(e|ed|ing)\b|lay(s|ing)? off|layoffs?": "解除劳动合同", r"labou?r disputes?": "劳动争议",
    r"arbitration": "仲裁", r"(arbitral )?awards?": "裁决", r"lawsuits?|sue\b|court": "人民法院 诉讼",
    r"female (workers?|employees?|staff)|women workers?": "女职工", r"employers?": "用人单位", r"employees?|workers?|staff": "劳动者 职工",
    r"minors?|juveniles?|under 18|under sixteen|under 16": "未成年", r"child labou?r": "童工", r"trade unions?|unions?": "工会",
    r"training": "培训", r"occupational safety|work safety": "劳动安全", r"vocational": "职业",
    # residence and household registration
    r"residence permits?": "居住证", r"hukou|household registration|household register|registered residence": "户口 户籍",
    r"points?(-based)?( system)?": "积分", r"settle(ment)?|move (my |their |his |her )?hukou": "落户 迁入",
    r"spouses?": "配偶", r"parents": "父母", r"children|kids?": "子女", r"id cards?|identity cards?": "居民身份证",
    r"police stations?": "派出所", r"public security": "公安机关", r"social insurance|social security": "社会保险",
    r"renew\w*|endorse\w*": "签注", r"replace\w*|reissu\w*|lost\b": "补领 丢失",
    # traffic and e-bikes
    r"e-?bikes?|electric (bikes?|bicycles?)": "电动自行车", r"bicycles?|bikes?": "自行车 非机动车",
    r"non-motori[sz]ed vehicles?": "非机动车", r"licen[cs]e plates?|number plates?|plates?": "号牌",
    r"helmets?": "头盔", r"batter(y|ies)": "电池", r"charg(e|es|ing)\b": "充电", r"chargers?": "充电器",
    r"park(s|ed|ing)? (an? |the |my )?(e-?bike|bike|bicycle|vehicle)s?|parking": "停放",
    r"speed( limit)?": "速度", r"passengers?|carry(ing)? (a |my )?(child|kid|passenger)": "载人",
    r"bike-?sharing|shared bikes?|rental bikes?": "互联网租赁自行车", r"delivery|couriers?|takeaway": "外卖 快递",
    r"traffic police": "公安机关交通管理部门", r"(sell|sold|sale|sales)\b": "销售", r"modif(y|ied|ication)": "改装",
    # social and medical insurance
    r"medical insurance|health insurance": "医疗保险 医保", r"medical security|healthcare security": "医疗保障",
    r"insurance fund|(medical|insurance) funds?": "基金", r"contribut\w*|premiums?": "缴费 缴纳",
    r"reimburs\w*": "支付 报销", r"medical assistance": "医疗救助", r"hospitals?": "医疗机构", r"pharmac(y|ies)": "药店",
    r"fraud\w*|defraud\w*|cheat\w*": "骗取 欺诈", r"insured|enrol+\w*": "参保",
    # industry, investment and science
    r"medical devices?": "医疗器械", r"clinical trials?": "临床试验", r"approv\w*|review time|registration review": "审评 审批",
    r"experts?": "专家", r"review(s|ing|ers?)?|evaluat\w*": "评审", r"conflicts? of interest|recus\w*|avoid\w*": "回避",
    r"industrial parks?|parks?\b": "园区", r"clusters?": "集群", r"industr(y|ies)": "产业", r"manufactur\w*": "制造业",
    r"investment promotion|attract\w* investment": "招商引资", r"invest\w*": "投资", r"projects?": "项目",
    r"enterprises?|compan(y|ies)|firms?|businesses": "企业", r"headquarters": "总部", r"subsidi(es|y)|grants?": "补助 补贴",
    r"rewards?|bonus(es)?": "奖励", r"funds?|funding": "资金", r"land": "用地", r"talents?": "人才",
    r"patents?": "专利", r"innovation": "创新", r"output( value)?": "产值", r"targets?|goals?": "目标",
    r"relocat\w*|transfer\w*": "转移 承接", r"new materials?": "新材料", r"lithium": "锂电", r"natural gas": "天然气",
    r"chemicals?": "化工", r"textiles?|garments?": "纺织 服装", r"food processing": "食品 加工",
    # administration
    r"fin(e|es|ed)\b|penalt(y|ies)|punish\w*": "罚款 处罚", r"confiscat\w*": "没收", r"warnings?": "警告",
    r"detention": "拘留", r"criminal": "刑事责任", r"register\w*|registration": "登记", r"licen[cs]es?": "许可",
    r"appl(y|ies|ying|ied|ication|ications)\b": "申请", r"free of charge|for free|no fees?": "免收 不得收取",
    r"fees?|costs?\b": "费用 收费 工本费", r"for the first time|first-time": "首次", r"materials|documents required|paperwork": "材料",
    r"deadlines?|time limits?|within how many days": "期限", r"working days": "工作日",
    r"leading (unit|department|agency)|lead (unit|department|agency)|in charge|responsible": "牵头 负责",
    r"supervis\w*|oversight": "监督 管理", r"inspect\w*": "检查", r"complain\w*|report(ing)? (a |to )": "投诉 举报",
    r"flag": "国旗", r"half-?mast": "下半旗", r"national anthem": "国歌", r"insult\w*|desecrat\w*": "侮辱",
}
