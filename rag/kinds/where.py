"""Where: a place, a site or an office — the best supported sentence naming it answers."""

from rag.kinds import Kind

KIND = Kind(
    name="where",
    examples=(
        "布局在哪个县？", "在哪里办理？", "办公地点在哪？", "项目落在哪个区？", "去哪里申请？", "在什么地方举行？",
        "设在哪个城市？", "基地建在哪个园区？", "Where should I apply?", "Where is it located?", "在哪儿登记？",
        "选址在哪里？",
    ),
    cues=r"哪里|哪儿|在哪|哪个(县|区|市|省|镇|地方|园区|城市|地区)|什么地方|地点|选址|\bwhere\b",
    answer_types=(),
)
