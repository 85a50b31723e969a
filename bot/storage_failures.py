"""The one translator from a storage failure to the sentence a user or operator reads.

Storage raises its own `StorageError`s (each already a sentence) and the driver's errors leak through
SQLAlchemy; every door of the core (desk commands, triage, the queue, health checks, the CLI) asks here
instead of naming exception classes itself, so a new failure kind is taught in one place.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.errors import StorageUnavailable
from storage.errors import StorageError

UNREACHABLE = "The desk's database cannot be reached right now; try again shortly."
NOTHING_CHANGED = "The desk's database cannot be reached right now; nothing was changed, try again shortly."

# The database went away, refused us, or had no free connection: nothing the person did wrong.
_DRIVER_FAILURES = (DBAPIError, OperationalError, InterfaceError, PoolTimeout)


def storage_failure(exc: BaseException, sentence: str = UNREACHABLE) -> StorageUnavailable | None:
    """`exc` as the user's one sentence when it is a storage failure (None otherwise). Storage's own errors
    keep their sentence; a driver failure gets `sentence`, which says what it means where it happened."""
    if isinstance(exc, StorageUnavailable):
        return exc
    if isinstance(exc, StorageError):
        failure = StorageUnavailable(str(exc))
    elif isinstance(exc, _DRIVER_FAILURES):
        failure = StorageUnavailable(sentence)
    else:
        return None
    failure.__cause__ = exc
    return failure
