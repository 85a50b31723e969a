"""The real Bolt app over real HTTP on loopback: signed Slack requests in, recorded Web API calls out.

Nothing leaves 127.0.0.1: the app's WebClient talks to `SlackApiServer`, links point at `PagesServer`,
and the desk stores into a temporary SQLite file migrated with Alembic. Pastes are triage jobs run by the
in-process worker pool (and, in one test, by a separate `factdesk worker` process), which edit the
"Triaging…" placeholder into the card.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import slack_requests as sr
from pages_server import PAGES_DIR, PagesServer, page_ids
from shared_data import SEED, require
from slack_api_server import BOT_USER_ID, Call, SlackApiServer
from slack_harness import (
    BOT_TOKEN,
    CHECKER,
    EDITOR,
    EDITOR_ABROAD,
    EDITORS,
    MEMBER,
    Harness,
    article,
    slack_stack,
)
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from adapters.slack.app import PLACEHOLDER, WORKING_REACTION
from bot.desk.triage_store import thread_location
from storage import models as rows
from tests.waiting import wait_until


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Harness]:
    with slack_stack(f"sqlite:///{tmp_path_factory.mktemp('slack') / 'desk.db'}") as harness:
        yield harness


@pytest.fixture(scope="module")
def pages() -> Iterator[PagesServer]:
    with PagesServer() as server:
        yield server


@pytest.fixture
def slack(stack: Harness, pages: PagesServer) -> Harness:
    stack.pages = pages
    return stack


@pytest.fixture
def api(slack: Harness) -> SlackApiServer:
    slack.api.reset()
    return slack.api


def _valid_blocks(call: Call) -> list[dict]:
    blocks = call.blocks()
    assert 0 < len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()
    return blocks


def _text_of(call: Call) -> str:
    parts = [call.args.get("text", "")]
    for block in call.blocks():
        parts.append((block.get("text") or {}).get("text", ""))
        parts.extend((f.get("text") or "") for f in block.get("fields") or [])
        parts.extend(
            e.get("text", "") if isinstance(e.get("text"), str) else "" for e in block.get("elements") or []
        )
    return "\n".join(parts)


def _claim_refs(call: Call) -> list[str]:
    return [
        e["value"]
        for b in call.blocks()
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "claim.assign_me"
    ]


def _page(index: int) -> str:
    """A real news page of the extraction dataset, served on loopback: each index is a distinct article."""
    require(PAGES_DIR)
    return "/article/" + page_ids()[index]


def _paste_link(slack: Harness, api: SlackApiServer, path: str, **event_kwargs) -> tuple[dict, Call]:
    link = slack.pages.url(path)
    return _paste(slack, api, f"Can someone check this? <{link}|{link}>", **event_kwargs)


def _paste(slack: Harness, api: SlackApiServer, text: str, **event_kwargs) -> tuple[dict, Call]:
    event = sr.message_event(text, **event_kwargs)
    response, _ = slack.event(event)
    assert response.status_code == 200
    update = api.wait_for("chat.update")[-1]
    return event, update


def _wait_quiet(api: SlackApiServer, seconds: float = 0.3) -> None:
    """Let lazy listeners that should do nothing have their chance to do something."""
    count = -1
    while count != len(api.calls):
        count = len(api.calls)
        time.sleep(seconds)


# -- the paste flow ------------------------------------------------------------------------------------


def test_link_gets_reaction_placeholder_and_card_in_its_thread(slack, api):
    event, update = _paste_link(slack, api, _page(0))

    (reaction,) = api.calls_to("reactions.add")
    assert reaction.args == {"channel": event["channel"], "timestamp": event["ts"], "name": WORKING_REACTION}
    placeholder = api.calls_to("chat.postMessage")[0]
    assert placeholder.args["text"] == PLACEHOLDER and placeholder.args["thread_ts"] == event["ts"]
    assert placeholder.token == BOT_TOKEN

    assert not api.calls_to("users.info"), "a paste is acked without looking anyone up at Slack"

    card_ts = api.calls_to("chat.update")[0].args["ts"]
    assert card_ts == placeholder.response["ts"], "the card is the placeholder, edited"
    assert len(api.calls_to("chat.postMessage")) == 1
    blocks = _valid_blocks(update)
    assert update.args["channel"] == event["channel"]
    assert "Triage T-" in blocks[0]["text"]["text"] and "Attributions" in _text_of(update)
    refs = _claim_refs(update)
    assert refs and all(ref.startswith("C-") for ref in refs)

    thread_ref = update.args["text"].split()[2]
    deadline = time.monotonic() + 5  # the card's location is recorded just after the card is shown
    while True:
        with slack.sessions() as session:
            where = thread_location(session, thread_ref)
        if where.message is not None or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert (where.channel, where.thread, where.message) == (event["channel"], event["ts"], card_ts)


def test_pasted_article_text_is_triaged_in_the_thread_it_was_posted_in(slack, api):
    article = require(SEED).read_text(encoding="utf-8")
    parent = sr.next_ts()
    event = sr.message_event(article, thread_ts=parent)
    slack.event(event)
    update = api.wait_for("chat.update")[0]
    assert api.calls_to("chat.postMessage")[0].args["thread_ts"] == parent
    text = _text_of(update)
    assert "Keir Starmer" in text  # the seed's misspelt "Kir Starmer"
    assert len(_claim_refs(update)) == slack.adapter.settings.card_claims
    assert any(
        b["type"] == "actions" and b["elements"][0]["action_id"] == "card.show_all" for b in update.blocks()
    )


def test_chatter_bot_messages_and_edits_are_ignored(slack, api):
    before = slack.threads()
    link = slack.pages.url("/synthetic")
    for event in (
        sr.message_event("thanks, on it"),
        sr.message_event(f"<{link}>", bot_id="B0OTHER", subtype="bot_message"),
        {**sr.message_event(f"<{link}>"), "subtype": "message_changed"},
        sr.message_event(f"<{link}>", user=BOT_USER_ID, bot_id="B0FACTDESK"),
    ):
        response, _ = slack.event(event)
        assert response.status_code == 200
    _wait_quiet(api)
    assert [c.method for c in api.calls if c.method not in ("auth.test", "users.info")] == []
    assert slack.threads() == before


def test_retries_and_duplicate_deliveries_make_one_job_and_one_triage(slack, api):
    payload = sr.event_callback(sr.message_event(article("retried")))
    body, content_type = sr.json_body(payload)
    before, jobs_before = slack.threads(), len(slack.triage_jobs())
    assert slack.send(body, content_type).status_code == 200
    assert len(slack.triage_jobs()) == jobs_before + 1, "the job is recorded before Slack gets its ack"
    for attempt in (1, 2, 3):
        assert slack.send(body, content_type, retry=attempt).status_code == 200
    assert slack.send(body, content_type).status_code == 200  # same event_id delivered twice
    (update,) = api.wait_for("chat.update")
    _wait_quiet(api)
    (placeholder,) = api.calls_to("chat.postMessage")
    assert update.args["ts"] == placeholder.response["ts"]
    assert len(api.calls_to("reactions.add")) == 1
    assert slack.threads() == before + 1
    # the card's update lands before the worker marks its job done
    wait_until(lambda: slack.triage_jobs()[jobs_before].state == "done", 10)
    (job,) = slack.triage_jobs()[jobs_before:]
    assert (job.state, job.outcome, job.attempts, job.place["message"]) == (
        "done",
        "card",
        1,
        placeholder.response["ts"],
    )


def test_a_refused_placeholder_fails_the_delivery_so_slacks_retry_still_triages(slack, api):
    payload = sr.event_callback(sr.message_event(article("placeholder refused")))
    body, content_type = sr.json_body(payload)
    jobs_before = len(slack.triage_jobs())
    api.state.fail_once["chat.postMessage"] = "internal_error"
    assert slack.send(body, content_type).status_code != 200
    assert len(slack.triage_jobs()) == jobs_before

    assert slack.send(body, content_type, retry=1).status_code == 200
    api.wait_for("chat.update")
    assert len(slack.triage_jobs()) == jobs_before + 1


def test_second_paste_of_an_article_links_to_the_existing_thread(slack, api):
    first, _ = _paste(slack, api, article("pasted twice"))
    threads = slack.threads()
    api.reset()
    _, second = _paste(slack, api, article("pasted twice"), channel="C0POLITICS")
    text = _text_of(second)
    assert "Already triaged" in text
    assert f"/archives/{first['channel']}/p" in text
    assert slack.threads() == threads
    assert not _claim_refs(second)


def test_paywalled_link_gets_one_sentence_in_the_thread(slack, api):
    before = slack.threads()
    _, update = _paste_link(slack, api, "/paywall")
    blocks = _valid_blocks(update)
    assert len(blocks) == 1 and blocks[0]["text"]["text"].startswith("*⚠️")
    assert "paste" in blocks[0]["text"]["text"].lower()
    assert slack.threads() == before


# -- signatures ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    ["unsigned", "wrong secret", "stale timestamp", "tampered body"],
)
def test_bad_signatures_get_401_and_no_side_effect(slack, api, how):
    link = slack.pages.url("/synthetic?variant=" + how.replace(" ", "-"))
    body, content_type = sr.json_body(sr.event_callback(sr.message_event(f"<{link}>")))
    before = slack.threads()
    if how == "unsigned":
        response = slack.send(body, content_type, signed=False)
    elif how == "wrong secret":
        response = slack.send(body, content_type, secret="not-the-signing-secret")
    elif how == "stale timestamp":
        response = slack.send(body, content_type, timestamp=int(time.time()) - 10 * 60)
    else:
        headers = sr.signed_headers(body, content_type)
        response = slack.client.post(
            slack.url, content=body.replace("message", "massage").encode(), headers=headers
        )
    assert response.status_code == 401
    _wait_quiet(api)
    assert [c.method for c in api.calls] == []
    assert slack.threads() == before


# -- mentions and /factcheck ---------------------------------------------------------------------------


def test_mention_with_a_command_answers_privately_in_the_thread(slack, api):
    event = sr.app_mention_event("help")
    # Slack sends the message event for the same post too; only the mention acts on it.
    slack.event(sr.message_event(event["text"], ts=event["ts"]))
    slack.event(event)
    (answer,) = api.wait_for("chat.postEphemeral")
    assert answer.args["user"] == event["user"] and answer.args["thread_ts"] == event["ts"]
    assert "assign" in _text_of(answer)
    _valid_blocks(answer)
    _wait_quiet(api)
    assert not api.calls_to("chat.postMessage")


def test_mention_with_a_link_triages_once(slack, api):
    link = slack.pages.url(_page(1))
    event = sr.app_mention_event(f"<{link}>")
    slack.event(sr.message_event(event["text"], ts=event["ts"]))
    slack.event(event)
    api.wait_for("chat.update")
    _wait_quiet(api)
    assert len(api.calls_to("chat.postMessage")) == 1


def test_slash_command_answers_ephemerally_through_the_response_url(slack, api):
    body, content_type = sr.slash_command("list open", api.response_url("list"))
    started = time.perf_counter()
    response = slack.send(body, content_type)
    assert response.status_code == 200 and time.perf_counter() - started < 3
    (answer,) = api.wait_for("respond")
    assert answer.args["response_type"] == "ephemeral"
    _valid_blocks(answer)


def test_slash_command_typo_gets_did_you_mean(slack, api):
    slack.send(*sr.slash_command("lsit open", api.response_url()))
    (answer,) = api.wait_for("respond")
    assert "list" in _text_of(answer)


def _view(call: Call) -> dict:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


def _fresh_card(slack: Harness, api: SlackApiServer, variant: str) -> tuple[dict, Call, str]:
    event, update = _paste(slack, api, article(variant))
    api.reset()
    return event, update, _claim_refs(update)[0]


def test_editor_assigns_by_slash_command_and_the_card_thread_gets_a_public_line(slack, api):
    event, _, ref = _fresh_card(slack, api, "slash-assign")
    slack.send(
        *sr.slash_command(
            f"assign {ref} <@{CHECKER}|leo> due 2099-12-01",
            api.response_url(),
            user=EDITOR,
            user_name="edna",
            channel="C0ELSEWHERE",
        )
    )
    (line,) = api.wait_for("chat.postMessage")
    assert line.args["channel"] == event["channel"] and line.args["thread_ts"] == event["ts"]
    assert ref in line.args["text"]
    (answer,) = api.wait_for("respond")
    assert answer.args["response_type"] == "ephemeral"
    claim = slack.claim(ref)
    assert (claim.assignee, claim.status, str(claim.due_date)) == (
        f"slack:{CHECKER}",
        "assigned",
        "2099-12-01",
    )


def test_a_due_time_is_read_in_the_editors_slack_profile_time_zone(slack, api):
    """users.info gives the editor's `tz`: "friday 5pm" is 5 pm in New York, and the answer says so."""
    _, _, ref = _fresh_card(slack, api, "profile-zone")
    command = f"assign {ref} <@{CHECKER}|leo> due friday 5pm"
    slack.send(*sr.slash_command(command, api.response_url(), user=EDITOR_ABROAD, user_name="nate"))
    (line,) = api.wait_for("chat.postMessage")
    (answer,) = api.wait_for("respond")
    assert EDITOR_ABROAD in [c.args.get("user") for c in api.calls_to("users.info")]
    due = slack.claim(ref).due_at
    assert due is not None
    local = due.astimezone(ZoneInfo("America/New_York"))
    assert (local.strftime("%a %H:%M"), local.tzname() in ("EST", "EDT")) == ("Fri 17:00", True)
    said = f"due {local:%a} {local.day} {local:%b %Y}, 17:00 {local.tzname()}"
    assert said in line.args["text"] and said in _text_of(answer)


