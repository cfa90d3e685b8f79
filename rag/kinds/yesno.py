"""Yes or no: is it allowed, must one, can one — the deciding sentence answers it."""

from rag.kinds import Kind

KIND = Kind(
    name="yesno",
    examples=(
    "可以随时解除合同吗？", "是否必须登记？", "能不能在这里经营？", "需要缴费吗？", "允许延长吗？",
    "是不是要先审批？", "有没有罚款？", "外地人可以申请吗？", "单位能不能收取押金？",
    "Is it allowed without a permit?", "Do I need to register?", "Can the employer refuse?",
    "是否收费？", "要不要办理备案？", "必须持证上岗吗？", "可以不缴吗？",
),
    cues=r"吗[？?]?$|是否|能不能|可不可以|可以不|要不要|是不是|有没有|允许|^(is|are|can|do|does|must)\b",
    answer_types=(),
)
