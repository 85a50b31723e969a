"""Dates as the desk's cards and lists show them, shared by the triage card and the desk's own replies."""

from __future__ import annotations

from datetime import date


def due_label(due: date, today: date) -> str:
    """`today`, `tomorrow`, `Fri` within the week, else `1 Dec 2026`; `overdue` when past."""
    days = (due - today).days
    if days < 0:
        return f"{due.day} {due:%b} (overdue)"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days < 7:
        return f"{due:%a}"
    return f"{due.day} {due:%b %Y}"