def test_member_may_not_assign_and_nothing_is_announced(slack, api):
    _, _, ref = _fresh_card(slack, api, "member-assign")
    slack.send(*sr.slash_command(f"assign {ref} <@{CHECKER}|leo>", api.response_url(), user=MEMBER))
    (answer,) = api.wait_for("respond")
    assert "Only editors" in _text_of(answer) and EDITORS in _text_of(answer)
    _wait_quiet(api)
    assert not api.calls_to("chat.postMessage")
    assert slack.claim(ref).assignee is None


# -- buttons and modals --------------------------------------------------------------------------------


def test_assign_to_me_button_assigns_and_posts_the_public_line_in_the_thread(slack, api):
    event, update, ref = _fresh_card(slack, api, "assign-me")
    card_ts = update.args["ts"]
    slack.send(
        *sr.block_actions(
            "claim.assign_me", ref, card_ts, api.response_url(), thread_ts=event["ts"], user=MEMBER
        )
    )
    (line,) = api.wait_for("chat.postMessage")
    assert line.args["thread_ts"] == event["ts"] and ref in line.args["text"]
    assert slack.claim(ref).assignee == f"slack:{MEMBER}"


def _claim_block(call: Call, ref: str) -> str:
    """The text of the section block that holds claim `ref`'s line on a card."""
    (line,) = [
        b["text"]["text"]
        for b in call.blocks()
        if b["type"] == "section" and (b.get("text") or {}).get("text", "").startswith(f"*{ref}*")
    ]
    return line


