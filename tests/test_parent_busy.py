"""A parent action that takes longer than ~300 ms says it is working (issue 11, point 7)."""

from __future__ import annotations

import threading
import time

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Static

from kiosk.errors import KioskError
from kiosk.screens.parent_base import ParentScreen
from tests.test_parent_harness import ParentHarness, settle, texts


async def until_shown(pilot, app, text: str, seconds: float = 60) -> None:
    """Poll the screen while a worker is still running (``wait_for`` waits for workers)."""
    deadline = time.monotonic() + seconds
    while text not in texts(app):
        assert time.monotonic() < deadline, f"{text!r} never appeared"
        await pilot.pause(0.05)


class SlowScreen(ParentScreen):
    """One button whose service call waits until the test lets it answer."""

    def __init__(self, release: threading.Event, fail: bool = False) -> None:
        super().__init__()
        self.release, self.fail = release, fail

    def compose_page(self) -> ComposeResult:
        yield Button("Save", id="save")
        yield Static("", id="answer")

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        def work() -> str:
            self.release.wait(timeout=60)
            if self.fail:
                raise KioskError("unexpected")
            return "saved"

        self.run_service(work, self.query_one("#answer", Static).update, self._failed)

    def _failed(self, error: KioskError) -> None:
        self.query_one("#answer", Static).update("refused")


async def busy_then_answer(ctx, fail: bool) -> str:
    release = threading.Event()
    app = ParentHarness(ctx, lambda: SlowScreen(release, fail))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "Working…" not in texts(app)
        await pilot.click("#save")
        await until_shown(pilot, app, "Working…")
        assert "Tab: next" not in texts(app)  # the footer line says it instead of the keys
        release.set()
        await until_shown(pilot, app, "Tab: next")
        shown = texts(app)
        assert "Working…" not in shown
        return shown


async def test_a_slow_action_says_it_is_working_until_it_answers(ctx):
    assert "saved" in await busy_then_answer(ctx, fail=False)


async def test_a_slow_refusal_also_ends_the_working_notice(ctx):
    assert "refused" in await busy_then_answer(ctx, fail=True)
