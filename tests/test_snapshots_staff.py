"""Snapshots of the staff screens at 80x24 and 120x40 (pytest-textual-snapshot).

Nothing in them moves: the clock is fixed, the key is fixed, the cursor does not blink. Update
with ``pytest tests/test_snapshots_staff.py --snapshot-update`` after checking the new look.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select

from kiosk.app import make_app
from kiosk.clock import Clock
from kiosk.screens.issue_key import IssueKeyScreen
from kiosk.screens.verify_request import VerifyRequestScreen
from kiosk.services.activation import issue_key
from tests.staff_helpers import settled, sign_in_as, wait_for

SIZES = [(80, 24), (120, 40)]
FIXED_KEY = "3C17A813AD09897A7BAF556D14B0E397"


class FixedClock(Clock):
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 9, 1, 15, 30, tzinfo=dt.UTC)


@pytest.fixture
def still_ctx(ctx, monkeypatch):
    ctx.clock = FixedClock()
    monkeypatch.setattr("kiosk.keys.new_key", lambda: FIXED_KEY)
    return ctx


async def no_blink(pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_staff_sign_in(snap_compare, still_ctx, size):
    async def before(pilot):
        pilot.app.go_staff_sign_in()
        await settled(pilot)
        await pilot.press(*"desk")
        await no_blink(pilot)

    assert snap_compare(make_app(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_home_with_results(snap_compare, still_ctx, size):
    async def before(pilot):
        await sign_in_as(pilot)
        home = pilot.app.screen
        await pilot.press(*"garcia")
        await wait_for(pilot, lambda: home.shown_query == home.query_one("#search").value)
        await no_blink(pilot)

    assert snap_compare(make_app(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_verify_request(snap_compare, still_ctx, size):
    async def filled(pilot):
        await sign_in_as(pilot)
        form = VerifyRequestScreen("G-1001")
        pilot.app.push_screen(form)
        await wait_for(pilot, lambda: form.card is not None)
        form.query_one("#id-type", Select).value = "passport"
        await pilot.press("ctrl+s")  # the signature is missing: the form says so
        await pilot.pause()

    assert snap_compare(make_app(still_ctx), terminal_size=size, run_before=filled)


@pytest.mark.parametrize("size", SIZES)
def test_issue_key(snap_compare, still_ctx, desk, size):
    issued = issue_key(still_ctx, desk, "G-1001")
    assert issued.key == "{3C17A813-AD09-897A-7BAF-556D14B0E397}"

    async def before(pilot):
        await sign_in_as(pilot)
        pilot.app.push_screen(IssueKeyScreen(issued))
        await settled(pilot)

    assert snap_compare(make_app(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["guardian_card", "account_lookup", "reauth", "flags", "reset"])
def test_staff_screen(snap_compare, still_ctx, name, size):
    """The guardian card, the account look-up and the staff dialogs (``tests.screen_catalog``)."""
    from tests.screen_catalog import STAFF_SCREENS

    assert snap_compare(make_app(still_ctx), terminal_size=size, run_before=STAFF_SCREENS[name])
