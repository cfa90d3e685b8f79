"""Answering: hybrid retrieval, answer composition with clause citations, the optional LLM."""
