"""Hostile and foreign requests against the real Slack adapter over loopback (issue 15): another workspace's
members, non-editors at the verdict form, mention injection from article text, malformed and replayed
requests, and what a refused request leaves in the logs."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Iterator

import pytest
import slack_requests as sr
from slack_api_server import Call, SlackApiServer
from slack_harness import CHECKER, EDITOR, MEMBER, Harness, article, slack_stack
from sqlalchemy import select

from storage import models as rows

OTHER_TEAM = "T0ELSEWHERE"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Harness]:
    with slack_stack(f"sqlite:///{tmp_path_factory.mktemp('slack') / 'desk.db'}") as harness:
        yield harness


@pytest.fixture
def api(stack: Harness) -> SlackApiServer:
    stack.api.reset()
    return stack.api


def _claim_refs(call: Call) -> list[str]:
    return [
        e["value"]
        for b in call.blocks()
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "claim.assign_me"
    ]


def _card(slack: Harness, api: SlackApiServer, text: str) -> tuple[dict, Call]:
    event = sr.message_event(text)
    assert slack.event(event)[0].status_code == 200
    update = api.wait_for("chat.update")[-1]
    return event, update


def _fresh_claim(slack: Harness, api: SlackApiServer, variant: str) -> tuple[dict, Call, str]:
    event, update = _card(slack, api, article(variant))
    api.reset()
    return event, update, _claim_refs(update)[0]


def _quiet(api: SlackApiServer, seconds: float = 0.3) -> None:
    count = -1
    while count != len(api.calls):
        count = len(api.calls)
        time.sleep(seconds)


def _said(call: Call) -> str:
    return json.dumps(call.args)


# -- 1. authority comes from the claim's own workspace -------------------------------------------------------


def test_an_editor_group_member_from_another_workspace_cannot_rule_this_desks_claim(stack, api):
    """Slack Connect or a second install on one database: the request says team T0ELSEWHERE, the claim was
    triaged in T0NEWSROOM. The user group membership read through this install proves nothing there."""
    _, _, ref = _fresh_claim(stack, api, "foreign-team")
    stack.send(
        *sr.slash_command(
            f'verdict {ref} true "fine"',
            api.response_url(),
            user=EDITOR,
            user_name="edna",
            team_id=OTHER_TEAM,
        )
    )
    (answer,) = api.wait_for("respond")
    assert "Only editors" in _said(answer)
    _quiet(api)
    assert not api.calls_to("chat.postMessage")
    assert stack.claim(ref).verdict is None
    stack.send(*sr.slash_command(f'verdict {ref} true "fine"', api.response_url(), user=EDITOR))
    api.wait_for("chat.postMessage")
    assert stack.claim(ref).verdict == "true"


def test_the_verdict_form_is_refused_to_a_non_editor_before_it_opens(stack, api):
    event, update, ref = _fresh_claim(stack, api, "form-refused")
    for action in ("claim.verdict", "claim.assign"):
        stack.send(
            *sr.block_actions(
                action, ref, update.args["ts"], api.response_url(), thread_ts=event["ts"], user=MEMBER
            )
        )
        (answer,) = api.wait_for("respond")
        assert "Only editors" in _said(answer) and answer.args["response_type"] == "ephemeral"
        _quiet(api)
        assert not api.calls_to("views.open")
        api.reset()
    stack.send(
        *sr.block_actions(
            "claim.verdict", ref, update.args["ts"], api.response_url(), thread_ts=event["ts"], user=EDITOR
        )
    )
    api.wait_for("views.open")


def test_the_verdict_form_is_refused_to_an_editor_of_another_workspace(stack, api):
    event, update, ref = _fresh_claim(stack, api, "form-foreign")
    stack.send(
        *sr.block_actions(
            "claim.verdict",
            ref,
            update.args["ts"],
            api.response_url(),
            thread_ts=event["ts"],
            user=EDITOR,
            team_id=OTHER_TEAM,
        )
    )
    (answer,) = api.wait_for("respond")
    assert "Only editors" in _said(answer)
    _quiet(api)
    assert not api.calls_to("views.open")


def test_a_checker_still_takes_a_claim_from_its_own_workspace(stack, api):
    event, update, ref = _fresh_claim(stack, api, "own-team")
    stack.send(
        *sr.block_actions(
            "claim.assign_me", ref, update.args["ts"], api.response_url(), thread_ts=event["ts"], user=CHECKER
        )
    )
    api.wait_for("chat.postMessage")
    assert stack.claim(ref).assignee == f"slack:{CHECKER}"


# -- 5. article text never becomes a live mention ------------------------------------------------------------

HOSTILE_HEADLINE = "<!channel> <!here> @everyone Harbour council budget vote"
HOSTILE_SENTENCES = (
    "Ask <@U0123ABCD> and <@W0789IJKL|boss> about the 42 missing ferries, said @U0456EFGH on 3 March. "
    "The mayor said @channel and @here voted for the $4.2 billion budget in 2025."
)
_LIVE = re.compile(r"<[@!#]|<https?:|@(?:U0123ABCD|W0789IJKL|U0456EFGH|everyone|here|channel)\b")


def _mrkdwn_objects(blocks: list[dict]) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def _assert_inert(call: Call) -> None:
    texts = [call.args.get("text") or ""] + [o["text"] for o in _mrkdwn_objects(call.blocks())]
    for text in texts:
        assert not _LIVE.search(text), text
    assert all(o.get("verbatim") is True for o in _mrkdwn_objects(call.blocks()))


def test_mentions_in_article_text_stay_text_on_the_card_and_in_replies(stack, api):
    text = f"{HOSTILE_HEADLINE}\n\n{HOSTILE_SENTENCES}\n\n{article('mentions')}"
    _, update = _card(stack, api, text)
    card = json.dumps(update.args)
    assert "U0123ABCD" in card and "everyone" in card  # shown, as text
    _assert_inert(update)

    thread_ref = re.search(r"T-\d+", card)[0]
    api.reset()
    stack.send(*sr.slash_command(f"show {thread_ref}", api.response_url(), user=MEMBER))
    (shown,) = api.wait_for("respond")
    assert "U0123ABCD" in json.dumps(shown.args)
    _assert_inert(shown)
    stack.send(*sr.slash_command("list open", api.response_url(), user=MEMBER))
    (listed,) = api.wait_for("respond", 2)[1:]
    _assert_inert(listed)


# -- 10. malformed bodies: signature first, then parse; 400/401, never a 500 or a traceback --------------------

_MALFORMED = {
    "malformed JSON": (b'{"type": "event_callback", ', "application/json"),
    "a JSON list": (b"[1, 2]", "application/json"),
    "JSON null": (b"null", "application/json"),
    "not UTF-8": (b"\xff\xfe\x00payload=\xc3\x28", "application/x-www-form-urlencoded"),
    "a form without a command": (b"hello=world", "application/x-www-form-urlencoded"),
    "a payload that is not an object": (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
}


def _post(slack: Harness, body: bytes, headers: dict[str, str]):
    return slack.client.post(slack.url, content=body, headers=headers)


def _signed(body: bytes, content_type: str) -> dict[str, str]:
    """Signed over the raw bytes, as Slack does (slack_sdk's signer needs UTF-8)."""
    stamp = str(int(time.time()))
    digest = hmac.new(sr.SIGNING_SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("case", sorted(_MALFORMED))
def test_malformed_bodies_are_refused_with_401_unsigned_and_400_signed(stack, api, caplog, case):
    caplog.set_level(logging.DEBUG)
    body, content_type = _MALFORMED[case]
    unsigned = _post(stack, body, {"Content-Type": content_type})
    signed = _post(stack, body, _signed(body, content_type))
    assert (unsigned.status_code, signed.status_code) == (401, 400)
    _no_tracebacks(caplog)
    _quiet(api)
    assert api.calls == []


def test_a_timestamp_header_that_is_not_a_number_is_401(stack, api, caplog):
    caplog.set_level(logging.DEBUG)
    body, content_type = sr.json_body(sr.event_callback(sr.message_event("hello")))
    headers = sr.signed_headers(body, content_type) | {"X-Slack-Request-Timestamp": "abc"}
    assert _post(stack, body.encode(), headers).status_code == 401
    _no_tracebacks(caplog)


# -- 6. a refused request leaves one bounded line in the log, never its body ---------------------------------


def test_a_huge_badly_signed_request_is_logged_in_one_short_line(stack, api, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "SECRET-ARTICLE-TEXT "
    body, content_type = sr.json_body(sr.event_callback(sr.message_event(marker * 50_000)))  # ~1 MB
    response = stack.send(body, content_type, secret="not-the-signing-secret")
    assert response.status_code == 401
    server_side = [
        r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))
    ]  # not the client's
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in server_side)
    assert marker not in logged and len(logged) < 2000


