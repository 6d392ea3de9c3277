"""Every seed "common issue" fixed at the desk, from the guardian card, by key presses only.

Issue 11, point 2: the card names the problem before any sub-screen is opened; the role
allowed to fix it does so in at most 3 screens (the card counts as the first; a dialog counts
as a screen); a role that may not sees who can, not a dead button. Each test checks that the
fix took effect in the database, not only on screen.
"""

from __future__ import annotations

import pytest
from textual.widgets import Button, OptionList

from kiosk.app import make_app
from kiosk.demo import PARENT_PASSWORD
from kiosk.errors import AuthenticationFailed
from kiosk.screens.staff_guardian import GuardianCardScreen
from kiosk.services.accounts import CHANGE_PASSWORD, sign_in
from kiosk.store.models import Guardian, PortalAccount, Relationship
from tests.staff_helpers import screen_text, settled, sign_in_as, wait_for
from tests.test_parent_harness import settle

SIZE = (80, 24)
MAX_SCREENS = 3
REGISTRAR_PASSWORD = "registrar-demo-pass"


class Desk:
    """Drives the real app from the guardian card and counts the screens it goes through."""

    def __init__(self, pilot, app) -> None:
        self.pilot, self.app = pilot, app
        self.screens: list[object] = []

    def note(self) -> None:
        if self.app.screen not in self.screens:
            self.screens.append(self.app.screen)

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await settle(self.pilot, self.app)
            self.note()

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)
        await settle(self.pilot, self.app)

    async def until(self, screen_type: type) -> None:
        await wait_for(self.pilot, lambda: isinstance(self.app.screen, screen_type))
        await settled(self.pilot)
        await settle(self.pilot, self.app)
        self.note()

    def text(self) -> str:
        return screen_text(self.app)

    @property
    def names(self) -> list[str]:
        return [type(s).__name__ for s in self.screens]


async def open_card(pilot, app, query: str, guardian_id: str) -> Desk:
    """Search as staff type, choose the guardian with the keyboard; counting starts here."""
    await pilot.press(*query)
    results = app.screen.query_one("#results", OptionList)
    await wait_for(pilot, lambda: results.option_count > 0)
    await pilot.press("enter")  # to the results
    while results.get_option_at_index(results.highlighted).id != f"guardian:{guardian_id}":
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, GuardianCardScreen))
    card = app.screen
    await wait_for(pilot, lambda: card.card is not None)
    await settle(pilot, app)
    desk = Desk(pilot, app)
    desk.note()
    return desk


def account(username: str) -> PortalAccount:
    return PortalAccount.get(PortalAccount.username_norm == username)


def temporary_shown(app) -> str:
    shown = str(app.screen.query_one("#temporary").render())
    return shown.splitlines()[1].strip()


async def test_key_already_used_shows_the_username_and_resets_with_photo_id(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "desk")
        desk = await open_card(pilot, app, "ana lopez", "G-1003")
        assert "Key already used by alopez" in desk.text()
        assert app.focused is app.screen.query_one("#reset", Button)
        await desk.press("f8")  # Reset password
        assert desk.names[-1] == "ResetPasswordModal"
        await desk.press("enter")  # the first proof: photo ID checked in person
        await desk.press("tab", "enter")  # Reset password
        await wait_for(pilot, lambda: app.screen.reset_done)
        temp = temporary_shown(app)
        await desk.press("enter")  # Done (hide it)
        await desk.until(GuardianCardScreen)
        assert "password reset to a temporary one" in desk.text()
        assert "temporary password until" in desk.text()  # the card names the new state
    assert len(desk.screens) <= MAX_SCREENS, desk.names
    assert sign_in(ctx, "alopez", temp).requires == (CHANGE_PASSWORD,)


async def test_forgotten_password_resets_after_every_guardianship_question(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "desk")
        desk = await open_card(pilot, app, "ana lopez", "G-1003")
        assert "Forgot the password? Reset password (F8)" in desk.text()
        await desk.press("enter")  # Reset password has the focus
        await desk.press("down", "enter")  # the guardianship questions
        for _ in range(5):  # tick each question as the parent answers it
            await desk.press("tab", "space")
        await desk.press("tab", "enter")
        await wait_for(pilot, lambda: app.screen.reset_done)
        temp = temporary_shown(app)
        await desk.press("escape")
        await desk.until(GuardianCardScreen)
    assert len(desk.screens) == 2 <= MAX_SCREENS, desk.names
    assert sign_in(ctx, "alopez", temp).requires == (CHANGE_PASSWORD,)
    with pytest.raises(AuthenticationFailed):  # the old password stopped working
        sign_in(ctx, "alopez", PARENT_PASSWORD)
    with ctx.store.read():
        assert account("alopez").must_change_password


async def test_disabled_account_is_enabled_from_the_card(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "desk")
        desk = await open_card(pilot, app, "robert", "G-1004")
        assert "Account rchen is disabled" in desk.text()
        await desk.press("enter")  # Enable has the focus: the card's urgent fix
        await wait_for(pilot, lambda: "rchen: enabled" in desk.text())
        assert "is disabled" not in desk.text()
    assert desk.names == ["GuardianCardScreen"]
    with ctx.store.read():
        assert account("rchen").enabled
    assert sign_in(ctx, "rchen", PARENT_PASSWORD).username == "rchen"


