"""Usernames cannot be discovered without a key, and forgot-username takes the same time
whether or not the address matched."""

from __future__ import annotations

import random
import statistics
import time

from textual.widgets import Input

from kiosk.auth import SYSTEM
from kiosk.screens.parent_activate import ParentActivateScreen
from kiosk.services import activation, recovery
from kiosk.store.models import AuditEvent
from tests.test_parent_harness import ParentHarness, settle, texts

TAKEN = "That username is taken"


def shown(problems) -> str:
    return " ".join(str(p) for p in problems)


def checks(outcome: str | None = None) -> int:
    query = AuditEvent.select().where(AuditEvent.action == "key.username_check")
    return (query.where(AuditEvent.outcome == outcome) if outcome else query).count()


def test_without_a_live_key_nothing_is_looked_up(ctx):
    used = activation.issue_key(ctx, SYSTEM, "G-1001").key
    activation.redeem_key(
        ctx, used, "newparent1", "quiet lanterns drift north", "quiet lanterns drift north"
    )
    for key in ("", "not a key", "0" * 32, used):
        answer = shown(activation.username_available(ctx, key, "alopez"))
        assert TAKEN not in answer and "activation key first" in answer
    assert checks() == 0


def test_with_a_live_key_a_taken_name_is_said_and_the_check_is_audited(ctx):
    key = activation.issue_key(ctx, SYSTEM, "G-1001").key
    assert TAKEN in shown(activation.username_available(ctx, key, "ALOPEZ"))
    assert activation.username_available(ctx, key, "a-free-name") == []
    assert (checks("taken"), checks("available")) == (1, 1)


def test_look_ups_are_rate_limited_per_key(any_ctx):
    key = activation.issue_key(any_ctx, SYSTEM, "G-1001").key
    limit = activation.USERNAME_CHECKS_PER_KEY.count
    answers = [
        shown(activation.username_available(any_ctx, key, "alopez")) for _ in range(limit + 5)
    ]
    assert all(TAKEN in a for a in answers[:limit])
    assert not any(TAKEN in a for a in answers[limit:])
    assert checks("rate_limited") == 5


def test_the_rules_alone_need_no_key_and_reveal_nothing(ctx):
    assert activation.username_rules(ctx, "alopez") == []
    assert "at least" in shown(activation.username_rules(ctx, "a"))


async def test_the_activation_screen_never_says_taken_before_a_key(ctx):
    app = ParentHarness(ctx, ParentActivateScreen)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, app)
        field = app.screen.query_one("#username", Input)
        field.focus()
        await pilot.press(*"alopez")
        app.screen.query_one("#key", Input).focus()  # leaves the username field
        await settle(pilot, app)
        assert TAKEN not in texts(app)
    assert checks() == 0


def test_forgot_username_takes_the_same_time_whether_or_not_the_address_matched(ctx):
    times: dict[str, list[float]] = {"match": [], "miss": []}
    rng = random.Random(11)
    for n in range(200):
        for case in rng.sample(sorted(times), 2):  # interleaved: load hits both alike
            address = "ana.lopez@example.org" if case == "match" else f"ghost{n}@example.org"
            start = time.perf_counter()
            recovery.forgot_username(ctx, address)
            times[case].append(time.perf_counter() - start)
    ctx.flush_mail()
    every = times["match"] + times["miss"]
    q1, middle, q3 = statistics.quantiles(every, n=4)
    gap = abs(statistics.median(times["match"]) - statistics.median(times["miss"]))
    assert gap <= 0.5 * (q3 - q1) + 0.05 * middle, (gap, q3 - q1)
