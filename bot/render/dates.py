"""Dates as the desk's cards and lists show them, shared by the triage card and the desk's own replies."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

# A due time given as a day alone ("due fri") means the end of that day.
END_OF_DAY = time(23, 59)


def due_label(due: date | datetime, today: date, now: datetime | None = None) -> str:
    """Short, for lists and cards: `today`, `tomorrow 17:00 UTC`, `Fri`, `5 Dec 2026`; `(overdue)` once past."""
    timed = isinstance(due, datetime) and due.astimezone(UTC).time() != END_OF_DAY
    day = due.astimezone(UTC).date() if isinstance(due, datetime) else due
    clock = f" {due.astimezone(UTC):%H:%M} UTC" if timed and isinstance(due, datetime) else ""
    days = (day - today).days
    if days < 0 or (now is not None and isinstance(due, datetime) and due < now):
        return f"{day.day} {day:%b}{clock} (overdue)"
    if days == 0:
        return f"today{clock}"
    if days == 1:
        return f"tomorrow{clock}"
    if days < 7:
        return f"{day:%a}{clock}"
    return f"{day.day} {day:%b %Y}{clock}"
