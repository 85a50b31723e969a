"""Errors a user can cause: each carries one plain sentence for the chat thread or the terminal."""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose message is a complete sentence safe to show to the person who caused it."""

    exit_code = 2

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


class BadInput(UserFacingError):
    """The pasted text or file cannot be triaged (empty, binary, too large, ...)."""


class LinkError(UserFacingError):
    """A link could not be fetched or read (dead, private, paywalled, refused for safety)."""


class CommandError(UserFacingError):
    """A desk command was malformed, named an unknown claim, or is not allowed for this user."""


class StorageUnavailable(UserFacingError):
    """The database cannot be reached or its schema is out of date."""

    exit_code = 3


class PlatformUnreachable(UserFacingError):
    """A chat platform's API cannot be reached (network, DNS, gateway); `serve` retries, others stop."""

    exit_code = 69  # EX_UNAVAILABLE


class ConfigurationError(UserFacingError):
    """A setting is missing or malformed; the sentence names the environment variable."""

    exit_code = 78  # EX_CONFIG
