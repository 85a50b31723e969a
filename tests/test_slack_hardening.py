"""Hostile and foreign requests against the real Slack adapter over loopback (issue 15): another workspace's
members, non-editors at the verdict form, mention injection from article text, malformed and replayed
requests, and what a refused request leaves in the logs."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
import slack_requests as sr
from slack_api_server import Call, SlackApiServer
from slack_harness import CHECKER, EDITOR, MEMBER, Harness, article, slack_stack

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
