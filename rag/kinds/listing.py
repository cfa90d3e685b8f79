"""Which ones: lists of industries, products, situations or items a clause enumerates."""

from rag.kinds import Kind

KIND = Kind(
    name="list",
    examples=(
    "鼓励发展哪些产业？", "有哪些情形？", "包括哪些内容？", "重点支持哪些领域？", "哪些产品可以申报？",
    "哪些行为是禁止的？", "主要任务有哪些？", "哪几类企业可以享受？", "我们是做制造的企业，哪些方向被支持？",
    "Which industries are encouraged?", "What situations are covered?", "列出所有的条件有哪些",
    "需要提交哪些材料？", "有哪些基本公共服务？", "哪些场所必须设置？", "重点产业链有哪些？",
),
    cues=r"哪些|哪几|哪[两三四五六七八九十\d]+[个大项类种块条方]|哪类|有哪|包括|列举|由什么组成|组成部分|[两三四五六七八九十\d](?:个|大|项|类|种|方面)[^，。？?]{0,10}(?:是什么|是哪|有什么|分别|指)|\bwhich\b|\bwhat (are|kinds?)\b",
    answer_types=("enumeration",),
)