def test_the_card_s_place_is_recorded_before_the_card_shows(slack, api, monkeypatch):
    """A click on a card's button the moment it shows finds where the card is, so the card refreshes."""
    recorded_when_shown = []
    show = api._chat_update

    def update(args: dict) -> dict:
        with slack.sessions() as session:
            recorded_when_shown.append(
                session.scalar(select(func.count()).where(rows.TriageThread.card_message == args["ts"]))
            )
        return show(args)

    monkeypatch.setattr(api, "_chat_update", update)
    _paste(slack, api, article("recorded first"))
    assert recorded_when_shown[0] == 1


def test_a_click_edits_the_card_in_place_to_show_who_took_the_claim(slack, api):
    event, update, ref = _fresh_card(slack, api, "live-card-click")
    card_ts, others = update.args["ts"], _claim_refs(update)[1:]
    slack.send(
        *sr.block_actions(
            "claim.assign_me", ref, card_ts, api.response_url(), thread_ts=event["ts"], user=MEMBER
        )
    )
    (refresh,) = api.wait_for("chat.update")
    assert (refresh.args["channel"], refresh.args["ts"]) == (event["channel"], card_ts)
    _valid_blocks(refresh)
    assert "👤 assigned · @Maria" in _claim_block(refresh, ref)
    assert _claim_refs(refresh) == others, "no “Assign to me” on a claim someone is checking"
    (line,) = api.wait_for("chat.postMessage")  # the thread still gets its one public line
    assert line.args["thread_ts"] == event["ts"] and ref in line.args["text"]


