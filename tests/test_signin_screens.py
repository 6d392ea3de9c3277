"""Sign-in screens: a submission while one is being checked is ignored; wrong staff passwords at
"Return to front desk" sign the staff member out and the kiosk goes back to Welcome."""

from __future__ import annotations

import threading

from textual.widgets import Input

from kiosk.app import make_app
from kiosk.hashing import Hasher
from kiosk.screens.parent_sign_in import ParentSignInScreen
from kiosk.screens.staff_base import StaffScreen
from kiosk.screens.staff_reauth import StaffReauthModal
from kiosk.screens.staff_sign_in import StaffSignInScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.store.models import AuditEvent, PortalAccount, StaffUser
from kiosk.widgets.secret import SecretInput
from tests.conftest import fast_hasher
from tests.staff_helpers import on_screen, sign_in_as, wait_for
from tests.test_parent_harness import ParentHarness, settle

SIZE = (80, 24)


class HeldHasher(Hasher):
    """Holds every password check until the test lets it go, so it is surely in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = fast_hasher()
        self.release = threading.Event()
        self.started = threading.Event()

    def hash(self, secret):
        return self.inner.hash(secret)

    def verify(self, stored, secret):
        self.started.set()
        self.release.wait(timeout=30)
        return self.inner.verify(stored, secret)

    def needs_rehash(self, stored):
        return self.inner.needs_rehash(stored)


def attempts(action: str) -> int:
    return AuditEvent.select().where(AuditEvent.action == action).count()


async def test_enter_pressed_again_while_a_parent_sign_in_is_checked_is_ignored(ctx):
    ctx.hasher = held = HeldHasher()
    app = ParentHarness(ctx, ParentSignInScreen)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_screen(app, ParentSignInScreen))
        app.screen.query_one("#username", Input).value = "alopez"
        app.screen.query_one("#password", Input).value = "not the password"
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert held.started.wait(timeout=30)
        await pilot.press("enter", "enter", "enter", "enter", "enter", "enter", "enter")
        held.release.set()
        await settle(pilot, app)
    assert PortalAccount.get(PortalAccount.username == "alopez").failed_attempts == 1
    assert attempts("signin") == 1


async def test_enter_pressed_again_while_a_staff_sign_in_is_checked_is_ignored(ctx):
    ctx.hasher = held = HeldHasher()
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.is_mounted)
        app.go_staff_sign_in()
        await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
        app.screen.query_one("#username", Input).value = "desk"
        field = app.screen.query_one("#password", SecretInput)
        field.value = "not the password"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert held.started.wait(timeout=30)
        field.value = "another guess"  # typed again while the first is checked
        await pilot.press("enter", "enter", "enter")
        held.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert StaffUser.get(StaffUser.username == "desk").failed_attempts == 1
    assert attempts("staff.signin") == 1


async def test_wrong_staff_passwords_at_return_sign_the_staff_member_out(ctx):
    app = make_app(ctx)
    limit = ctx.config.security.recheck_attempts
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        app.request_staff_return()
        for _ in range(limit):
            await wait_for(pilot, lambda: on_screen(app, StaffReauthModal))
            modal = app.screen
            await wait_for(pilot, lambda: not modal.checking)  # noqa: B023 - this round's modal
            await pilot.press(*"a guess", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        await wait_for(pilot, lambda: on_screen(app, WelcomeScreen))
        assert app.staff is None
        assert not [s for s in app.screen_stack if isinstance(s, StaffScreen | StaffReauthModal)]
    outcomes = [e.outcome for e in AuditEvent.select().where(AuditEvent.action == "staff.reauth")]
    assert outcomes == ["failed"] * (limit - 1) + ["signed_out"]
