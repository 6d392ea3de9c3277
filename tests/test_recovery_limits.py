"""Recovery codes cannot be flooded: requests are rate limited per account and per kiosk with
the same answer, and a request the owner did not make does not cancel the owner's code."""

from __future__ import annotations

import pytest

from kiosk.demo import LIKED
from kiosk.errors import ValidationError
from kiosk.services import recovery
from kiosk.store.models import AuditEvent
from tests.conftest import latest_code, outbox

NEW = "a completely new passphrase"


def sent_to(ctx, address: str) -> int:
    return sum(1 for m in outbox(ctx) if m["To"] == address)


def test_a_flood_of_requests_sends_a_few_codes_and_always_the_same_answer(any_ctx):
    answers = {recovery.request_password_reset(any_ctx, "alopez") for _ in range(100)}
    assert len(answers) == 1
    assert sent_to(any_ctx, "ana.lopez@example.org") == recovery.CODES_PER_ACCOUNT.count
    limited = AuditEvent.select().where(
        AuditEvent.action == "recovery.code_sent", AuditEvent.outcome == "rate_limited"
    )
    assert limited.count() == 100 - recovery.CODES_PER_ACCOUNT.count


def test_the_account_limit_frees_up_after_its_window(ctx):
    for _ in range(recovery.CODES_PER_ACCOUNT.count + 2):
        recovery.request_password_reset(ctx, "alopez")
    ctx.clock.advance(seconds=2 * recovery.CODES_PER_ACCOUNT.window_seconds)
    before = sent_to(ctx, "ana.lopez@example.org")
    recovery.request_password_reset(ctx, "alopez")
    assert sent_to(ctx, "ana.lopez@example.org") == before + 1


def test_one_kiosk_cannot_send_codes_without_end(ctx):
    answers = {
        recovery.request_password_reset(ctx, f"nobody-{n}")
        for n in range(recovery.CODES_PER_KIOSK.count)
    }
    answers.add(recovery.request_password_reset(ctx, "alopez"))
    assert len(answers) == 1
    assert sent_to(ctx, "ana.lopez@example.org") == 0


def test_requests_the_owner_did_not_make_do_not_cancel_the_owners_code(any_ctx):
    recovery.request_password_reset(any_ctx, "alopez")  # the owner
    owners = latest_code(any_ctx)
    for _ in range(20):  # someone else, at another moment
        recovery.request_password_reset(any_ctx, "alopez")
    assert recovery.check_reset_code(any_ctx, "alopez", owners).pictures
    assert recovery.finish_password_reset(any_ctx, "alopez", owners, LIKED, NEW, NEW) == "alopez"


def test_after_a_reset_no_other_code_works(ctx):
    recovery.request_password_reset(ctx, "alopez")
    first = latest_code(ctx)
    recovery.request_password_reset(ctx, "alopez")
    second = latest_code(ctx)
    recovery.finish_password_reset(ctx, "alopez", second, LIKED, NEW, NEW)
    with pytest.raises(ValidationError, match="not right or has expired"):
        recovery.check_reset_code(ctx, "alopez", first)


def test_several_live_codes_do_not_add_up_to_more_guesses(ctx):
    for _ in range(recovery.CODES_PER_ACCOUNT.count):
        recovery.request_password_reset(ctx, "alopez")
    owners = latest_code(ctx)
    for _ in range(ctx.config.security.email_code_attempts):
        with pytest.raises(ValidationError):
            recovery.check_reset_code(ctx, "alopez", "00000000")
    with pytest.raises(ValidationError):
        recovery.check_reset_code(ctx, "alopez", owners)  # spent: too many wrong guesses
