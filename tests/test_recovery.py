"""Forgot password and forgot username."""

from __future__ import annotations

import pytest

from kiosk.demo import DISLIKED, LIKED, PARENT_PASSWORD
from kiosk.errors import AuthenticationFailed, PermissionDenied, ValidationError
from kiosk.services import accounts, recovery
from kiosk.store.models import EmailCode, PortalAccount
from tests.conftest import latest_code, outbox

NEW = "a completely new passphrase"


def test_the_same_answer_whether_or_not_the_account_exists(ctx):
    answers = {
        recovery.request_password_reset(ctx, who)
        for who in ("alopez", "nobody-at-all", "ana.lopez@example.org", "ghost@example.org", "")
    }
    assert len(answers) == 1
    assert [m["To"] for m in outbox(ctx)] == ["ana.lopez@example.org"] * 2


def test_requests_never_lock_anyone_out(ctx):
    for _ in range(ctx.config.security.lockout_threshold + 5):
        recovery.request_password_reset(ctx, "alopez")
    account = PortalAccount.get(PortalAccount.username == "alopez")
    assert account.failed_attempts == 0 and account.locked_until is None
    assert accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)


def test_reset_with_code_and_pictures(ctx):
    other_session = accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    recovery.request_password_reset(ctx, "alopez")
    code = latest_code(ctx)
    assert code not in EmailCode.get().code_hash
    challenge = recovery.check_reset_code(ctx, "alopez", code)
    assert sorted(challenge.pictures) == sorted(LIKED + DISLIKED)
    assert (
        recovery.finish_password_reset(ctx, "alopez", code, list(reversed(LIKED)), NEW, NEW)
        == "alopez"
    )
    assert accounts.sign_in(ctx, "alopez", NEW)
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    with pytest.raises(PermissionDenied, match="session has ended"):
        accounts.refresh(ctx, other_session)
    notice = outbox(ctx)[-1]
    assert "password was reset" in notice["Subject"] and NEW not in notice.get_content()
    with pytest.raises(ValidationError, match="not right or has expired"):
        recovery.check_reset_code(ctx, "alopez", code)


def test_wrong_pictures_count_as_failed_attempts(ctx):
    recovery.request_password_reset(ctx, "alopez")
    code = latest_code(ctx)
    with pytest.raises(ValidationError, match="not the pictures"):
        recovery.finish_password_reset(ctx, "alopez", code, DISLIKED, NEW, NEW)
    assert PortalAccount.get(PortalAccount.username == "alopez").failed_attempts == 1
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in(ctx, "alopez", NEW)


def test_reset_codes_expire_within_thirty_minutes(ctx):
    assert ctx.config.security.email_code_minutes <= 30
    recovery.request_password_reset(ctx, "alopez")
    ctx.clock.advance(minutes=ctx.config.security.email_code_minutes + 1)
    with pytest.raises(ValidationError, match="not right or has expired"):
        recovery.check_reset_code(ctx, "alopez", latest_code(ctx))


def test_wrong_codes_are_limited(ctx):
    recovery.request_password_reset(ctx, "alopez")
    code = latest_code(ctx)
    wrong = "12345678" if code != "12345678" else "87654321"
    for _ in range(ctx.config.security.email_code_attempts):
        with pytest.raises(ValidationError):
            recovery.check_reset_code(ctx, "alopez", wrong)
    with pytest.raises(ValidationError):
        recovery.check_reset_code(ctx, "alopez", code)


def test_the_new_password_follows_the_policy(ctx):
    recovery.request_password_reset(ctx, "alopez")
    code = latest_code(ctx)
    with pytest.raises(ValidationError, match="at least 15"):
        recovery.finish_password_reset(ctx, "alopez", code, LIKED, "short", "short")


def test_forgot_username_emails_usernames_on_that_verified_address(ctx):
    first = recovery.forgot_username(ctx, "ANA.LOPEZ@example.org")
    second = recovery.forgot_username(ctx, "ghost@example.org")
    assert first == second
    messages = outbox(ctx)
    assert len(messages) == 1
    assert "alopez" in messages[0].get_content()
    assert messages[0]["To"] == "ana.lopez@example.org"
    assert PARENT_PASSWORD not in messages[0].get_content()


@pytest.mark.parametrize("change", [{"enabled": False}, {"recovery_email_verified": False}])
def test_forgot_username_names_no_disabled_account_and_no_unverified_address(ctx, change):
    with ctx.store.write():
        PortalAccount.update(**change).where(PortalAccount.username == "alopez").execute()
    recovery.forgot_username(ctx, "ana.lopez@example.org")
    ctx.flush_mail()
    assert outbox(ctx) == []
