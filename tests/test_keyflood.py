"""Keystroke floods (issue 10 item 9): every field has a maximum length, and a megabyte of
unbracketed keystrokes is dropped quickly, with memory bounded; the kiosk answers again."""

from __future__ import annotations

import ast
import resource
import time
from pathlib import Path

from textual import events
from textual.widgets import Input

from kiosk.app import make_app
from kiosk.keyflood import BURST, KeyBudget
from kiosk.screens.staff_sign_in import StaffSignInScreen
from tests.staff_helpers import settled, wait_for

PACKAGE = Path(__file__).resolve().parent.parent / "kiosk"
FLOOD = 1024 * 1024  # one key per byte of a 1 MB paste without bracketed paste


def test_every_input_in_the_kiosk_states_its_maximum_length():
    from kiosk.widgets.secret import SECRET_MAX_LENGTH, SecretInput

    assert SecretInput().max_length == SECRET_MAX_LENGTH  # a default, not unlimited
    missing = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "Input"
                and not any(k.arg == "max_length" for k in node.keywords)
            ):
                missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert missing == []


def test_the_key_budget_allows_a_burst_then_its_rate():
    now = [0.0]
    budget = KeyBudget(burst=10, rate=5.0, clock=lambda: now[0])
    assert sum(budget.allow() for _ in range(100)) == 10
    now[0] += 1.0  # a second later: five more
    assert sum(budget.allow() for _ in range(100)) == 5
    assert budget.dropped == 185


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def test_a_megabyte_of_keystrokes_is_dropped_and_the_kiosk_answers_again(ctx):
    app = make_app(ctx)
    handled = [0]

    def count_keys(message) -> None:
        if isinstance(message, events.Key):
            handled[0] += 1

    async with app.run_test(size=(80, 24), message_hook=count_keys) as pilot:
        app.go_staff_sign_in()
        await settled(pilot)
        assert isinstance(app.screen, StaffSignInScreen)
        field = app.screen.query_one("#username", Input)
        field.focus()

        # Baseline, same run: 200 keys posted the way the terminal driver posts them.
        started = time.perf_counter()
        for _ in range(200):
            app.post_message(events.Key("b", "b"))
        await wait_for(pilot, lambda: handled[0] >= 200)
        baseline = time.perf_counter() - started
        field.value = ""

        before_mib = max_rss_mib()
        started = time.perf_counter()
        handled[0] = 0
        queued = sum(app.post_message(events.Key("a", "a")) for _ in range(FLOOD))
        await wait_for(pilot, lambda: handled[0] >= queued)
        flood = time.perf_counter() - started

        # Almost all of it was dropped before being queued; what got in stopped at the limit.
        assert queued < FLOOD // 20
        assert queued >= BURST
        assert field.value == "a" * field.max_length
        # Memory: the dropped keys were never kept.
        assert max_rss_mib() - before_mib < 100
        # Handling the flood took a bounded multiple of 200 ordinary keys, not minutes.
        assert flood < baseline * 200

        # And the kiosk answers again: the next key a person types is taken.
        field.value = ""
        await pilot.press("z")
        await wait_for(pilot, lambda: field.value == "z")
