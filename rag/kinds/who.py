"""Who: responsible, lead and competent units — an organisation name answers it."""

from rag.kinds import Kind

KIND = Kind(
    name="who",
    examples=(
    "这项任务的牵头部门是谁？", "由哪个部门负责？", "哪些单位参与？", "责任单位有哪些？",
    "归哪个部门管？", "向谁申请？", "由谁审批？", "谁来组织实施？", "报告交给哪个部门？",
    "Which department is in charge?", "Who approves the application?", "主管部门是哪个？",
    "哪个机关负责登记？", "谁负责监督检查？", "由哪个单位编制目录？", "找哪个部门办？",
),
    cues=r"谁|哪个部门|哪些部门|哪个单位|哪些单位|哪个机关|牵头|负责|责任单位|主管|由哪(?!几|些方面|部分)|向哪|找哪|\bwho\b|\bdepartment\b|\bagency\b",
    answer_types=("org",),
)
