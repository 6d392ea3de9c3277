"""First sign-in requirements (recovery email, pictures) and account settings."""

from __future__ import annotations

import pytest

from kiosk.auth import SYSTEM
from kiosk.demo import DISLIKED, LIKED, PARENT_PASSWORD
from kiosk.errors import AuthenticationFailed, PermissionDenied, ValidationError
from kiosk.services import accounts, activation
from kiosk.store.models import EmailCode, PortalAccount, SecurityPreferences
from tests.conftest import latest_code, outbox

PASSWORD = "maple syrup on pancakes"


@pytest.fixture
def new_session(ctx):
    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    activation.redeem_key(ctx, issued.key, "mgarcia", PASSWORD, PASSWORD)
    return accounts.sign_in(ctx, "mgarcia", PASSWORD)


def test_a_new_account_must_set_email_and_pictures(new_session):
    assert set(new_session.requires) == {accounts.RECOVERY_EMAIL, accounts.PICTURES}
    assert new_session.may_skip


def test_recovery_email_is_typed_twice_needs_the_password_and_a_code(ctx, new_session):
    with pytest.raises(ValidationError, match="different"):
        accounts.start_recovery_email(ctx, new_session, "m@example.org", "n@example.org", PASSWORD)
    with pytest.raises(ValidationError, match="does not look like an email"):
        accounts.start_recovery_email(ctx, new_session, "not-an-email", "not-an-email", PASSWORD)
    with pytest.raises(AuthenticationFailed):
        accounts.start_recovery_email(
            ctx, new_session, "m@example.org", "M@example.org", "wrong password"
        )
    accounts.start_recovery_email(ctx, new_session, "m@example.org", "M@example.org", PASSWORD)
    message = outbox(ctx)[-1]
    assert message["To"] == "m@example.org"
    code = latest_code(ctx)
    assert code not in EmailCode.get().code_hash
    with pytest.raises(ValidationError, match="4 tries left"):
        accounts.confirm_recovery_email(
            ctx, new_session, "00000000" if code != "00000000" else "11111111"
        )
    assert EmailCode.get().attempts == 1
    session = accounts.confirm_recovery_email(ctx, new_session, f"{code[:4]} {code[4:]}")
    assert session.requires == (accounts.PICTURES,)
    account = PortalAccount.get(PortalAccount.username == "mgarcia")
    assert account.recovery_email == "m@example.org" and account.recovery_email_verified
    with pytest.raises(ValidationError, match="expired or was already used"):
        accounts.confirm_recovery_email(ctx, new_session, code)


def test_email_codes_expire(ctx, new_session):
    accounts.start_recovery_email(ctx, new_session, "m@example.org", "m@example.org", PASSWORD)
    ctx.clock.advance(minutes=ctx.config.security.email_code_minutes + 1)
    with pytest.raises(ValidationError, match="expired"):
        accounts.confirm_recovery_email(ctx, new_session, latest_code(ctx))


def test_pictures_are_8_liked_and_8_disliked_and_stored_hashed(ctx, new_session):
    with pytest.raises(ValidationError, match="exactly 8"):
        accounts.set_pictures(ctx, new_session, LIKED[:7], DISLIKED)
    with pytest.raises(ValidationError, match="both liked and disliked"):
        accounts.set_pictures(ctx, new_session, LIKED, LIKED[:1] + DISLIKED[1:])
    with pytest.raises(ValidationError, match="from the pictures shown"):
        accounts.set_pictures(ctx, new_session, LIKED, [*DISLIKED[:7], "dragon"])
    session = accounts.set_pictures(ctx, new_session, LIKED, DISLIKED)
    assert session.requires == (accounts.RECOVERY_EMAIL,)
    prefs = SecurityPreferences.get()
    assert prefs.pictures.split(",") == sorted(LIKED + DISLIKED)
    assert "apple" not in prefs.liked_hash and prefs.liked_hash.startswith("$argon2id$")


def test_setup_may_be_skipped_twice_then_is_required(ctx, new_session):
    assert accounts.skip_setup(ctx, new_session).requires == ()
    second = accounts.sign_in(ctx, "mgarcia", PASSWORD)
    assert second.may_skip
    accounts.skip_setup(ctx, second)
    third = accounts.sign_in(ctx, "mgarcia", PASSWORD)
    assert not third.may_skip and third.requires
    with pytest.raises(PermissionDenied, match="needed now"):
        accounts.skip_setup(ctx, third)


def test_change_password_needs_the_current_one_and_ends_other_sessions(ctx):
    first = accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    other = accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    with pytest.raises(AuthenticationFailed, match="current password"):
        accounts.change_password(
            ctx, first, "wrong", "a fresh new passphrase", "a fresh new passphrase"
        )
    fresh = accounts.change_password(
        ctx, first, PARENT_PASSWORD, "a fresh new passphrase", "a fresh new passphrase"
    )
    accounts.refresh(ctx, fresh)
    with pytest.raises(PermissionDenied, match="session has ended"):
        accounts.refresh(ctx, other)
    notice = outbox(ctx)[-1]
    assert notice["To"] == "ana.lopez@example.org"
    assert "password was changed" in notice["Subject"]
    assert "a fresh new passphrase" not in notice.get_content()


def test_changing_email_needs_the_password_and_tells_the_old_address(ctx):
    session = accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        accounts.change_recovery_email(ctx, session, "nope", "new@example.org", "new@example.org")
    accounts.change_recovery_email(
        ctx, session, PARENT_PASSWORD, "new@example.org", "new@example.org"
    )
    accounts.confirm_recovery_email(ctx, session, latest_code(ctx))
    notice = outbox(ctx)[-1]
    assert notice["To"] == "ana.lopez@example.org"
    assert "new@example.org" in notice.get_content()


def test_changing_pictures_needs_the_password_and_sends_a_notice(ctx):
    session = accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    with pytest.raises(AuthenticationFailed):
        accounts.set_pictures(ctx, session, DISLIKED, LIKED)
    accounts.set_pictures(ctx, session, DISLIKED, LIKED, password=PARENT_PASSWORD)
    assert "pictures were changed" in outbox(ctx)[-1]["Subject"]