# -- 12. a replayed signed command acts once -----------------------------------------------------------------


def test_a_replayed_signed_command_acts_once(stack, api):
    _, _, ref = _fresh_claim(stack, api, "replay")
    body, content_type = sr.slash_command(f'note {ref} "called the council"', api.response_url(), user=MEMBER)
    headers = sr.signed_headers(body, content_type)
    statuses = [_post(stack, body.encode(), headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    api.wait_for("respond")
    _quiet(api)
    assert len(api.calls_to("respond")) == 1
    with stack.sessions() as session:
        notes = session.scalars(select(rows.Note).where(rows.Note.claim_id == int(ref[2:]))).all()
    assert [n.text for n in notes] == ["called the council"]
    # a person running the same command again is a new request (Slack gives it a new trigger id) and acts
    stack.send(*sr.slash_command(f'note {ref} "called the council"', api.response_url(), user=MEMBER))
    api.wait_for("respond", 2)


# -- what held before and must keep holding: future timestamps and oversized bodies ------------------------


def test_a_signed_request_from_the_future_is_401(stack, api):
    body, content_type = sr.json_body(sr.event_callback(sr.message_event("hello")))
    stamp = str(int(time.time()) + 600)
    digest = hmac.new(sr.SIGNING_SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }
    assert _post(stack, body.encode(), headers).status_code == 401
    _quiet(api)
    assert api.calls == []


def test_a_ten_megabyte_body_is_refused_unread(stack, api, caplog):
    caplog.set_level(logging.DEBUG)
    body = b'{"type": "event_callback", "pad": "' + b"x" * 10_000_000 + b'"}'
    response = _post(stack, body, _signed(body, "application/json"))
    assert response.status_code == 413
    _no_tracebacks(caplog)
    _quiet(api)
    assert api.calls == []


def test_binary_data_is_refused_by_the_core_intake_in_the_thread_and_queues_nothing(stack, api):
    """The same door as Discord's (`bot.intake`): the reason in the thread, no placeholder, no job."""
    jobs_before = len(stack.triage_jobs())
    event = sr.message_event("".join(f"word{chr(i % 31 + 1)} " for i in range(400)))
    assert stack.event(event)[0].status_code == 200
    (said,) = api.wait_for("chat.postMessage")
    assert "binary data" in said.args["text"] and said.args["thread_ts"] == event["ts"]
    assert not api.calls_to("reactions.add") and len(stack.triage_jobs()) == jobs_before
