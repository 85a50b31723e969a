"""The board's HTML, rendered on the server. Every value that came from an article, a chat user or the
database goes through `esc` (html.escape); nothing is marked safe except markup built here."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from html import escape
from typing import Any
from urllib.parse import urlencode

from bot.board.views import Charts, ClaimPage, QueueQuery, QueueRow
from bot.render.clip import clip

STATUSES = ("open", "unassigned", "done", "dismissed", "all")
SORTS = {"score": "score, highest first", "oldest": "oldest first", "newest": "newest first"}
CHECK_WORTHY = 0.5  # the card's own line between "check" and "context"


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _href(path: str, token: str, **params: str) -> str:
    return esc(f"{path}?{urlencode({'t': token, **{k: v for k, v in params.items() if v}})}")


def _layout(
    title: str, body: str, *, token: str, here: str, workspace: str, scripts: Iterable[str] = ()
) -> str:
    nav = " ".join(
        f'<a href="{_href(path, token)}"{" class=here" if name == here else ""}>{name}</a>'
        for name, path in (("Queue", "/desk"), ("Charts", "/desk/charts"))
    )
    script_tags = "".join(f'<script src="/desk/static/{esc(name)}"></script>' for name in scripts)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · factdesk</title>"
        '<link rel=icon href="data:,"><link rel=stylesheet href="/desk/static/board.css"></head><body>'
        f"<header><h1>factdesk · {esc(workspace)}</h1><nav>{nav}</nav></header>"
        f"<main>{body}</main>{script_tags}</body></html>"
    )


def refusal_page(status: int, sentence: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>factdesk board</title>"
        '<link rel=icon href="data:,"><link rel=stylesheet href="/desk/static/board.css"></head><body>'
        f"<div class=refusal role=alert><h1>{status}</h1><p>{esc(sentence)}</p></div></body></html>"
    )


def _age(created: datetime, now: datetime) -> str:
    hours = int((now - created).total_seconds() // 3600)
    return f"{hours // 24}d" if hours >= 48 else f"{hours}h"


def _score(score: float) -> str:
    return f'<span class="{"band-high" if score >= CHECK_WORTHY else "band-low"}">{score:.2f}</span>'


def _status(status: str, verdict: str | None) -> str:
    return esc(f"{status}: {verdict}" if verdict else status.replace("_", " "))


def queue_page(
    rows: list[QueueRow], wanted: QueueQuery, *, token: str, workspace: str, now: datetime | None = None
) -> str:
    now = now or datetime.now(UTC)
    options = "".join(f"<option{' selected' if s == wanted.status else ''}>{s}</option>" for s in STATUSES)
    sorts = "".join(
        f'<option value="{key}"{" selected" if key == wanted.sort else ""}>{label}</option>'
        for key, label in SORTS.items()
    )
    form = (
        '<form class=filters method=get action="/desk" role=search>'
        f'<input type=hidden name=t value="{esc(token)}">'
        f"<label>Status<select name=status>{options}</select></label>"
        f'<label>Assignee<input name=assignee value="{esc(wanted.assignee)}" placeholder="@name"></label>'
        f"<label>Sort<select name=sort>{sorts}</select></label>"
        f'<label>Search<input type=search name=q value="{esc(wanted.text)}" placeholder="words in claim or title"></label>'
        "<button type=submit>Show</button></form>"
    )
    if not rows:
        table = "<p class=empty>No claims match.</p>"
    else:
        body = "".join(
            "<tr>"
            f'<td><a href="{_href(f"/desk/claims/{row.claim_id}", token)}">C-{row.claim_id}</a></td>'
            f"<td>{esc(clip(row.text, 180))}</td>"
            f"<td class=num>{_score(row.score)}</td>"
            f"<td>{esc(row.kind)}</td>"
            f"<td>{_status(row.status, row.verdict)}</td>"
            f"<td>{esc(row.assignee or '—')}</td>"
            f"<td>{esc(row.due_date or '—')}</td>"
            f"<td>{esc(row.article_title or '—')} <small>T-{row.thread_id}</small></td>"
            f"<td class=num>{_age(row.created_at, now)}</td>"
            "</tr>"
            for row in rows
        )
        table = (
            "<table id=queue><thead><tr><th>claim</th><th>text</th><th>score</th><th>type</th><th>status</th>"
            f"<th>assignee</th><th>due</th><th>article</th><th>age</th></tr></thead><tbody>{body}</tbody></table>"
        )
    shown = f"<p>{len(rows)} claim{'s' if len(rows) != 1 else ''}{' (first ' + str(wanted.limit) + ')' if len(rows) >= wanted.limit else ''}.</p>"
    return _layout("Queue", form + shown + table, token=token, here="Queue", workspace=workspace)


def _change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    before, after = before or {}, after or {}
    parts = []
    for key in dict.fromkeys([*before, *after]):
        if before.get(key) != after.get(key):
            parts.append(f"{key}: {before.get(key, '—')} → {after.get(key, '—')}")
    return "; ".join(parts)


def claim_page(page: ClaimPage, *, token: str, workspace: str) -> str:
    claim = page.claim
    thread = claim.thread
    if page.before is None:
        context = f"<p class=context><mark>{esc(claim.text)}</mark></p><p class=empty>The article text was purged.</p>"
    else:
        context = f"<p class=context>{esc(page.before)}<mark>{esc(claim.text)}</mark>{esc(page.after)}</p>"
    link = thread.article_url or ""
    source = (
        f'<a href="{esc(link)}" rel="noopener noreferrer nofollow">{esc(thread.title or link)}</a>'
        if link.lower().startswith(("http://", "https://"))
        else esc(thread.title or "pasted text")
    )
    facts = {
        "article": source + f" <small>T-{thread.id}</small>",
        "score": _score(claim.checkworthiness),
        "type": esc(claim.kind),
        "speaker": esc(claim.speaker or "—"),
        "status": _status(claim.status, claim.verdict),
        "explanation": esc(claim.explanation or claim.dismiss_reason or "—"),
        "assignee": esc(claim.assignee_display or claim.assignee or "—"),
        "due": esc(claim.due_date or "—"),
    }
    facts_html = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts.items())
    notes = "".join(
        f"<li><b>{esc(note.author_display or note.author)}</b> <small>{_when(note.created_at)}</small>: {esc(note.text)}</li>"
        for note in page.notes
    )
    events = "".join(
        f"<tr><td>{_when(event.created_at)}</td><td>{esc(event.actor_display or event.actor)}</td>"
        f"<td>{esc(event.action)}</td><td>{esc(_change(event.before, event.after))}</td></tr>"
        for event in page.events
    )
    body = (
        f"<h2>C-{claim.id}</h2>{context}<dl class=facts>{facts_html}</dl>"
        f"<h3>Notes</h3>{f'<ul id=notes>{notes}</ul>' if notes else '<p class=empty>No notes.</p>'}"
        "<h3>History</h3>"
        + (
            "<table id=history><thead><tr><th>when (UTC)</th><th>who</th><th>what</th><th>change</th></tr></thead>"
            f"<tbody>{events}</tbody></table>"
            if events
            else "<p class=empty>Nothing has happened to this claim yet.</p>"
        )
    )
    return _layout(f"C-{claim.id}", body, token=token, here="", workspace=workspace)


def _when(moment: datetime) -> str:
    return esc(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M"))


def charts_page(data: Charts, *, token: str, workspace: str) -> str:
    payload = {
        "days": [d.strftime("%d %b") for d in data.days],
        "opened": data.opened,
        "closed": data.closed,
        "verdicts": data.verdicts,
        "load": data.open_load,
    }
    # JSON inside <script type=application/json>: escape "<" so no text can close the element.
    embedded = json.dumps(payload, ensure_ascii=False).replace("<", "\\u003c")
    median = (
        f"{data.median_hours_to_verdict:g}<small> hours</small>"
        if data.median_hours_to_verdict is not None
        else "—<small> no verdicts yet</small>"
    )
    span = f"{_day(data.days[0])} – {_day(data.days[-1])}"
    body = (
        f"<p>Last {len(data.days)} days ({span}, UTC). Open now: <b>{sum(data.open_load.values())}</b>; "
        f"opened <b>{sum(data.opened)}</b>, closed <b>{sum(data.closed)}</b>.</p>"
        "<div class=grid>"
        '<section class="card wide"><h2>Claims opened and closed per day</h2><div class=chart><canvas id=flow role=img aria-label="claims opened and closed per day"></canvas></div></section>'
        '<section class=card><h2>Verdict mix</h2><div class=chart><canvas id=verdicts role=img aria-label="verdict mix"></canvas></div></section>'
        f"<section class=card><h2>Median time to verdict</h2><p class=figure id=median>{median}</p></section>"
        '<section class=card><h2>Open claims per checker</h2><div class=chart><canvas id=load role=img aria-label="open claims per checker"></canvas></div></section>'
        f"</div><script type=application/json id=board-data>{embedded}</script>"
    )
    return _layout(
        "Charts",
        body,
        token=token,
        here="Charts",
        workspace=workspace,
        scripts=("chart.umd.min.js", "board.js"),
    )


def _day(day: date) -> str:
    return day.strftime("%d %b %Y")
