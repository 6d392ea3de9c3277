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


# -- staff screens (English only: the staff side is not translated) --------------------------


async def _staff_still(pilot) -> None:
    from tests.staff_helpers import settled

    await settled(pilot)
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause()


def _staff_push(make_screen: Callable[[object], object], *keys: str) -> Before:
    """Sign in as the front desk, push ``make_screen(app)``, press ``keys``."""

    async def before(pilot) -> None:
        from tests.staff_helpers import sign_in_as, wait_for

        await sign_in_as(pilot)
        screen = make_screen(pilot.app)
        if screen is not None:
            pilot.app.push_screen(screen)
            await wait_for(pilot, lambda: pilot.app.screen is screen)
        await _staff_still(pilot)
        if keys:
            await pilot.press(*keys)
        await _staff_still(pilot)

    return before


def _card_then(modal: Callable[[object], object]) -> Before:
    """The guardian card of Maria Garcia's household (G-1001), then ``modal(card_screen)``."""

    async def before(pilot) -> None:
        from kiosk.screens.staff_guardian import GuardianCardScreen
        from tests.staff_helpers import sign_in_as, wait_for

        await sign_in_as(pilot)
        card = GuardianCardScreen("G-1001")
        pilot.app.push_screen(card)
        await wait_for(pilot, lambda: card.card is not None)
        pilot.app.push_screen(modal(card))
        await _staff_still(pilot)

    return before


def _verify(app) -> object:
    from kiosk.screens.verify_request import VerifyRequestScreen

    return VerifyRequestScreen("G-1001")


def _lookup(app) -> object:
    from kiosk.screens.staff_account import AccountLookupScreen

    return AccountLookupScreen("alopez")


def _reauth(app) -> object:
    from kiosk.screens.staff_reauth import StaffReauthModal

    return StaffReauthModal(purpose="return")


def _flags(card) -> object:
    from kiosk.screens.staff_flags import RelationshipFlagsModal

    return RelationshipFlagsModal(card.card)


def _reset(card) -> object:
    from kiosk.screens.staff_reset import ResetPasswordModal

    return ResetPasswordModal("alopez")


def _card(app) -> object:
    from kiosk.screens.staff_guardian import GuardianCardScreen

    return GuardianCardScreen("G-1001")


STAFF_SCREENS: dict[str, Before] = {
    "home": _staff_push(lambda app: None, *"garcia"),
    "guardian_card": _staff_push(_card),
    "verify_request": _staff_push(_verify, "down", "enter"),
    "account_lookup": _staff_push(_lookup),
    "reauth": _staff_push(_reauth),
    "flags": _card_then(_flags),
    "reset": _card_then(_reset),
}


# -- the admin console (kiosk admin) ----------------------------------------------------------


def _admin_tool(make_screen: Callable[[], object] | None, *keys: str, user: str = "admin"):
    async def before(pilot) -> None:
        from tests.test_snapshots_admin import open_tool, quiet

        await open_tool(pilot, make_screen() if make_screen else None, user)
        await quiet(pilot)
        if keys:
            await pilot.press(*keys)
            await quiet(pilot)

    return before


def _admin(name: str) -> Callable[[], object]:
    def make() -> object:
        from kiosk.screens import (
            admin_audit,
            admin_duplicates,
            admin_import,
            admin_portals,
            admin_reports,
            admin_staff,
        )

        return {
            "reports": admin_reports.AdminReportsScreen,
            "audit": admin_audit.AdminAuditScreen,
            "staff": admin_staff.AdminStaffScreen,
            "import": admin_import.AdminImportScreen,
            "duplicates": admin_duplicates.AdminDuplicatesScreen,
            "portals": admin_portals.AdminPortalsScreen,
        }[name]()

    return make


ADMIN_SCREENS: dict[str, Before] = {
    "home": _admin_tool(None, "down"),
    "reports": _admin_tool(_admin("reports"), "enter", "down", "enter"),
    "audit": _admin_tool(_admin("audit")),
    "staff": _admin_tool(_admin("staff")),
    "add_staff": _admin_tool(_admin("staff"), "ctrl+n"),
    "import": _admin_tool(_admin("import")),
    "duplicates": _admin_tool(_admin("duplicates"), user="registrar"),
    "portals": _admin_tool(_admin("portals")),
}
