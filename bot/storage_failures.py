"""The one translator from a storage failure to the sentence a user or operator reads.

Storage raises its own `StorageError`s (each already a sentence) and the driver's errors come through
SQLAlchemy; every door of the core (desk commands, triage, the queue, health checks, the doctor, the CLI)
catches `STORAGE_FAILURES` and asks `storage_failure` for the sentence instead of naming exception classes
itself, so a new kind of failure is taught here once.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bot.errors import StorageUnavailable
from storage.errors import StorageError

UNREACHABLE = "The desk's database cannot be reached right now; try again shortly."
CHECK_THE_URL = "The database cannot be reached; check FACTDESK_DATABASE_URL and try again."  # the operator
NOT_STORED = "The database is unavailable right now, so this triage could not be stored; try again shortly."
NOTHING_CHANGED = "The desk's database cannot be reached right now; nothing was changed, try again shortly."

STORAGE_FAILURES: tuple[type[Exception], ...] = (StorageUnavailable, StorageError, SQLAlchemyError)
"""What the storage layer may raise: catch these, then translate."""


def storage_failure(exc: Exception, sentence: str = UNREACHABLE) -> StorageUnavailable:
    """One of `STORAGE_FAILURES` as the person's sentence: storage's own errors keep theirs (they name what to
    fix), a driver's error gets `sentence`, which says what it means where it happened."""
    if isinstance(exc, StorageUnavailable):
        return exc
    failure = StorageUnavailable(str(exc) if isinstance(exc, StorageError) else sentence)
    failure.__cause__ = exc
    return failure
