"""Which students an account sees, and why a household student is missing."""

from __future__ import annotations

import pytest

from kiosk.auth import SYSTEM
from kiosk.errors import PermissionDenied
from kiosk.services import households


def test_linked_students_with_school_and_grade(any_ctx):
    students = households.linked_students(any_ctx, "G-1001")
    assert [(s.name, s.school, s.grade) for s in students] == [
        ("Mateo Garcia", "Roosevelt Middle", "7"),
        ("Sofia Garcia", "Lincoln Elementary", "3"),
    ]


def test_duplicate_person_record_is_diagnosed(any_ctx):
    missing = households.diagnose(any_ctx, SYSTEM, "G-1006")
    assert len(missing) == 1
    noah = missing[0]
    assert noah.name == "Noah Wilson" and noah.reason == "duplicate"
    assert noah.duplicate_guardian_id == "G-1007"
    assert "same name and phone" in noah.explanation
    assert "Merge" in noah.fix


def test_custody_and_portal_flags_are_diagnosed(ctx):
    assert [m.reason for m in households.diagnose(ctx, SYSTEM, "G-1008")] == ["custody"]
    assert households.linked_students(ctx, "G-1008") == []
    assert [m.reason for m in households.diagnose(ctx, SYSTEM, "G-1010")] == ["portal_off"]
    assert households.diagnose(ctx, SYSTEM, "G-1001") == []


def test_registrar_turns_portal_access_on(ctx):
    from tests.conftest import staff_actor

    desk = staff_actor(ctx, "desk")
    with pytest.raises(PermissionDenied, match="role"):
        households.set_relationship_flags(ctx, desk, "G-1010", "S-2009", portal_access=True)
    registrar = staff_actor(ctx, "registrar")
    households.set_relationship_flags(ctx, registrar, "G-1010", "S-2009", portal_access=True)
    assert [s.name for s in households.linked_students(ctx, "G-1010")] == ["Ava Nguyen"]
    assert households.diagnose(ctx, registrar, "G-1010") == []


def test_registrar_adds_a_missing_relationship(ctx):
    from tests.conftest import staff_actor

    registrar = staff_actor(ctx, "registrar")
    households.set_relationship_flags(ctx, registrar, "G-1006", "S-2007", create=True)
    assert [s.name for s in households.linked_students(ctx, "G-1006")] == [
        "Emma Wilson",
        "Noah Wilson",
    ]


def test_the_parents_page_shows_what_the_two_services_show_for_every_guardian(any_ctx):
    from kiosk.store.models import Guardian, Relationship

    # One link off and one restricted, so both the fast path and the diagnosis are exercised.
    link = Relationship.select().join(Guardian).where(Guardian.sourced_id == "G-1001").first()
    with any_ctx.store.write():
        Relationship.update(portal_access=False).where(Relationship.id == link.id).execute()
    ids = [g.sourced_id for g in Guardian.select(Guardian.sourced_id)]
    assert len(ids) >= 5
    diagnosed = 0
    for guardian_id in ids:
        linked, missing = households.students_for_parent(any_ctx, guardian_id)
        assert linked == households.linked_students(any_ctx, guardian_id), guardian_id
        assert missing == households.diagnose_for_parent(any_ctx, guardian_id), guardian_id
        diagnosed += bool(missing)
    assert diagnosed >= 2  # the duplicate record (G-1006) and the link turned off (G-1001)
