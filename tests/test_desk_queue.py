"""Queue views across days: overdue, unassigned, due today / this week, sorted by score, due or age, with
rows that say everything an editor scans for; the same grammar from Slack, Discord and the CLI."""

from __future__ import annotations

from datetime import timedelta

from bot.desk.api import Actor, Place
from bot.desk.service import Desk
from bot.models import TriageReport


def refs(reply) -> list[str]:
    assert not reply.error, reply.title
    return [c["ref"] for c in reply.data["claims"]]


def test_overdue_unassigned_and_due_windows(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock
) -> None:
    first, second, third = (c.id for c in stored.claims)
    desk.run(f"assign {first} <@ULEO|leo> due today 11am", editor, place)
    desk.run(f"assign {second} <@UANA|ana> due fri", editor, place)
    assert refs(desk.run("list overdue", editor, place)) == []
    assert refs(desk.run("list unassigned", editor, place)) == [third]
    assert refs(desk.run("list due today", editor, place)) == [first]
    assert refs(desk.run("list due this week", editor, place)) == [first, second]  # soonest first
    clock.now += timedelta(hours=3)  # 12:00: the 11:00 deadline has passed
    overdue = desk.run("list overdue", editor, place)
    assert refs(overdue) == [first] and overdue.title == "Overdue claims"
    assert overdue.sections[0].items[0].meta.count("(overdue)") == 1
    assert refs(desk.run("list overdue @ana", editor, place)) == []
    clock.now += timedelta(days=3)  # Saturday: Friday's claim is overdue too, and a new week has begun
    assert refs(desk.run("list overdue", editor, place)) == [first, second]
    assert desk.run("list due this week", editor, place).text == "No open claims due this week."


def test_sorting_by_score_due_and_age(
    desk: Desk, stored: TriageReport, make_report, editor: Actor, place: Place, session_factory
) -> None:
    from bot.desk.triage_store import save_report

    with session_factory() as session, session.begin():
        newer = save_report(session, make_report("newer"), editor, place, "text")
    old, new = [c.id for c in stored.claims], [c.id for c in newer.claims]
    by_score = desk.run("list sort score", editor, place)
    assert by_score.sections[0].title == "6 shown, highest score first"
    scores = [c["checkworthiness"] for c in by_score.data["claims"]]
    assert scores == sorted(scores, reverse=True) and refs(by_score)[:2] == [old[0], new[0]]
    assert refs(desk.run("list sort age", editor, place)) == old + new
    desk.run(f"assign {new[2]} <@ULEO|leo> due tomorrow", editor, place)
    desk.run(f"assign {old[1]} <@ULEO|leo> due 5 dec", editor, place)
    assert refs(desk.run("list sort by due", editor, place))[:2] == [new[2], old[1]]
    assert refs(desk.run("list @leo sort score", editor, place)) == [old[1], new[2]]
    assert refs(desk.run("list unassigned sort age", editor, place)) == [old[0], old[2], new[0], new[1]]