def test_a_verdict_by_slash_command_elsewhere_edits_the_card_in_its_thread(slack, api):
    event, update, ref = _fresh_card(slack, api, "live-card-verdict")
    slack.send(
        *sr.slash_command(
            f'verdict {ref} false "The harbour authority denied it."',
            api.response_url(),
            user=EDITOR,
            user_name="edna",
            channel="C0ELSEWHERE",
        )
    )
    (refresh,) = api.wait_for("chat.update")
    assert (refresh.args["channel"], refresh.args["ts"]) == (event["channel"], update.args["ts"])
    assert "✅ verdict: false" in _claim_block(refresh, ref)
    verdict_buttons = [
        e for b in refresh.blocks() if b["type"] == "actions" for e in b["elements"] if e["value"] == ref
    ]
    assert [(e["action_id"], e["text"]["text"]) for e in verdict_buttons] == [
        ("claim.verdict", "Change verdict…")
    ]


def test_set_verdict_opens_a_modal_and_its_submission_rules_on_the_claim(slack, api):
    event, update, ref = _fresh_card(slack, api, "verdict")
    slack.send(
        *sr.block_actions(
            "claim.verdict", ref, update.args["ts"], api.response_url(), thread_ts=event["ts"], user=EDITOR
        )
    )
    (opened,) = api.wait_for("views.open")
    view = _view(opened)
    options = view["blocks"][0]["element"]["options"]
    assert {o["value"] for o in options} >= {"true", "false", "misleading", "unverifiable"}
    assert json.loads(view["private_metadata"])["value"] == ref

    values = {
        "verdict": {"verdict": {"type": "static_select", "selected_option": {"value": "false"}}},
        "explanation": {
            "explanation": {"type": "plain_text_input", "value": "The harbour authority denied it."}
        },
    }
    assert slack.send(*sr.view_submission(view, values, user=EDITOR)).status_code == 200
    (line,) = api.wait_for("chat.postMessage")
    assert line.args["thread_ts"] == event["ts"]
    claim = slack.claim(ref)
    assert (claim.status, claim.verdict, claim.explanation) == (
        "done",
        "false",
        "The harbour authority denied it.",
    )


