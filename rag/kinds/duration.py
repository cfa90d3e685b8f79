"""How long: durations and deadlines — 三十日, 六个月, 15个工作日, 3个月至12个月."""

from rag.kinds import Kind

KIND = Kind(
    name="duration",
    examples=(
    "整改期限最长多久？", "需要提前几天通知？", "多少天内要作出决定？", "期限是多长时间？",
    "有效期几年？", "要在多少个工作日内办结？", "逾期多久会被注销？", "保存期限是多久？",
    "How long is the deadline?", "How many days does the agency have to decide?",
    "假期有多少天？", "要满多长时间才能申请？", "多久以内必须登记？", "公示期几天？",
    "暂扣最长几个月？", "过渡期有多长？",
),
    cues=r"多久|多长时间|多长|几天|多少天|几个月|多少个月|几年|多少年|期限|有效期|工作日|\bhow long\b|\bdays?\b|\bmonths?\b",
    # a period from one date to another says how long too (从2023年5月25日开始至2023年9月5日结束)
    answer_types=("duration", "date_range"),
)
