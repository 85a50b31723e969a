"""Rendering a platform-neutral Reply in the terminal with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.replies import Reply, Section


def _section(section: Section) -> Group:
    parts: list = [Text(section.title, style="bold")]
    if section.text:
        parts.append(Text("   " + section.text, style="dim"))
    if section.items:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="cyan", no_wrap=True)
        table.add_column(ratio=1)
        for item in section.items:
            body = Text(item.text)
            if item.meta:
                body.append("\n" + item.meta, style="dim")
            table.add_row(item.ref or "•", body)
        parts.append(table)
    if section.hidden:
        parts.append(
            Text(f"   … {section.hidden} more hidden (use --json, or `show` for the full list)", style="dim")
        )
    return Group(*parts)


def render(reply: Reply, console: Console) -> None:
    body: list = []
    if reply.text:
        body.append(Text(reply.text))
    for field in reply.fields:
        body.append(Text.from_markup(f"[bold]{escape(field.label)}:[/bold] {escape(field.value)}"))
    for section in reply.sections:
        body.append(Text(""))
        body.append(_section(section))
    style = "red" if reply.error else "blue"
    if not body:
        console.print(Text(reply.title, style=f"bold {style}"))
        return
    console.print(
        Panel(Group(*body), title=Text(reply.title, style="bold"), title_align="left", border_style=style)
    )
