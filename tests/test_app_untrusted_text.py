"""Untrusted text on the staff screens: whatever a roster puts in a name shows literally, is
never parsed as markup, and no control character or ESC reaches the terminal.

Hypothesis generates names full of markup brackets, ``@click`` actions and control characters;
each is written straight into the database (as a bad import could) and every staff screen that
shows names is drawn and read back."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.app import make_app
from kiosk.screens.issue_key import IssueKeyScreen
from kiosk.screens.staff_account import AccountLookupScreen
from kiosk.screens.staff_guardian import GuardianCardScreen
from kiosk.screens.staff_home import StaffHomeScreen
from kiosk.screens.verify_request import VerifyRequestScreen
from kiosk.services.activation import issue_key
from kiosk.text import display
from tests.staff_helpers import screen_text, settled, sign_in_as, wait_for

NASTY = "[]/@=:;'\"(){}\\$#!*_-"
CONTROL = "\x1b\x07\x00\x08\x7f\x9b\u202e\u2066"
names = st.text(
    alphabet=st.sampled_from(list("abcXYZ " + NASTY + CONTROL)), min_size=1, max_size=14
).filter(lambda s: display(s).strip() != "")
CLICK = "[@click=app.quit]x[/]"


def rename(ctx, name: str) -> None:
    """As data written before every column refused control characters (schema 6) might hold:
    straight into the tables with plain SQL, past the models' guard."""
    db = ctx.store.db

    def sql(statement: str, *values: str) -> None:
        db.execute_sql(statement.replace("?", db.param), values)

    with ctx.store.write():
        for gid in ("G-1001", "G-1003"):
            sql("UPDATE guardian SET given_name = ?, family_name = 'Q' WHERE sourced_id = ?",
                name, gid)  # fmt: skip
        sql("UPDATE student SET given_name = ? WHERE sourced_id = 'S-2001'", name)
        sql("UPDATE guardian SET email = ? WHERE sourced_id = 'G-1001'", f"{name}@example.org")
        # the username keeps its searchable prefix; what is shown carries the name
        sql("UPDATE portal_account SET username = ?, recovery_email = ? "
            "WHERE username_norm = 'alopez'", f"alopez{name}", f"{name}@r.example")  # fmt: skip


async def screens_showing(ctx, name: str) -> dict[str, str]:
    """Draw every staff screen that shows names; return each screen's text."""
    from tests.conftest import staff_actor

    drawn: dict[str, str] = {}
    app = make_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_as(pilot)
        home = app.screen
        assert isinstance(home, StaffHomeScreen)
        await pilot.press(*"5550101")
        await wait_for(pilot, lambda: home.shown_query == home.query_one("#search").value)
        drawn["search results"] = screen_text(app)

        card = GuardianCardScreen("G-1001")
        app.push_screen(card)
        await wait_for(pilot, lambda: card.card is not None)
        drawn["guardian card"] = screen_text(app)

        form = VerifyRequestScreen("G-1001")
        app.switch_screen(form)
        await wait_for(pilot, lambda: form.card is not None)
        await pilot.pause()
        drawn["verify request"] = screen_text(app)

        with ctx.store.read():
            desk = staff_actor(ctx, "desk")
        app.switch_screen(IssueKeyScreen(issue_key(ctx, desk, "G-1001")))
        await settled(pilot)
        drawn["issue key"] = screen_text(app)

        lookup = AccountLookupScreen("alopez")
        app.switch_screen(lookup)
        await wait_for(pilot, lambda: lookup.selected is not None)
        drawn["account look-up"] = screen_text(app)
        assert app.is_running
    return drawn


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=names)
def test_names_show_literally_on_every_staff_screen(ctx, name):
    rename(ctx, name)
    shown = display(name)
    texts = asyncio.run(screens_showing(ctx, name))
    for screen, text in texts.items():
        assert shown in text, (screen, shown)
        assert not any(ch in text for ch in CONTROL), screen
    assert f"{shown}@example.org" in texts["guardian card"]  # the email
    assert f"alopez{shown}" in texts["account look-up"]  # the username
    assert f"{shown}@r.example" in texts["account look-up"]  # the recovery email


def test_a_click_action_as_a_name_shows_literally_and_clicking_it_does_nothing(ctx):
    rename(ctx, CLICK)

    async def run() -> None:
        app = make_app(ctx)
        async with app.run_test(size=(100, 30)) as pilot:
            await sign_in_as(pilot)
            card = GuardianCardScreen("G-1001")
            app.push_screen(card)
            await wait_for(pilot, lambda: card.card is not None)
            lines = screen_text(app).splitlines()
            row = next(i for i, line in enumerate(lines) if CLICK in line)
            column = lines[row].index(CLICK) + 3
            await pilot.click(offset=(column, row))
            await pilot.pause()
            assert app.is_running and app.screen is card
            assert app.return_code is None

    asyncio.run(run())
    for literal in ("[/", "[red]x[/]"):
        rename(ctx, literal)
        texts = asyncio.run(screens_showing(ctx, literal))
        assert all(literal in text for text in texts.values())
