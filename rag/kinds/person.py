"""Who by name: a person holding a post. Most policy texts name bodies, not people, so without a name
next to the title in the text this is refused (rag.refusal.TYPED_KINDS)."""

from rag.kinds import Kind

KIND = Kind(
    name="person",
    examples=(
        "局长是谁？", "负责人叫什么名字？", "联系人是谁？", "市长是哪位？", "主任叫什么？", "签发人是谁",
        "Who is the director?", "What is the name of the person in charge?", "经信局的局长是谁", "谁签署的这个命令",
        "领导小组组长是哪位领导？",
    ),
    # 哪位 asks for a person (组长是哪位市领导？), whatever post follows it
    cues=r"(局长|主任|书记|市长|县长|厅长|部长|处长|组长|负责人|联系人|总理|主席).{0,3}(是谁|叫什么|是哪位|名字)|叫什么名字"
         r"|哪位|\bname of\b",
    answer_types=("person",),
)
