"""Prometheus metrics, exposed at /metrics beside the chat receivers."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

TRIAGES = Counter("factdesk_triages_total", "Triage jobs by outcome.", ["outcome"])
TRIAGE_SECONDS = Histogram(
    "factdesk_triage_seconds",
    "Time from job start to stored report.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
QUEUE_DEPTH = Gauge("factdesk_queue_depth", "Triage jobs waiting.")
QUEUE_AGE = Gauge("factdesk_queue_oldest_seconds", "Age of the oldest waiting triage job.")
LLM_CALLS = Counter("factdesk_llm_calls_total", "LLM calls by outcome.", ["outcome"])
LLM_TOKENS = Counter("factdesk_llm_tokens_total", "LLM tokens by direction.", ["direction"])
CHAT_API_ERRORS = Counter("factdesk_chat_api_errors_total", "Failed chat platform API calls.", ["platform"])
