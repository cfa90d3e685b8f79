from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from ingest.settings import Settings
from rag.langchain_retriever import PolicyRetriever

settings = Settings()  # POLICYQA_DATA_DIR, POLICYQA_LLM_BASE_URL … from the environment
retriever = PolicyRetriever.from_settings(settings, k=4)


def format_docs(docs):
    """One numbered block per clause: title, 文号, draft mark, clause path, then the clause text."""
    blocks = []
    for number, doc in enumerate(docs, start=1):
        meta = doc.metadata
        source = f"《{meta['doc_title']}》" + (f"（{meta['doc_number']}）" if meta["doc_number"] else "")
        if meta["status"] == "draft":
            source += f"【{meta['status_label']}】"
        blocks.append(f"[{number}] {source} {meta['clause_path']}\n{doc.page_content}")
    return "\n\n".join(blocks)


prompt = ChatPromptTemplate.from_messages([
    ("system", "只依据给出的条款回答，每句话后用[编号]注明出处；条款不足以回答时直接说明。"),
    ("human", "条款：\n{context}\n\n问题：{question}"),
])

if settings.llm_base_url:  # any OpenAI-compatible endpoint: Ollama, vLLM, a cloud API
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, api_key=settings.llm_api_key,
                     timeout=settings.llm_timeout, temperature=0)
else:  # offline: a stand-in that hands back the cited context the LLM would have read
    llm = RunnableLambda(lambda prompt_value: prompt_value.to_messages()[-1].content)

chain = (
    {"context": retriever.bind(filter={"status": "final"}) | format_docs, "question": RunnablePassthrough()}
    | prompt
    | llm
    | StrOutputParser()
)
print(chain.invoke("南充—达州组团重点承接哪些产业？"))