def test_assign_picker_modal_assigns_the_picked_person(slack, api):
    event, update, ref = _fresh_card(slack, api, "picker")
    slack.send(
        *sr.block_actions(
            "claim.assign", ref, update.args["ts"], api.response_url(), thread_ts=event["ts"], user=EDITOR
        )
    )
    (opened,) = api.wait_for("views.open")
    view = _view(opened)
    assert view["blocks"][0]["element"]["type"] == "users_select"
    values = {
        "user": {"user": {"type": "users_select", "selected_user": CHECKER}},
        "due": {"due": {"type": "datepicker", "selected_date": None}},
    }
    slack.send(*sr.view_submission(view, values, user=EDITOR))
    api.wait_for("chat.postMessage")
    assert slack.claim(ref).assignee == f"slack:{CHECKER}"


def test_show_all_unfolds_every_claim_privately(slack, api):
    article = require(SEED).read_text(encoding="utf-8").replace("Kir Starmer", "Kir  Starmer")
    event = sr.message_event(article)
    slack.event(event)
    update = api.wait_for("chat.update")[0]
    (show_all,) = [
        e
        for b in update.blocks()
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "card.show_all"
    ]
    api.reset()
    slack.send(
        *sr.block_actions(
            "card.show_all",
            show_all["value"],
            update.args["ts"],
            api.response_url(),
            thread_ts=event["ts"],
            user=MEMBER,
        )
    )
    answers = api.wait_for("chat.postEphemeral")
    refs = [r for call in answers for r in _claim_refs(call)]
    assert len(refs) > slack.adapter.settings.card_claims
    assert all(call.args["user"] == MEMBER and call.args["thread_ts"] == event["ts"] for call in answers)
    for call in answers:
        _valid_blocks(call)


