"""When: dates, stages, periods — a date or a date range answers it."""

from rag.kinds import Kind

KIND = Kind(
    name="when",
    examples=(
    "这项工作什么时候开始？", "活动哪天结束？", "第一阶段的时间安排是怎样的？", "规划期是哪几年？",
    "几号截止？", "什么时候之前要完成？", "这个行动从哪天持续到哪天？", "哪一年要实现这个目标？",
    "申报时间是什么时候？", "哪天起开始受理？", "When does the campaign end?", "When did it start?",
    "什么时后开始？", "准备阶段是几月几号？", "几月份完成验收？", "工作分几个阶段，各阶段时间？",
),
    cues=r"什么时候|什么时后|何时|哪段时间|什么时间段|哪个时间段|哪天|哪一天|几号|几月|哪年|哪一年|哪几年|时间安排|截止|阶段|规划期|什么节点|时间节点|时点|\bwhen\b|\bdate\b",
    answer_types=("date", "date_range", "moment"),
)