async def test_locked_account_shows_until_when_and_unlocks_from_the_card(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "hsdesk")  # Priya Patel's son is at the high school
        desk = await open_card(pilot, app, "priya", "G-1005")
        with ctx.store.read():
            until = account("ppatel").locked_until
        assert f"locked until {until[:10]}" in desk.text()  # the date, not only the time
        await desk.press("f4")  # Unlock
        await wait_for(pilot, lambda: "ppatel: unlocked" in desk.text())
        assert "locked until" not in desk.text()
    assert desk.names == ["GuardianCardScreen"]
    assert sign_in(ctx, "ppatel", PARENT_PASSWORD).username == "ppatel"


async def test_child_hidden_by_a_duplicate_is_merged_by_the_registrar(ctx):
    from kiosk.screens.admin_confirm import ConfirmWithPasswordModal
    from kiosk.screens.linked_students import LinkedStudentsScreen

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "registrar")
        desk = await open_card(pilot, app, "james wilson", "G-1006")
        assert "A student may be hidden by a duplicate record" in desk.text()
        assert "Noah Wilson" in desk.text()
        await desk.press("ctrl+l")  # Linked students
        await desk.until(LinkedStudentsScreen)
        await wait_for(pilot, lambda: app.screen.query(".merge"))
        assert app.focused is app.screen.query_one(".merge", Button)
        await desk.press("enter")  # Merge records…
        await desk.until(ConfirmWithPasswordModal)
        assert "Students moving: Noah Wilson" in desk.text()  # the preview, before anything
        await desk.type(REGISTRAR_PASSWORD)
        await desk.press("enter")
        await desk.until(LinkedStudentsScreen)
        await wait_for(pilot, lambda: "Noah Wilson: Roosevelt Middle" in desk.text())
    assert len(desk.screens) == 3 <= MAX_SCREENS, desk.names
    with ctx.store.read():
        dropped = Guardian.get(Guardian.sourced_id == "G-1007")
        assert dropped.merged_into.sourced_id == "G-1006" and not dropped.active


async def test_front_desk_sees_who_merges_a_duplicate_and_no_merge_button(ctx):
    from kiosk.screens.linked_students import LinkedStudentsScreen

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "desk")
        desk = await open_card(pilot, app, "james wilson", "G-1006")
        assert "Only a registrar may merge the records" in desk.text()
        await desk.press("ctrl+l")
        await desk.until(LinkedStudentsScreen)
        await wait_for(pilot, lambda: "Noah Wilson" in desk.text())
        assert not app.screen.query(".merge")
        assert "A registrar can fix this." in desk.text()


@pytest.mark.parametrize(
    "who, fix",
    [
        ("registrar", "Fix: Duplicate guardians in the admin console, then Merge."),
        ("desk", "Only a registrar may merge the records."),
    ],
)
async def test_the_card_of_a_duplicate_in_no_household_names_its_twin_and_who_merges(ctx, who, fix):
    """G-1007 holds Noah but belongs to no household: its own card says whose duplicate it is
    (no student of a household is hidden from it, so only the record match can say so)."""
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, who)
        desk = await open_card(pilot, app, "james wilson", "G-1007")
        text = " ".join(desk.text().split())  # the sentence may wrap at 80 columns
        assert (
            "This record is likely a duplicate of G-1006 (James Wilson): same name and phone."
            in text
        )
        assert fix in text
    with ctx.store.read():  # only named: nothing was merged
        assert Guardian.get(Guardian.sourced_id == "G-1007").merged_into is None


FLAG_CASES = [
    pytest.param(
        "hoa", "G-1010", "G-1010:S-2009", "Portal access is off for Ava Nguyen",
        "Only a registrar may turn portal access on", "enter", "#portal-0",
        "Save will change: Ava Nguyen: portal access on.", ("portal_access", True),
        id="portal access off",
    ),
    pytest.param(
        "kevin", "G-1008", "G-1008:S-2008",
        "Custody restriction: the portal does not show Olivia Brown",
        "Only a registrar may change it, with the court documents", "ctrl+f", "#custody-0",
        "Save will change: Olivia Brown: custody restriction off.", ("custody_restriction", False),
        id="custody",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    "query, gid, link, problem, who_may, key, flag, preview, fixed", FLAG_CASES
)
async def test_registrar_fixes_a_relationship_flag_and_the_desk_sees_who_may(
    ctx, query, gid, link, problem, who_may, key, flag, preview, fixed
):
    """Portal access off, and a custody restriction (shown, with who may change it)."""
    from kiosk.screens.staff_flags import RelationshipFlagsModal

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "desk")
        desk = await open_card(pilot, app, query, gid)
        assert problem in desk.text() and who_may in desk.text()
        assert not app.screen.query_one("#flags", Button).display  # no dead button
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "registrar")
        desk = await open_card(pilot, app, query, gid)
        assert problem in desk.text() and who_may not in desk.text()
        await desk.press(key)  # Enter on Flags (it has the focus), or its key ctrl+f
        await desk.until(RelationshipFlagsModal)
        assert app.focused is app.screen.query_one(flag)  # the flag behind the problem
        await desk.press("space")
        assert preview in desk.text()  # what Save will change, before it is pressed
        await desk.press("ctrl+s")
        await desk.until(GuardianCardScreen)
        await wait_for(pilot, lambda: problem not in desk.text())
    assert len(desk.screens) == 2 <= MAX_SCREENS, desk.names
    name, value = fixed
    with ctx.store.read():
        assert getattr(Relationship.get(Relationship.sourced_id == link), name) is value
