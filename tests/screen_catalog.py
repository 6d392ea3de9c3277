"""Every parent screen in a state a parent sees it, for the fit and snapshot tests.

Each entry builds a ``ParentHarness`` app in a language and a ``before`` coroutine that brings
the screen to that state with real key presses, then stops cursors blinking.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.widgets import Input

from kiosk.demo import PARENT_PASSWORD
from kiosk.i18n import set_language
from kiosk.screens.hand_off import HandOffScreen
from kiosk.screens.linked_students import LinkedStudentsScreen
from kiosk.screens.parent_activate import ParentActivateScreen
from kiosk.screens.parent_email import ParentEmailScreen
from kiosk.screens.parent_forgot import ParentForgotScreen
from kiosk.screens.parent_home import ParentHomeScreen
from kiosk.screens.parent_password import ParentPasswordScreen
from kiosk.screens.parent_pictures import ParentPicturesScreen
from kiosk.screens.parent_settings import ParentSettingsScreen
from kiosk.screens.parent_sign_in import ParentSignInScreen
from kiosk.services.accounts import sign_in
from tests.test_parent_harness import ParentHarness, settle

Before = Callable[[object], Awaitable[None]]
FIXED_KEY = "1F3A9C0D5B7E2A4C6D8E0F1A3B5C7D9E"


async def still(pilot) -> None:
    """Let workers answer, then stop every cursor from blinking (snapshots never flicker)."""
    await settle(pilot, pilot.app)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _typing(*keys: str) -> Before:
    async def before(pilot) -> None:
        await settle(pilot, pilot.app)
        await pilot.press(*keys)
        await still(pilot)

    return before


async def _resting(pilot) -> None:
    await still(pilot)


#: name -> (screen factory or None for Welcome, needs a signed-in parent, pushed, before)
PARENT_SCREENS: dict[str, tuple[Callable | None, bool, bool, Before]] = {
    "welcome": (None, False, False, _resting),
    "hand_off": (
        lambda: HandOffScreen(key=FIXED_KEY, guardian_name="Maria Garcia"),
        False,
        True,
        _resting,
    ),
    # The password half typed: the live checklist and strength meter are what the parent needs.
    "activate": (
        ParentActivateScreen,
        False,
        False,
        _typing(*"1F3A9C0D", "tab", *"mgarcia", "tab", *"short-pass"),
    ),
    "sign_in": (ParentSignInScreen, False, False, _typing(*"alopez", "tab")),
    "forgot": (ParentForgotScreen, False, False, _resting),
    "email": (lambda: ParentEmailScreen(setup=True), True, False, _resting),
    "pictures": (
        lambda: ParentPicturesScreen(setup=False),
        True,
        True,
        _typing("space", "right", "space", "down", "space"),
    ),
    "home": (ParentHomeScreen, True, False, _resting),
    "settings": (ParentSettingsScreen, True, True, _resting),
    "new_password": (
        lambda: ParentPasswordScreen(required=True),
        True,
        False,
        _typing(*"orange-kayak"),
    ),
    "linked_students": (lambda: LinkedStudentsScreen(guardian_id="G-1001"), False, True, _resting),
}


def parent_app(ctx, name: str, language: str = "en") -> tuple[ParentHarness, Before]:
    """The harness showing parent screen ``name`` in ``language``, and its ``before``."""
    factory, signed_in, pushed, before = PARENT_SCREENS[name]
    session = sign_in(ctx, "alopez", PARENT_PASSWORD) if signed_in else None
    app = ParentHarness(ctx, factory, session=session, pushed=pushed)
    set_language(language)  # the harness starts in English; the parent chose this one
    return app, before
