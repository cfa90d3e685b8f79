"""What is / on what condition: definitions and conditions."""

from rag.kinds import Kind

KIND = Kind(
    name="definition",
    examples=(
    "什么是专项资金？", "这里所说的X是指什么？", "申请需要满足什么条件？", "什么情况下可以解除合同？",
    "符合什么条件才能落户？", "怎么界定？", "定义是什么？", "要具备哪些资格？", "What does the term mean?",
    "What are the requirements to apply?", "需要什么条件？", "门槛是什么？", "怎样才算符合？",
    "是指哪些设备？", "在什么情形下会被取消？", "申领条件是什么？",
),
    cues=r"是指|指什么|指的是|指多大|什么是|定义|条件|情形|情况下|资格|门槛|怎么界定|\bmean\b|\brequirements?\b|\bconditions?\b",
    answer_types=("definition", "condition"),
)
