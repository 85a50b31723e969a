"""Credentials in URLs, masked wherever a URL is shown: error sentences, `factdesk doctor`, log lines.

It lives in the lowest layer so storage's own sentences use the same function as the bot's logs.
A password may hold an unencoded ``@`` (``postgresql://app:p@ss@db/news``); everything up to the last ``@``
of the address is treated as credentials, so no tail of the password is left showing.
"""

from __future__ import annotations

import re

MASK = "[redacted]"

# scheme://user:password@ — the password runs to the last "@" before whitespace, whatever it contains.
_USER_AND_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)([^\s:/?#@]*):\S*@")
# scheme://token@ — userinfo without a colon is a token (https://sk-abc@host) and is masked whole.
_TOKEN = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^\s:/?#@\[\]]+@")


def mask_url_credentials(text: str) -> str:
    """``text`` with the password (or token) of every URL in it replaced by ``[redacted]``."""
    text = _USER_AND_PASSWORD.sub(lambda m: f"{m[1]}{m[2]}:{MASK}@", text)
    return _TOKEN.sub(lambda m: f"{m[1]}{MASK}@", text)
