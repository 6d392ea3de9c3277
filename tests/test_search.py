"""Search as you type: words, numbers, phones, emails; only what the staff member may see."""

from __future__ import annotations

import pytest

from kiosk.auth import SYSTEM
from kiosk.services.people import search
from kiosk.store.db import MIGRATIONS, open_store
from kiosk.store.models import Guardian, SchemaVersion, SearchTerm, Student
from kiosk.text import digits, fold
from tests.conftest import staff_actor


def _names(hits, kind=None):
    return [h.name for h in hits if kind is None or h.kind == kind]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("g", "Maria Garcia"),
        ("GAR", "Maria Garcia"),
        ("maria gar", "Maria Garcia"),
        ("gar mar", "Maria Garcia"),
        ("555-0101", "Maria Garcia"),
        ("(555) 0101", "Maria Garcia"),
        ("0101", "Maria Garcia"),
        ("maria.garcia@EXAMPLE", "Maria Garcia"),
    ],
)
def test_guardians_by_name_words_phone_and_email(any_ctx, typed, expected):
    assert expected in _names(search(any_ctx, SYSTEM, typed), "guardian")


def test_students_by_name_and_number(any_ctx):
    assert len(_names(search(any_ctx, SYSTEM, "1002"), "student")) == 10
    assert _names(search(any_ctx, SYSTEM, "100207"), "student") == ["Noah Wilson"]
    assert _names(search(any_ctx, SYSTEM, "liam"), "student") == ["[bold]Liam[/bold] O'Neil"]
    assert _names(search(any_ctx, SYSTEM, "o'neil"), "guardian") == ["Siobhan O'Neil"]


def test_every_word_must_match(ctx):
    assert search(ctx, SYSTEM, "maria wilson") == []
    assert search(ctx, SYSTEM, "  ") == []


def test_accents_and_case_fold(ctx):
    with ctx.store.write():
        g = Guardian.create(
            sourced_id="G-9",
            given_name="José",
            family_name="Núñez",
            search_name=fold("José Núñez"),
            phone="555-0199",
            phone_digits=digits("555-0199"),
        )
        from kiosk.store.search_index import index_guardian

        index_guardian(g)
    assert _names(search(ctx, SYSTEM, "nunez jose")) == ["José Núñez"]
    assert _names(search(ctx, SYSTEM, "NÚÑ")) == ["José Núñez"]


def test_front_desk_sees_only_their_schools(ctx):
    desk = staff_actor(ctx, "desk")  # ES and MS
    hsdesk = staff_actor(ctx, "hsdesk")  # HS
    assert _names(search(ctx, desk, "patel")) == []
    assert _names(search(ctx, hsdesk, "patel")) == ["Aarav Patel", "Priya Patel"]
    assert _names(search(ctx, hsdesk, "garcia")) == []


def test_inactive_students_are_not_found(ctx):
    Student.update(active=False).where(Student.sourced_id == "S-2001").execute()
    assert "Sofia Garcia" not in _names(search(ctx, SYSTEM, "sofia"))


def test_a_version_1_database_upgrades_and_is_indexed(ctx, tmp_path):
    SearchTerm.delete().execute()
    ctx.store.db.drop_tables([SearchTerm])
    SchemaVersion.delete().where(SchemaVersion.version > 1).execute()
    store = open_store(ctx.store.url)
    assert store.schema_version() == 1
    assert store.migrate() == (1, max(MIGRATIONS))
    assert SearchTerm.select().count() > 50
    assert "Maria Garcia" in _names(search(ctx, SYSTEM, "mar"))


def test_imported_people_are_searchable(ctx, tmp_path):
    from bench.generate import generate
    from kiosk.services.roster import import_roster

    generate(tmp_path / "roster", 40, seed=3)
    import_roster(ctx, SYSTEM, tmp_path / "roster")
    student = (
        Student.select()
        .where(Student.sourced_id.not_in([f"S-20{n:02d}" for n in range(1, 11)]))
        .first()
    )
    hits = search(ctx, SYSTEM, f"{student.given_name} {student.family_name[:3]}")
    assert student.sourced_id in [h.id for h in hits]
    guardian = Guardian.select().where(Guardian.phone != "").order_by(Guardian.id.desc()).first()
    assert guardian.sourced_id in [h.id for h in search(ctx, SYSTEM, guardian.phone)]
