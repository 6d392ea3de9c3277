"""Sign-in: one generic failure, comparable work, growing delays, lockout, rehash."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from kiosk.auth import SYSTEM
from kiosk.demo import PARENT_PASSWORD
from kiosk.errors import AuthenticationFailed, PermissionDenied
from kiosk.hashing import Hasher
from kiosk.services import accounts, staff
from kiosk.store.models import AuditEvent, PortalAccount


class CountingHasher(Hasher):
    def __init__(self, inner: Hasher) -> None:
        super().__init__()
        self.inner = inner
        self.verifies = 0

    def hash(self, secret):
        return self.inner.hash(secret)

    def verify(self, stored, secret):
        self.verifies += 1
        return self.inner.verify(stored, secret)

    def needs_rehash(self, stored):
        return self.inner.needs_rehash(stored)


def _failure(ctx, username, password):
    with pytest.raises(AuthenticationFailed) as err:
        accounts.sign_in(ctx, username, password)
    return str(err.value)


def test_success_returns_a_session_and_resets_the_count(any_ctx):
    account = PortalAccount.get(PortalAccount.username == "alopez")
    account.failed_attempts = 2
    account.save()
    session = accounts.sign_in(any_ctx, "ALopez", PARENT_PASSWORD)
    assert session.username == "alopez" and session.guardian_id == "G-1003"
    assert session.requires == ()
    assert PortalAccount.get_by_id(account.id).failed_attempts == 0


def test_one_generic_answer_and_the_same_work_for_every_failure(ctx):
    counting = CountingHasher(ctx.hasher)
    ctx.hasher = counting
    answers = {}
    for case, (user, password) in {
        "unknown user": ("nobody-here", PARENT_PASSWORD),
        "wrong password": ("alopez", "wrong password entirely"),
        "disabled account": ("rchen", PARENT_PASSWORD),
        "locked account": ("ppatel", PARENT_PASSWORD),
    }.items():
        before = counting.verifies
        answers[case] = _failure(ctx, user, password)
        assert counting.verifies - before == 1, f"{case} must do exactly one argon2 verify"
    assert len(set(answers.values())) == 1, answers


def test_failures_grow_delays_then_lock_and_staff_unlock(ctx):
    policy = ctx.config.security
    for _ in range(policy.lockout_threshold):
        _failure(ctx, "alopez", "not the password at all")
    account = PortalAccount.get(PortalAccount.username == "alopez")
    assert account.failed_attempts == policy.lockout_threshold
    assert account.locked_until is not None
    delays = [d for d in ctx.sleep.delays if d]
    assert delays == sorted(delays) and len(set(delays)) > 2
    assert max(delays) <= policy.delay_max_seconds
    # Even the right password is refused while locked, with the same message.
    _failure(ctx, "alopez", PARENT_PASSWORD)
    staff.unlock_account(ctx, SYSTEM, "alopez")
    assert accounts.sign_in(ctx, "alopez", PARENT_PASSWORD).username == "alopez"


def test_the_lock_expires_on_its_own(ctx):
    for _ in range(ctx.config.security.lockout_threshold):
        _failure(ctx, "alopez", "not the password at all")
    ctx.clock.advance(minutes=ctx.config.security.lockout_minutes + 1)
    assert accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)


def test_failed_sign_ins_are_audited_without_the_password(ctx):
    _failure(ctx, "alopez", "a wrong secret 123")
    events = list(AuditEvent.select().where(AuditEvent.action == "signin"))
    assert events[-1].outcome == "failed"
    assert all("a wrong secret" not in (e.detail + e.target + e.actor) for e in events)


def test_hash_is_upgraded_when_parameters_change(ctx):
    account = PortalAccount.get(PortalAccount.username == "alopez")
    old = account.password_hash
    ctx.hasher = Hasher(PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    new = PortalAccount.get_by_id(account.id).password_hash
    assert new != old and "m=2048,t=2" in new
    accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)


def test_temporary_password_only_allows_choosing_a_new_one(ctx):
    temp = staff.reset_password(ctx, SYSTEM, "alopez", "photo_id")
    session = accounts.sign_in(ctx, "alopez", temp.password)
    assert session.restricted and session.requires == (accounts.CHANGE_PASSWORD,)
    with pytest.raises(PermissionDenied, match="new password first"):
        accounts.set_pictures(ctx, session, ["apple"] * 8, ["boat"] * 8)
    with pytest.raises(PermissionDenied):
        accounts.start_recovery_email(ctx, session, "a@example.org", "a@example.org", temp.password)
    fresh = accounts.change_password(
        ctx, session, temp.password, "a brand new passphrase", "a brand new passphrase"
    )
    assert not fresh.restricted
    assert accounts.sign_in(ctx, "alopez", "a brand new passphrase").requires == ()


def test_an_expired_temporary_password_is_explained(ctx):
    temp = staff.reset_password(ctx, SYSTEM, "alopez", "photo_id")
    ctx.clock.advance(hours=ctx.config.security.temporary_password_hours + 1)
    with pytest.raises(AuthenticationFailed, match="temporary password has expired"):
        accounts.sign_in(ctx, "alopez", temp.password)


def test_production_hasher_uses_argon2id_defaults():
    hashed = Hasher().hash("x" * 20)
    defaults = PasswordHasher()
    assert hashed.startswith("$argon2id$")
    assert f"m={defaults.memory_cost},t={defaults.time_cost},p={defaults.parallelism}" in hashed
