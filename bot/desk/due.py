"""Due times in the words editors use — `tomorrow`, `fri 5pm`, `5 dec`, `next week`, `in 2 hours`,
`friday 5pm CET` — read by dateparser (a maintained library, not rules of our own), and said back.

A phrase without a time of day means the end of that day (23:59) in the person's time zone, so `due fri`
is overdue only once Friday is over. Stored and compared in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import CommandError
from bot.render.dates import END_OF_DAY

EXAMPLES = "`due tomorrow`, `due fri 5pm`, `due 5 dec`, `due in 2 hours` or `due 2026-12-01`"


def zone(name: str | None) -> tzinfo:
    """The IANA zone a platform gave for a person (Slack's profile `tz`), UTC when none or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def parse_due(words: list[str], now: datetime, timezone: str | None = None) -> datetime:
    """The moment a phrase names, in UTC; it must not be in the past. Raises CommandError with one sentence."""
    from dateparser.date import DateDataParser  # heavy; only a command that sets a due time needs it

    phrase = " ".join(w.strip(",") for w in words).strip().rstrip(".")
    if not phrase:
        raise CommandError(f"Say when it is due: {EXAMPLES}.")
    local_zone = zone(timezone)
    local_now = now.astimezone(local_zone)
    # A base with a fractional second lets dateparser tell "tomorrow 9am" (a time) from "tomorrow" at 09:00.
    base = local_now.replace(tzinfo=None, microsecond=local_now.microsecond or 1)
    parser = DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "TIMEZONE": str(local_zone),
            "RETURN_AS_TIMEZONE_AWARE": True,
            "RETURN_TIME_AS_PERIOD": True,
        },
    )
    found = parser.get_date_data(phrase[:100])
    if found.date_obj is None:
        raise CommandError(f"I can't read “{phrase[:40]}” as a due time; try {EXAMPLES}.")
    moment = found.date_obj
    if found.period != "time":
        moment = datetime.combine(moment.astimezone(local_zone).date(), END_OF_DAY, tzinfo=local_zone)
    moment = moment.astimezone(UTC).replace(microsecond=0)
    if moment < now - timedelta(minutes=1):
        raise CommandError(
            f"“{phrase[:40]}” is {describe(moment, timezone)}, which is past; give a due time from now on."
        )
    return moment


def is_whole_day(due: datetime, timezone: str | None = None) -> bool:
    return due.astimezone(zone(timezone)).time() == END_OF_DAY


def describe(due: datetime, timezone: str | None = None) -> str:
    """The full resolved time, with its zone, for a confirmation: `Fri 27 Nov 2026, 17:00 CET` or
    `Fri 27 Nov 2026, end of day UTC`."""
    local = due.astimezone(zone(timezone))
    day = f"{local:%a} {local.day} {local:%b %Y}"
    zone_name = local.tzname() or "UTC"
    if is_whole_day(due, timezone):
        return f"{day}, end of day {zone_name}"
    return f"{day}, {local:%H:%M} {zone_name}"
