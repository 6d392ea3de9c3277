"""The front-desk visit counted key by key (issue 11: "the visit is short").

From Maria Garcia found in staff search to the parent seeing her linked students, at 80x24, by
keyboard only, in English and in Spanish. Every key goes through ``pilot.press``; typed data
(username, password, email, code) is counted apart from the keys that move, choose and confirm
(Tab, Enter, arrows, Space, F-keys). The bounds: at most 10 screens and 30 non-data keys, plus at
most 32 keys for the 16 picture choices.
"""

from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.i18n import set_language
from kiosk.pictures import PICTURES
from kiosk.services.accounts import sign_in
from kiosk.widgets.pictures import picture_name
from tests.conftest import latest_code
from tests.staff_helpers import screen_text, settled, wait_for
from tests.test_parent_harness import settle, texts
from tests.test_walkthrough import staff_sign_in

SIZE = (80, 24)
PASSWORD = "orange-kayak-meadow-violin"
MAX_SCREENS, MAX_KEYS, MAX_PICTURE_KEYS = 10, 30, 32


@pytest.fixture(autouse=True)
def english_after():
    yield
    set_language("en")


class Visit:
    """Presses keys on the real app and counts them, data apart from the rest."""

    def __init__(self, pilot, app) -> None:
        self.pilot, self.app = pilot, app
        self.keys: list[str] = []
        self.picture_keys: list[str] = []
        self.data = 0
        self.screens: list[str] = []

    def note_screen(self) -> None:
        name = type(self.app.screen).__name__
        if not self.screens or self.screens[-1] != name:
            self.screens.append(name)

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.keys.append(key)
            await self.pilot.press(key)
            await settle(self.pilot, self.app)
            self.note_screen()

    async def pick(self, key: str) -> None:
        self.picture_keys.append(key)
        await self.pilot.press(key)
        await settle(self.pilot, self.app)

    async def type(self, text: str) -> None:
        self.data += len(text)
        await self.pilot.press(*text)
        await settle(self.pilot, self.app)

    async def until(self, screen: str) -> None:
        await wait_for(self.pilot, lambda: type(self.app.screen).__name__ == screen)
        await settled(self.pilot)
        await settle(self.pilot, self.app)
        self.note_screen()


async def walk(ctx, pilot, app, spanish: bool) -> Visit:
    await staff_sign_in(pilot, app, "desk", "front-desk-demo-pass")
    await pilot.press(*"maria")
    await wait_for(pilot, lambda: "Maria Garcia" in screen_text(app))
    visit = Visit(pilot, app)
    visit.note_screen()
    await visit.press("enter", "enter")  # to the results, open the first (Maria Garcia)
    await visit.until("GuardianCardScreen")
    await visit.press("enter")  # Verify request (focused)
    await visit.until("VerifyRequestScreen")
    await visit.press("enter", "down", "enter")  # photo ID: the first kind in the list
    await visit.press("tab", "space")  # the signature box
    await visit.press("ctrl+s")
    await visit.until("IssueKeyScreen")
    await visit.press("f6")
    await visit.until("HandOffScreen")
    if spanish:
        await visit.press("shift+tab", "enter")  # the language button left of Continue
        assert "Continuar" in screen_text(app)
    await visit.press("enter")
    await visit.until("ParentActivateScreen")
    await visit.type("mgarcia")
    await visit.press("enter")
    await visit.type(PASSWORD)
    await visit.press("enter")
    await visit.type(PASSWORD)
    await visit.press("enter")
    await visit.until("ParentEmailScreen")
    assert not app.screen.query("#email-password")  # the password was typed a moment ago
    skip = "Omitir el correo y las imágenes por ahora" if spanish else "Skip email and pictures"
    assert skip in screen_text(app)  # skipping says what it skips
    await visit.type("maria@example.net")
    await visit.press("enter")
    await visit.type("maria@example.net")
    await visit.press("enter")
    await wait_for(pilot, lambda: app.screen.query_one("#code").has_focus)
    await visit.type(latest_code(ctx))
    await visit.press("enter")
    await visit.until("ParentPicturesScreen")
    for _ in range(8):
        await visit.pick("space")
    await visit.press("enter")  # Next
    for _ in range(8):
        await visit.pick("space")
    await visit.press("enter")  # Next, to the review
    review = texts(app)
    assert all(picture_name(p.id) in review for p in PICTURES[:16])
    await visit.press("enter")  # Save
    await visit.until("ParentHomeScreen")
    await visit.press("enter")  # See my students
    await visit.until("LinkedStudentsScreen")
    return visit


@pytest.mark.parametrize("spanish", [False, True], ids=["english", "spanish"])
async def test_the_visit_fits_its_key_budget(ctx, spanish):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        visit = await walk(ctx, pilot, app, spanish)
        shown = texts(app)
        assert "Sofia Garcia" in shown and "Mateo Garcia" in shown
    print(f"\n{len(visit.screens)} screens {visit.screens}")
    print(f"{len(visit.keys)} keys {visit.keys}; {len(visit.picture_keys)} for pictures")
    assert len(visit.screens) <= MAX_SCREENS
    assert len(visit.keys) <= MAX_KEYS
    assert len(visit.picture_keys) <= MAX_PICTURE_KEYS
    # The counts README's "A visit at the front desk" shows.
    assert (len(visit.keys), len(visit.picture_keys)) == (23 if spanish else 21, 16)
    assert visit.data == len("mgarcia") + 2 * len(PASSWORD) + 2 * len("maria@example.net") + 8
    assert sign_in(ctx, "mgarcia", PASSWORD).requires == ()