def test_each_row_names_id_text_band_type_article_checker_and_due(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    first, _, third = stored.claims
    desk.run(f"assign {third.id} <@ULEO|leo> due fri", editor, place)
    rows = {i.ref: i for i in desk.run("list", editor, place).sections[0].items}
    assert rows[third.id].text == f"“{third.text}”"
    assert rows[third.id].meta == (
        f"medium 0.60 · prediction · assigned · @leo · due Fri · {stored.thread_ref} Harbour Council passes budget"
    )
    assert rows[first.id].meta.startswith("high 0.90 · statistic · new · unassigned · ")
    assert desk.run("list", editor, place).data["claims"][0]["score_band"] in {"high", "medium", "low"}


def test_list_words_that_are_not_understood_say_so(desk: Desk, stored: TriageReport, editor, place) -> None:
    assert "`due` takes `today` or `this week`" in desk.run("list due someday", editor, place).title
    assert "Sort by `score`, `due` or `age`" in desk.run("list sort name", editor, place).title
    assert "Did you mean `overdue`?" in desk.run("list ovedue", editor, place).title


def test_the_cli_lists_the_same_queue(desk: Desk, stored: TriageReport, editor: Actor, place: Place) -> None:
    """The CLI hands shell-split words to the same grammar."""
    words = desk.run_words(["list", "unassigned", "sort", "score"], editor, place)
    assert refs(words) == refs(desk.run("list unassigned sort score", editor, place))


def test_discord_list_options_reach_the_same_grammar(session_factory, clock) -> None:
    """`/factcheck list scope:overdue due_within:this week sort:score` becomes one desk command line."""
    from bot.config import Settings
    from tests import discord_payloads as dp

    class RecordingDesk(Desk):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.lines: list[str] = []

        def run(self, text: str, actor: Actor, place: Place):
            self.lines.append(text)
            return super().run(text, actor, place)

    settings = Settings(database_url="sqlite://", discord_editor_role=dp.EDITOR_ROLE_NAME)
    desk = RecordingDesk(session_factory=session_factory, settings=settings, clock=clock)
    who = dp.member(980_000_000_000_000_001, "maria", roles=[dp.EDITOR_ROLE_ID])
    channel = dp.text_channel(dp.CHANNEL_ID, "desk")

    async def scenario(h: dp.Harness) -> None:
        options = {"scope": "overdue", "due_within": "this week", "sort": "score"}
        await h.interact(dp.slash_command("factcheck", "list", options, who=who, channel=channel))

    dp.run_bot(scenario, settings=settings, desk=desk)
    assert desk.lines == ["list overdue due this week sort score"]
    command = desk.parse(desk.lines[0])
    assert (command.scope, command.due_window, command.sort) == ("overdue", "week", "score")


def test_claim_add_grounds_a_sentence_from_the_article(
    desk: Desk, stored: TriageReport, member: Actor, place: Place
) -> None:
    from tests.conftest import ARTICLE

    typed = "critics say the council  ignored the flood report"  # case and spacing as a person types it
    reply = desk.run(f'claim add {stored.thread_ref} "{typed}"', member, place)
    assert not reply.error, reply.title
    added = reply.data["claim"]
    assert added["text"] == "Critics say the council ignored the flood report"
    assert ARTICLE[added["start"] : added["end"]] == added["text"]
    assert reply.public_line.startswith(
        f"@leo added {added['ref']} to {stored.thread_ref} (found in the article)"
    )
    assert added["ref"] in refs(desk.run(f"list thread {stored.thread_ref} sort age", member, place))[-1:]
    history = desk.run(f"history {added['ref']}", member, place)
    assert [h["action"] for h in history.data["history"]] == ["claim.added"]
    assert history.sections[0].items[0].text == f"added (found in the article): {added['text']}"


def test_claim_add_keeps_a_sentence_not_in_the_article_marked_by_hand(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place
) -> None:
    sentence = "The mayor promised 500 new homes by 2028."
    reply = desk.run(f'claim add {stored.thread_ref} "{sentence}"', editor, place)
    added = reply.data["claim"]
    assert added["text"] == sentence and added["start"] == added["end"] == 0
    assert "(added by hand, not found in the article)" in reply.public_line
    assert added["kind"] in {"statistic", "quantity", "date_time", "prediction"} and added["score_band"]
    shown = desk.run(f"show {added['ref']}", editor, place)
    kind = next(f.value for f in shown.fields if f.label == "Kind")
    assert kind.endswith("· added by hand, not in the article") and added["origin"] == "hand"
    card = desk.run(f"show {stored.thread_ref}", editor, place)
    assert not card.error and added["ref"] in [i.ref for s in card.sections for i in s.items]


def test_claim_add_needs_a_triage_and_a_sentence(desk: Desk, stored: TriageReport, editor, place) -> None:
    assert "needs a triage thread" in desk.run('claim add C-1 "x y z"', editor, place).title
    assert "Give the sentence to add" in desk.run(f"claim add {stored.thread_ref}", editor, place).title
    assert "There is no triage T-999999" in desk.run('claim add T-999999 "a b c"', editor, place).title
    assert desk.parse("claim C-5").name == "claim"  # taking a claim is unchanged


def test_due_today_is_the_askers_day(
    desk: Desk, stored: TriageReport, editor: Actor, place: Place, clock
) -> None:
    """At 20:00 UTC on Wednesday it is already Thursday morning in Auckland: Thursday 10:00 UTC is today there."""
    clock.now = clock.now.replace(hour=20)
    first = stored.claims[0].id
    desk.run(f"assign {first} <@ULEO|leo> due tomorrow 10am", editor, place)
    auckland = editor.model_copy(update={"timezone": "Pacific/Auckland"})
    assert refs(desk.run("list due today", editor, place)) == []
    assert refs(desk.run("list due today", auckland, place)) == [first]
