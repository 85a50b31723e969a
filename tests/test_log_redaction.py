"""Secrets never reach a log line: not in the message, not in `extra` fields, not in a database URL."""

from __future__ import annotations

import json
import logging

from bot.observability.logs import JsonFormatter


def test_json_lines_mask_tokens_and_url_passwords_in_message_and_extras() -> None:
    record = logging.makeLogRecord(
        {
            "msg": "connecting to %s",
            "args": ("postgresql+psycopg://bob:hunter22@db:5432/factdesk",),
            "error": "Slack said no to xoxb-1234-5678-abcdef",
            "job_id": 7,
        }
    )
    line = JsonFormatter().format(record)
    assert "hunter22" not in line and "xoxb-1234" not in line
    entry = json.loads(line)
    assert entry["message"] == "connecting to postgresql+psycopg://bob:[redacted]@db:5432/factdesk"
    assert entry["error"] == "Slack said no to [redacted]" and entry["job_id"] == 7


def test_a_password_with_an_unencoded_at_and_a_token_userinfo_leave_nothing_behind() -> None:
    record = logging.makeLogRecord(
        {
            "msg": "database %s, model server %s",
            "args": ("postgresql://app:p@ss-TAIL@db/news", "https://sk-live-abc@llm.example/v1"),
        }
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == (
        "database postgresql://app:[redacted]@db/news, model server https://[redacted]@llm.example/v1"
    )
