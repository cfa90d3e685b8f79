"""Optional LLM phrasing (placeholder until the LLM path lands): no endpoint configured → None."""

from __future__ import annotations


def llm_from_settings(settings):
    return None
