"""Verify a request, issue a key, redeem it: the core of the front-desk visit."""

from __future__ import annotations

import pytest

from kiosk import keys
from kiosk.auth import SYSTEM
from kiosk.errors import KeyProblem, PermissionDenied, ValidationError
from kiosk.services import activation
from kiosk.services.activation import AlreadyHasAccount
from kiosk.store.models import ActivationKey, PortalAccount, PortalRequest
from tests.conftest import staff_actor

GOOD_PASSWORD = "maple syrup on pancakes"


def test_staff_verify_a_request_and_it_is_recorded(any_ctx):
    desk = staff_actor(any_ctx, "desk")
    result = activation.verify_request(
        any_ctx, desk, "G-1001", ["S-2001", "S-2002"], "drivers_license", True
    )
    assert result.student_names == ["Sofia Garcia", "Mateo Garcia"]
    request = PortalRequest.get_by_id(result.request_id)
    assert request.id_type == "drivers_license"
    assert request.staff.username == "desk"
    assert request.kiosk_id == any_ctx.kiosk_id
    assert len(list(request.student_links)) == 2


@pytest.mark.parametrize(
    ("guardian", "students", "id_type", "signed", "error", "message"),
    [
        ("G-1001", ["S-2001"], "", True, ValidationError, "kind of photo ID"),
        ("G-1001", ["S-2001"], "passport", False, ValidationError, "Watch the parent sign"),
        ("G-1001", [], "passport", True, ValidationError, "at least one student"),
        ("G-1001", ["S-2003"], "passport", True, PermissionDenied, "not recorded as a parent"),
        ("G-1008", ["S-2008"], "passport", True, PermissionDenied, "custody restriction"),
        ("G-1010", ["S-2009"], "passport", True, PermissionDenied, "Portal access is turned off"),
    ],
)
def test_verify_refuses_with_a_reason(
    ctx, desk, guardian, students, id_type, signed, error, message
):
    with pytest.raises(error, match=message):
        activation.verify_request(ctx, desk, guardian, students, id_type, signed)
    assert PortalRequest.select().count() == 0


def test_verify_refuses_staff_of_another_school(ctx):
    hsdesk = staff_actor(ctx, "hsdesk")
    with pytest.raises(PermissionDenied, match="not in a school you serve"):
        activation.verify_request(ctx, hsdesk, "G-1001", ["S-2001"], "passport", True)


def test_verify_for_a_guardian_with_an_account_names_the_username_and_status(ctx, desk):
    with pytest.raises(AlreadyHasAccount) as err:
        activation.verify_request(ctx, desk, "G-1004", ["S-2004"], "passport", True)
    assert err.value.username == "rchen"
    assert err.value.status == "disabled"
    assert "rchen" in str(err.value)


def test_each_parent_in_a_household_gets_a_different_key(any_ctx):
    maria = activation.issue_key(any_ctx, SYSTEM, "G-1001")
    luis = activation.issue_key(any_ctx, SYSTEM, "G-1002")
    assert maria.key != luis.key
    assert maria.guardian_name == "Maria Garcia"
    assert (maria.expires_at - any_ctx.clock.now()).days in (29, 30)


def test_keys_are_stored_only_as_hashes(ctx):
    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    row = ActivationKey.get()
    digits = keys.normalize_key(issued.key)
    assert digits not in row.key_hash.upper()
    assert row.key_hash == keys.hash_key(issued.key)


def test_reissuing_revokes_the_old_key(any_ctx):
    first = activation.issue_key(any_ctx, SYSTEM, "G-1001")
    second = activation.issue_key(any_ctx, SYSTEM, "G-1001")
    with pytest.raises(KeyProblem, match="replaced by a newer one") as err:
        activation.redeem_key(any_ctx, first.key, "mgarcia", GOOD_PASSWORD, GOOD_PASSWORD)
    assert err.value.code == "revoked"
    activation.check_key(any_ctx, second.key)


def test_no_key_for_someone_without_portal_rights(ctx):
    with pytest.raises(PermissionDenied, match="no student they may see"):
        activation.issue_key(ctx, SYSTEM, "G-1010")


def test_redeeming_creates_the_account_exactly_once(any_ctx):
    issued = activation.issue_key(any_ctx, SYSTEM, "G-1001")
    account = activation.redeem_key(
        any_ctx, issued.key.lower().strip("{}"), "MGarcia", GOOD_PASSWORD, GOOD_PASSWORD
    )
    assert account.guardian_id == "G-1001"
    row = PortalAccount.get(PortalAccount.username_norm == "mgarcia")
    assert row.guardian.sourced_id == "G-1001"
    assert row.password_hash.startswith("$argon2id$")
    with pytest.raises(KeyProblem, match="already been used") as err:
        activation.redeem_key(any_ctx, issued.key, "mgarcia2", GOOD_PASSWORD, GOOD_PASSWORD)
    assert err.value.code == "used"
    assert PortalAccount.select().count() == 4


def test_unknown_and_expired_keys_say_what_to_do(ctx):
    with pytest.raises(KeyProblem, match="could not find") as err:
        activation.redeem_key(ctx, keys.new_key(), "someone", GOOD_PASSWORD, GOOD_PASSWORD)
    assert err.value.code == "unknown"
    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    ctx.clock.advance(days=31)
    with pytest.raises(KeyProblem, match=r"expired.*front desk") as err:
        activation.check_key(ctx, issued.key)
    assert err.value.code == "expired"


def test_malformed_keys_are_explained_before_anything_else(ctx):
    with pytest.raises(KeyProblem, match="only uses the digits"):
        activation.redeem_key(ctx, "not-a-key!", "someone", GOOD_PASSWORD, GOOD_PASSWORD)


def test_usernames_are_unique_ignoring_case_and_width(ctx):
    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    # Fullwidth letters fold to the existing "alopez" under NFKC.
    with pytest.raises(ValidationError, match="taken"):
        activation.redeem_key(ctx, issued.key, "ＡＬｏｐｅｚ", GOOD_PASSWORD, GOOD_PASSWORD)
    # The key is still usable after a refused username.
    activation.redeem_key(ctx, issued.key, "mgarcia", GOOD_PASSWORD, GOOD_PASSWORD)


def test_every_reason_for_a_refusal_is_listed(ctx):
    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    with pytest.raises(ValidationError) as err:
        activation.redeem_key(ctx, issued.key, "a b", "short", "different")
    reasons = " ".join(str(reason) for reason in err.value.reasons)
    assert "Spaces" in reasons
    assert "at least 15 characters" in reasons
    assert "different" in reasons
    assert PortalAccount.select().count() == 3


def test_username_availability_for_live_feedback(ctx):
    key = activation.issue_key(ctx, SYSTEM, "G-1001").key
    assert [str(p) for p in activation.username_available(ctx, key, "ALOPEZ")] == [
        "That username is taken; choose another one."
    ]
    assert activation.username_available(ctx, key, "newparent") == []