def test_no_token_reaches_the_logs(slack, api, caplog):
    with caplog.at_level(logging.DEBUG):
        _paste(slack, api, article("logs"))
        slack.send(*sr.slash_command("help", api.response_url()))
        api.wait_for("respond")
    assert caplog.records
    assert BOT_TOKEN not in caplog.text and sr.SIGNING_SECRET not in caplog.text


def test_slash_command_with_an_article_starts_a_card_thread_in_the_channel(slack, api):
    before = slack.threads()
    body, content_type = sr.slash_command(article("by command"), api.response_url("paste"))
    assert slack.send(body, content_type).status_code == 200
    (update,) = api.wait_for("chat.update")
    (placeholder,) = api.calls_to("chat.postMessage")
    assert placeholder.args["text"] == PLACEHOLDER and "thread_ts" not in placeholder.args
    assert update.args["ts"] == placeholder.response["ts"] and _claim_refs(update)
    assert slack.threads() == before + 1


# -- a separate worker process -----------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def test_a_paste_queued_by_the_adapter_is_published_by_a_separate_worker_process(tmp_path):
    """`factdesk serve --no-workers` beside `factdesk worker`: the worker has no Slack receiver, only the
    publisher it registers from SLACK_BOT_TOKEN and FACTDESK_SLACK_API_URL."""
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    with slack_stack(url, with_workers=False) as slack:
        event = sr.message_event(article("separate worker"))
        response, _ = slack.event(event)
        assert response.status_code == 200
        (placeholder,) = slack.api.calls_to("chat.postMessage")
        (job,) = slack.triage_jobs()
        assert job.state == "queued" and not slack.api.calls_to("chat.update")

        env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTDESK_", "SLACK_", "DISCORD_"))}
        env |= {
            "PYTHONPATH": str(REPO),
            "FACTDESK_DATABASE_URL": url,
            "FACTDESK_EXTRACTOR": "offline",
            "FACTDESK_SLACK_API_URL": slack.api.url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "worker", "--concurrency", "1"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            (update,) = slack.api.wait_for("chat.update", timeout=30)
            worker.send_signal(signal.SIGTERM)
            _, stderr = worker.communicate(timeout=20)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(5)
        assert worker.returncode == 0, stderr.decode()[-2000:]
        assert (update.args["channel"], update.args["ts"]) == (event["channel"], placeholder.response["ts"])
        assert "Triage T-" in update.args["text"] and _claim_refs(update)
        assert update.token == BOT_TOKEN
        (job,) = slack.triage_jobs()
        assert (job.state, job.outcome) == ("done", "card") and job.worker.endswith(f":{worker.pid}")
        assert BOT_TOKEN not in stderr.decode()
