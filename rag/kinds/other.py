"""Anything else (how, why, what is required): the best supported sentence answers it."""

from rag.kinds import Kind

KIND = Kind(
    name="other",
    examples=(
    "怎么推进这项工作？", "有什么要求？", "如何保障？", "主要内容是什么？", "怎样落实？", "有什么措施？",
    "How will it be implemented?", "What does it require?", "对企业有什么支持？", "政策怎么说？",
    "工作机制是怎样的？", "具体怎么做？",
),
    cues=r"怎么|如何|怎样|什么要求|什么措施|\bhow\b",
    answer_types=(),
)
