"""Storage's own failures. `storage` cannot import `bot`; the bot layer turns these into user sentences."""

from __future__ import annotations


class StorageError(Exception):
    """Base class: the message is a complete sentence an operator can act on."""


class DatabaseUnreachable(StorageError):
    """The database server or file cannot be opened."""


class SchemaOutOfDate(StorageError):
    """The database schema is missing or older/newer than this code expects."""


class AuditViolation(StorageError):
    """A change was flushed without an event row, or an event row was altered: a programming error."""
