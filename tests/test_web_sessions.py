"""Web sessions in the database (SQLite and PostgreSQL): lifetimes, epochs, first sign-in."""

from __future__ import annotations

import pytest

from kiosk.demo import PARENT_PASSWORD
from kiosk.services import web_sessions
from kiosk.services.accounts import CHANGE_PASSWORD, PICTURES, RECOVERY_EMAIL
from kiosk.store.models import PortalAccount, SecurityPreferences, WebSession
from tests.conftest import staff_actor


def test_a_session_is_live_until_idle_too_long(any_ctx):
    session_id, state = web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
    assert state.pending == () and state.account.username == "alopez"
    idle = any_ctx.config.web.session_idle_minutes
    any_ctx.clock.advance(minutes=idle - 1)
    assert web_sessions.load(any_ctx, session_id) is not None  # and that use counts as activity
    any_ctx.clock.advance(minutes=idle - 1)
    assert web_sessions.load(any_ctx, session_id) is not None
    any_ctx.clock.advance(minutes=idle + 1)
    assert web_sessions.load(any_ctx, session_id) is None
    assert WebSession.select().count() == 0  # an ended session is deleted


def test_a_busy_session_still_ends_at_its_absolute_lifetime(any_ctx):
    session_id, _ = web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
    hours = any_ctx.config.web.session_absolute_hours
    for _ in range(hours * 4):
        any_ctx.clock.advance(minutes=15)
        if web_sessions.load(any_ctx, session_id) is None:
            break
    else:
        pytest.fail("the session outlived its absolute lifetime")
    assert any_ctx.clock.offset.total_seconds() <= hours * 3600 + 900


def test_a_staff_reset_ends_every_web_session_of_the_account(any_ctx):
    from kiosk.services import staff

    first, _ = web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
    second, _ = web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
    staff.reset_password(any_ctx, staff_actor(any_ctx, "registrar"), "alopez", "photo_id")
    assert web_sessions.load(any_ctx, first) is None
    assert web_sessions.load(any_ctx, second) is None


def test_a_temporary_password_allows_only_choosing_a_new_one(any_ctx):
    from kiosk.services import staff

    temp = staff.reset_password(any_ctx, staff_actor(any_ctx, "registrar"), "alopez", "photo_id")
    session_id, state = web_sessions.sign_in(any_ctx, "alopez", temp.password)
    assert state.pending == (CHANGE_PASSWORD,)
    with pytest.raises(Exception, match="Choose a new password first"):
        web_sessions.defer_setup(any_ctx, session_id)


def test_first_sign_in_may_be_put_off_twice_then_is_required(any_ctx):
    account = PortalAccount.get(PortalAccount.username == "alopez")
    account.recovery_email_verified = False
    account.save()
    SecurityPreferences.delete().execute()
    allowed = any_ctx.config.security.setup_skips_allowed
    for _ in range(allowed):
        session_id, state = web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
        assert state.pending == (RECOVERY_EMAIL, PICTURES) and state.account.may_skip
        assert web_sessions.defer_setup(any_ctx, session_id).pending == ()
    session_id, state = web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
    assert not state.account.may_skip
    with pytest.raises(Exception, match="needed now"):
        web_sessions.defer_setup(any_ctx, session_id)
    assert web_sessions.load(any_ctx, session_id).pending == (RECOVERY_EMAIL, PICTURES)


def test_expired_sessions_are_purged(any_ctx):
    web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
    any_ctx.clock.advance(hours=any_ctx.config.web.session_absolute_hours + 1)
    assert web_sessions.purge_expired(any_ctx) == 1


def test_unknown_or_oversized_ids_are_no_session(any_ctx):
    assert web_sessions.load(any_ctx, "nope") is None
    assert web_sessions.load(any_ctx, "x" * 10_000) is None
    assert web_sessions.load(any_ctx, None) is None
