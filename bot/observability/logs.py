"""Structured logging: one JSON object per line when stderr is not a terminal, readable text when it is."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from storage.masking import mask_url_credentials

# Anything shaped like a platform or API credential is masked before it reaches a log line.
_SECRET = re.compile(r"\b(xox[abposr]-[\w-]+|xapp-[\w-]+|sk-[\w-]{8,}|[\w-]{24,}\.[\w-]{6}\.[\w-]{27,})")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    """Tokens and URL credentials masked: for log lines and anything else shown to an operator."""
    return mask_url_credentials(_SECRET.sub("[redacted]", text))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        # `extra` fields are redacted too: an error text or URL passed there is as likely to hold a secret.
        entry.update(
            {k: redact(v) if isinstance(v, str) else v for k, v in vars(record).items() if k not in _STANDARD}
        )
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if sys.stderr.isatty():
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
