"""Staff look-ups and fixes: reset, enable, disable, unlock, re-issue; staff users."""

from __future__ import annotations

import json

import pytest

from kiosk.auth import SYSTEM
from kiosk.demo import PARENT_PASSWORD
from kiosk.errors import AuthenticationFailed, PermissionDenied, ValidationError
from kiosk.services import accounts, activation, staff
from kiosk.store.models import AuditEvent, PortalAccount, StaffUser
from tests.conftest import staff_actor


def test_look_up_by_username_guardian_or_student(ctx, desk):
    assert [a.username for a in staff.find_accounts(ctx, desk, "ALOPEZ")] == ["alopez"]
    assert [a.username for a in staff.find_accounts(ctx, desk, "ana lo")] == ["alopez"]
    assert [a.username for a in staff.find_accounts(ctx, desk, "lucas")] == ["alopez"]
    assert [a.username for a in staff.find_accounts(ctx, desk, "100203")] == ["alopez"]
    status = staff.account_status(ctx, desk, "rchen")
    assert status.state == "disabled" and status.guardian_name == "Robert Chen"


def test_front_desk_cannot_see_other_schools_accounts(ctx, desk):
    assert staff.find_accounts(ctx, desk, "ppatel") == []  # Aarav is at the high school
    with pytest.raises(PermissionDenied):
        staff.account_status(ctx, desk, "ppatel")
    hsdesk = staff_actor(ctx, "hsdesk")
    assert staff.account_status(ctx, hsdesk, "ppatel").state == "locked"


def test_reset_records_the_proof_and_gives_a_temporary_password(ctx, desk):
    temp = staff.reset_password(
        ctx, desk, "alopez", "guardianship_questions", list(staff.GUARDIANSHIP_QUESTIONS)
    )
    assert len(temp.password) == 19
    account = PortalAccount.get(PortalAccount.username == "alopez")
    assert account.must_change_password
    assert temp.password.replace("-", "") not in account.password_hash
    event = AuditEvent.select().where(AuditEvent.action == "account.reset").get()
    detail = json.loads(event.detail)
    assert detail["proof"] == "guardianship_questions"
    assert len(detail["questions"]) == 5
    assert temp.password not in event.detail
    with pytest.raises(AuthenticationFailed):
        accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)


def test_reset_needs_every_guardianship_question(ctx, desk):
    with pytest.raises(ValidationError, match="home phone"):
        staff.reset_password(
            ctx,
            desk,
            "alopez",
            "guardianship_questions",
            ["parent_name", "student_name", "mailing_address", "ssn_or_student_id"],
        )
    with pytest.raises(ValidationError, match="photo ID or the guardianship"):
        staff.reset_password(ctx, desk, "alopez", "a hunch")


def test_enable_disable_unlock(ctx, desk):
    assert staff.enable_account(ctx, desk, "rchen").state == "active"
    assert accounts.sign_in(ctx, "rchen", PARENT_PASSWORD)
    session = accounts.sign_in(ctx, "rchen", PARENT_PASSWORD)
    assert staff.disable_account(ctx, desk, "rchen").state == "disabled"
    with pytest.raises(PermissionDenied, match="session has ended"):
        accounts.refresh(ctx, session)
    hsdesk = staff_actor(ctx, "hsdesk")
    assert staff.unlock_account(ctx, hsdesk, "ppatel").state == "active"
    assert accounts.sign_in(ctx, "ppatel", PARENT_PASSWORD)


def test_reissue_key_for_a_lost_letter(ctx, desk):
    first = activation.issue_key(ctx, desk, "G-1002")
    second = activation.issue_key(ctx, desk, "G-1002")
    assert first.key != second.key
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.target == "G-1002")]
    assert actions == ["key.issue", "key.issue"]


def test_staff_sign_in_and_lockout(ctx):
    actor = staff.staff_sign_in(ctx, "Desk", "front-desk-demo-pass")
    assert actor.role == "front_desk" and len(actor.school_ids) == 2
    for _ in range(ctx.config.security.lockout_threshold):
        with pytest.raises(AuthenticationFailed):
            staff.staff_sign_in(ctx, "desk", "nope nope nope")
    with pytest.raises(AuthenticationFailed):
        staff.staff_sign_in(ctx, "desk", "front-desk-demo-pass")


def test_add_staff_checks_role_schools_and_password(ctx):
    with pytest.raises(ValidationError, match="at least 15"):
        staff.add_staff(ctx, SYSTEM, "newdesk", "short", "front_desk", ["ES"])
    with pytest.raises(ValidationError, match="at least one --school"):
        staff.add_staff(ctx, SYSTEM, "newdesk", "a long staff passphrase", "front_desk", [])
    with pytest.raises(Exception, match="No school with code 'XX'"):
        staff.add_staff(ctx, SYSTEM, "newdesk", "a long staff passphrase", "front_desk", ["XX"])
    info = staff.add_staff(ctx, SYSTEM, "newdesk", "a long staff passphrase", "front_desk", ["HS"])
    assert info.schools == ["HS"]
    assert StaffUser.get(StaffUser.username == "newdesk").password_hash.startswith("$argon2id")
    with pytest.raises(PermissionDenied):
        staff.add_staff(
            ctx, staff_actor(ctx, "desk"), "x2", "a long staff passphrase", "front_desk", ["HS"]
        )
