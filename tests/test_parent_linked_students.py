"""Linked students: what the parent sees, and what staff see and fix when a child is missing."""

from __future__ import annotations

import shutil

from kiosk.screens.linked_students import LinkedStudentsScreen
from kiosk.services.households import linked_students
from tests.conftest import build_context, make_config, staff_actor
from tests.test_parent_harness import ParentHarness, settle, texts


def screen_for(guardian_id: str, staff_view: bool = False):
    return lambda: LinkedStudentsScreen(guardian_id=guardian_id, staff_view=staff_view)


async def test_parent_view_lists_students_portal_sections_app_code_and_support(ctx):
    app = ParentHarness(ctx, screen_for("G-1001"), pushed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        shown = texts(app)
        assert "Sofia Garcia: Lincoln Elementary, grade 3" in shown
        assert "Mateo Garcia: Roosevelt Middle, grade 7" in shown
        assert "grades, assignments, attendance, schedule, report cards" in shown
        assert "District code for the mobile app: TVS" in shown
        assert "Email: help@example.org" in shown and "Phone: 555-0100" in shown
        assert "cannot see" not in shown  # no staff diagnosis for parents
        await pilot.click("#done")
        await settle(pilot, app)
        assert type(app.screen).__name__ != "LinkedStudentsScreen"


async def test_district_without_attendance_says_so(tmp_path, demo_template):
    config = make_config(
        tmp_path, portal={"shows": ["grades", "schedule"]}, support={"response_time": "in 2 days"}
    )
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    ctx = build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")
    try:
        app = ParentHarness(ctx, screen_for("G-1001"), pushed=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            shown = texts(app)
            assert "Attendance is not shown in this district's portal" in shown
            assert "We answer in 2 days." in shown
    finally:
        ctx.close()


async def test_staff_see_the_duplicate_record_diagnosis(ctx):
    app = ParentHarness(
        ctx, screen_for("G-1006", True), pushed=True, staff=staff_actor(ctx, "registrar")
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        shown = texts(app)
        assert "Emma Wilson" in shown
        assert (
            "Noah Wilson (Roosevelt Middle): The link to Noah Wilson is on another record" in shown
        )
        assert "Fix: Merge the duplicate person records (registrar)." in shown
        assert not app.screen.query(".fix")
        assert app.focused is app.screen.query_one(".merge")  # the registrar merges from here


async def test_registrar_turns_portal_access_on_and_the_student_appears(ctx):
    app = ParentHarness(
        ctx, screen_for("G-1010", True), pushed=True, staff=staff_actor(ctx, "registrar")
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert "Portal access is turned off for Ava Nguyen." in texts(app)
        assert "No students are linked yet" in texts(app)
        await pilot.click("#fix-0")
        await settle(pilot, app)
        shown = texts(app)
        assert "Ava Nguyen: Roosevelt Middle, grade 6" in shown
        assert "None: every household student is visible." in shown
    assert [s.name for s in linked_students(ctx, "G-1010")] == ["Ava Nguyen"]


async def test_front_desk_cannot_fix_flags_and_is_told_who_can(ctx):
    app = ParentHarness(
        ctx, screen_for("G-1010", True), pushed=True, staff=staff_actor(ctx, "desk")
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert "A registrar can fix this." in texts(app)
        assert not app.screen.query(".fix")
