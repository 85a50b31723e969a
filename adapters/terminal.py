"""Rendering a platform-neutral Reply in the terminal with rich.

Every string is stripped of control characters and escape sequences on the way out: article text is
cleaned at intake, but desk notes and explanations typed in chat are stored as typed, and none of it may
drive the operator's terminal (retitle it, clear it, fake a prompt)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.replies import Reply, Section
from bot.text.normalize import strip_controls as _clean


def _section(section: Section) -> Group:
    parts: list = [Text(_clean(section.title), style="bold")]
    if section.text:
        parts.append(Text("   " + _clean(section.text), style="dim"))
    if section.items:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="cyan", no_wrap=True)
        table.add_column(ratio=1)
        for item in section.items:
            body = Text(_clean(item.text))
            if item.meta:
                body.append("\n" + _clean(item.meta), style="dim")
            table.add_row(_clean(item.ref or "•"), body)
        parts.append(table)
    if section.hidden:
        parts.append(
            Text(f"   … {section.hidden} more hidden (use --json, or `show` for the full list)", style="dim")
        )
    return Group(*parts)


def render(reply: Reply, console: Console) -> None:
    body: list = []
    if reply.text:
        body.append(Text(_clean(reply.text)))
    for field in reply.fields:
        body.append(
            Text.from_markup(f"[bold]{escape(_clean(field.label))}:[/bold] {escape(_clean(field.value))}")
        )
    for section in reply.sections:
        body.append(Text(""))
        body.append(_section(section))
    style = "red" if reply.error else "blue"
    title = _clean(reply.title)
    if not body:
        console.print(Text(title, style=f"bold {style}"))
        return
    console.print(
        Panel(Group(*body), title=Text(title, style="bold"), title_align="left", border_style=style)
    )
