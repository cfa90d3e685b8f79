"""Ingestion: load policy files, repair their text, parse clauses and metadata, index them.

Nothing heavy is imported here; chromadb and sentence-transformers are imported lazily by
`ingest.store` and `ingest.embedding` respectively.
"""
