"""Hostile and foreign requests against the real Slack adapter over loopback (issue 15): another workspace's
members, non-editors at the verdict form, mention injection from article text, malformed and replayed
requests, and what a refused request leaves in the logs."""

from __future__ import annotations

import json
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
