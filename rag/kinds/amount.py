"""How much: amounts, targets, fines, percentages, counts — a number with its unit answers it."""

from rag.kinds import Kind

KIND = Kind(
    name="amount",
    examples=(
    "目标是多少？", "罚款多少钱？", "补贴标准是多少？", "占比要达到多少？", "一共要引进几个项目？",
    "产值目标多少亿元？", "比例不低于多少？", "得多少分？", "处多少元罚款？", "要培育几家企业？",
    "How much is the fine?", "What is the target value?", "How many points are given?",
    "增长多少百分点？", "最高多少分？", "投资额要达到多少？",
),
    # 多少年 / 多少天 ask how long (rag.kinds.duration), not how much
    cues=r"多少(?!年|天|个月|月|周|个星期|小时|分钟|个工作日|工作日|日)|百分之几|几成|几倍|几个|几家|几项|几次|几分|多大年纪|多大年龄|多少岁|几岁|规模多大|多大规模|多大面积|有多大|多高|多重|比例|占比|比重|目标|罚款|金额|标准|分值|\bhow (much|many)\b|\bfine\b|\bpercent",
    answer_types=("amount",),
)
