"""No trap (issue 11, point 3): every desk and parent screen lists its keys at the bottom and Esc
leaves it; every F-key means one thing on every screen.

The walk opens each screen in the real app at 80x24 (staff signed in, or a parent signed in,
as the screen needs), reads its bottom line as drawn, presses Esc and checks the screen is gone.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Awaitable, Callable

import pytest
from textual.binding import Binding
from textual.screen import Screen

import kiosk.screens
from kiosk.app import make_app
from kiosk.auth import SYSTEM
from kiosk.demo import PARENT_PASSWORD
from kiosk.services.accounts import sign_in
from kiosk.services.activation import issue_key
from kiosk.services.people import guardian_card
from tests.conftest import staff_actor
from tests.staff_helpers import screen_text, settled, sign_in_as, wait_for
from tests.test_parent_harness import settle

SIZE = (80, 24)


def screen_classes() -> list[type[Screen]]:
    found = []
    for info in pkgutil.iter_modules(kiosk.screens.__path__):
        module = importlib.import_module(f"kiosk.screens.{info.name}")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Screen) and value.__module__ == module.__name__:
                found.append(value)
    return found


def bindings_of(cls: type) -> list[Binding]:
    """Every binding a class declares or inherits (its own BINDINGS and its bases')."""
    found = []
    for klass in cls.__mro__:
        for binding in vars(klass).get("BINDINGS", []):
            if isinstance(binding, Binding):
                found.append(binding)
    return found


def test_every_f_key_means_one_thing_on_every_screen():
    from kiosk.app import FrontDeskApp

    meanings: dict[str, set[tuple[str, str]]] = {}
    for cls in [*screen_classes(), FrontDeskApp]:
        for binding in bindings_of(cls):
            for key in binding.key.split(","):
                if key.strip().startswith("f") and key.strip()[1:].isdigit():
                    meanings.setdefault(key.strip(), set()).add(
                        (binding.action, binding.description)
                    )
    assert len(meanings) >= 8  # the desk's F-keys are all seen
    clashes = {key: sorted(found) for key, found in meanings.items() if len(found) > 1}
    assert clashes == {}
    assert meanings["f3"] == {("district_data", "District data")}  # not Reset on the look-up
    assert meanings["f8"] == {("reset", "Reset password")}


# -- the walk ---------------------------------------------------------------------------------


def bottom_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def push(pilot, app, screen: Screen) -> Screen:
    app.push_screen(screen)
    await wait_for(pilot, lambda: app.screen is screen and screen.is_mounted)
    await settled(pilot)
    await settle(pilot, app)
    return screen


async def as_staff(pilot, app, make: Callable[[], Screen], who: str = "desk") -> Screen:
    await sign_in_as(pilot, who)
    return await push(pilot, app, make())


async def as_parent(pilot, app, ctx, *makes: Callable[[], Screen]) -> Screen:
    """A signed-in parent (alopez) on ``makes[-1]``, over the screens before it."""
    await wait_for(pilot, lambda: app.screen.is_mounted)
    app.session = sign_in(ctx, "alopez", PARENT_PASSWORD)
    screen = None
    for make in makes:
        screen = await push(pilot, app, make())
    return screen


def make(module: str, name: str, *args: object, **kwargs: object) -> Callable[[object], Screen]:
    """A factory of ``kiosk.screens.<module>.<name>(*args)``; a callable arg gets ``ctx``."""

    def build(ctx) -> Screen:
        cls = getattr(importlib.import_module(f"kiosk.screens.{module}"), name)
        values = [a(ctx) if callable(a) else a for a in args]
        return cls(*values, **kwargs)

    return build


def staff_screen(name: str, factory: Callable[[object], Screen], who: str = "desk"):
    async def opened(pilot, app, ctx) -> Screen:
        return await as_staff(pilot, app, lambda: factory(ctx), who)

    return pytest.param(opened, id=name)


def parent_screen(name: str, *factories: Callable[[object], Screen]):
    async def opened(pilot, app, ctx) -> Screen:
        return await as_parent(pilot, app, ctx, *(lambda f=f: f(ctx) for f in factories))

    return pytest.param(opened, id=name)


HOME = make("parent_home", "ParentHomeScreen")


def _issued(ctx):
    return issue_key(ctx, SYSTEM, "G-1002")


def _kevin(ctx):
    return guardian_card(ctx, staff_actor(ctx, "registrar"), "G-1008")


def _desk(ctx):
    return staff_actor(ctx, "desk")


async def _staff_sign_in(pilot, app, ctx) -> Screen:
    await wait_for(pilot, lambda: app.screen.is_mounted)
    await pilot.click("#staff")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "StaffSignInScreen")
    await settled(pilot)
    return app.screen


