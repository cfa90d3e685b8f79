"""How often: 每周, 每季度, 每年一次, 定期 — a frequency answers it, not a duration or a date."""

from rag.kinds import Kind

KIND = Kind(
    name="frequency",
    examples=(
    "数据多久上报一次？", "联席会议多长时间举行一次？", "例会多久开一次？", "每隔多久检查一次？", "一年开几次会？",
    "评估的频次是怎样的？", "信息报送的频率是什么？", "多长时间调度一次？", "隔多久更新一次名单？",
    "每年要考核几次？", "How often are the reports submitted?", "How often does the meeting take place?",
    "多久通报一次进展？", "培训多长时间组织一次？", "几年评一次？", "年报多久报一次？",
),
    cues=r"多久[^，。？?]{0,8}一次|多长时间[^，。？?]{0,8}一次|隔多久|频次|频率|几年[^，。？?]{0,6}一次|[年月周季][^，。？?]{0,4}几次|\bhow often\b",
    answer_types=("frequency",),
)