async def _district_data(pilot, app, ctx) -> Screen:
    await sign_in_as(pilot, "desk")
    await pilot.press("f3")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "AdminHomeScreen")
    await settled(pilot)
    return app.screen


async def _hand_off(pilot, app, ctx) -> Screen:
    await sign_in_as(pilot, "desk")
    issued = issue_key(ctx, SYSTEM, "G-1001")
    app.hand_off(issued.key, issued.guardian_name)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "HandOffScreen")
    await settled(pilot)
    return app.screen


Opener = Callable[..., Awaitable[Screen]]

SCREENS = [
    pytest.param(_staff_sign_in, id="staff sign-in"),
    staff_screen("guardian card", make("staff_guardian", "GuardianCardScreen", "G-1001")),
    staff_screen("verify request", make("verify_request", "VerifyRequestScreen", "G-1001")),
    staff_screen("issue key", make("issue_key", "IssueKeyScreen", _issued)),
    staff_screen("account look-up", make("staff_account", "AccountLookupScreen", "alopez")),
    staff_screen(
        "linked students (staff)",
        make("linked_students", "LinkedStudentsScreen", "G-1006", staff_view=True),
    ),
    pytest.param(_district_data, id="district data (F3)"),
    staff_screen("reset password", make("staff_reset", "ResetPasswordModal", "alopez")),
    staff_screen("flags", make("staff_flags", "RelationshipFlagsModal", _kevin), "registrar"),
    staff_screen("confirm", make("staff_confirm", "ConfirmModal", "Disable?", "What.", "Disable")),
    staff_screen(
        "merge confirm",
        make("admin_confirm", "ConfirmWithPasswordModal", "Merge?", "What.", "Merge now"),
        "registrar",
    ),
    staff_screen("staff password", make("staff_reauth", "StaffReauthModal", "return")),
    staff_screen(
        "new staff password",
        make("staff_new_password", "StaffNewPasswordScreen", _desk, "TEMP-TEMP-TEMP-TEMP"),
    ),
    pytest.param(_hand_off, id="hand-off"),
    parent_screen("activate", make("parent_activate", "ParentActivateScreen")),
    parent_screen("parent sign-in", make("parent_sign_in", "ParentSignInScreen")),
    parent_screen("forgot", make("parent_forgot", "ParentForgotScreen")),
    parent_screen("parent home", HOME),
    parent_screen("settings", HOME, make("parent_settings", "ParentSettingsScreen")),
    parent_screen("change password", HOME, make("parent_password", "ParentPasswordScreen")),
    parent_screen("change email", HOME, make("parent_email", "ParentEmailScreen", setup=False)),
    parent_screen("set up email", make("parent_email", "ParentEmailScreen", setup=True)),
    parent_screen(
        "change pictures", HOME, make("parent_pictures", "ParentPicturesScreen", setup=False)
    ),
    parent_screen("set up pictures", make("parent_pictures", "ParentPicturesScreen", setup=True)),
    parent_screen(
        "linked students", HOME, make("linked_students", "LinkedStudentsScreen", "G-1003")
    ),
]


@pytest.mark.parametrize("opened", SCREENS)
async def test_every_screen_lists_its_keys_and_esc_leaves_it(ctx, opened: Opener):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, app, ctx)
        name = type(screen).__name__
        footer = bottom_line(app)
        assert "esc" in footer.lower(), f"{name}: no Esc in its footer line {footer!r}"
        assert len(footer.split()) >= 2, f"{name}: the footer names no action: {footer!r}"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)
        await settle(pilot, app)
        if name == "HandOffScreen":  # the parent side's way back: the staff password first
            assert type(app.screen).__name__ == "StaffReauthModal"
        else:
            assert screen not in app.screen_stack, name


async def test_esc_from_a_set_up_step_signs_out_and_the_set_up_waits(ctx):
    from kiosk.screens.welcome import WelcomeScreen

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await as_parent(pilot, app, ctx, lambda: make("parent_email", "ParentEmailScreen")(ctx))
        assert "Esc: sign out" in bottom_line(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        assert app.session is None


async def test_the_home_screens_list_their_keys_and_the_way_out(ctx):
    """Welcome and the front desk's home are where the ways back lead: their footers list
    their keys; the desk's includes signing out."""
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.is_mounted)
        await settled(pilot)
        assert "Tab: next" in bottom_line(app)
        await sign_in_as(pilot, "desk")
        footer = bottom_line(app)
        assert "f9 Sign out" in footer and "f2 Look-up" in footer and "esc Clear" in footer


async def test_a_spanish_parent_footer_fits_80_columns(ctx):
    from kiosk.i18n import set_language

    app = make_app(ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            set_language("es")
            await as_parent(pilot, app, ctx, lambda: HOME(ctx))
            footer = bottom_line(app)
            assert footer.strip().endswith("Esc: cerrar sesión"), footer
    finally:
        set_language("en")
