"""Linked students: who the account will see, what the portal shows, and where to get help.

Parents and staff see the same list. With ``staff_view=True`` staff also see every household
student the parent cannot see, why (``households.diagnose``) and the fix; a registrar (or a
district admin) can turn a relationship's flags on right here.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.config import PORTAL_SECTIONS
from kiosk.errors import KioskError, PermissionDenied
from kiosk.i18n import N_, _, explain
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.services.access import require_staff
from kiosk.services.duplicates import MergePreview, merge_guardians, preview_merge
from kiosk.services.households import (
    LinkedStudent,
    MissingStudent,
    diagnose,
    linked_students,
    set_relationship_flags,
)
from kiosk.text import display
from kiosk.widgets.merge_text import account_line, preview_text

SECTION_NAMES = {
    "grades": N_("grades"),
    "assignments": N_("assignments"),
    "attendance": N_("attendance"),
    "schedule": N_("schedule"),
    "report_cards": N_("report cards"),
    "transcript": N_("transcript"),
    "messages": N_("messages"),
    "immunizations": N_("immunizations"),
    "registration": N_("registration"),
}

FIXABLE = ("portal_off", "no_relationship")


@dataclass(frozen=True)
class StudentsView:
    linked: list[LinkedStudent]
    missing: list[MissingStudent]


class LinkedStudentsScreen(ParentScreen):
    BACK_BUTTONS = ("#done",)
    ESC_HINT = N_("Esc: done")

    def __init__(self, guardian_id: str, staff_view: bool = False) -> None:
        super().__init__()
        self.guardian_id = guardian_id
        self.staff_view = staff_view
        self.AUDIENCE = "staff" if staff_view else "parent"
        self.missing: list[MissingStudent] = []

    def compose_page(self) -> ComposeResult:
        config = self.shell.ctx.config
        with VerticalScroll(id="linked", classes="parent-page"):
            yield Static(_("Students on this account"), classes="title")
            yield Vertical(id="students")
            yield message(_("Loading…"), id="students-note", classes="hint")
            if self.staff_view:
                yield Static("Household students this account cannot see", classes="field-label")
                yield Vertical(id="missing")
            shown = [SECTION_NAMES[s] for s in PORTAL_SECTIONS if s in config.portal.shows]
            hidden = [SECTION_NAMES[s] for s in PORTAL_SECTIONS if s not in config.portal.shows]
            yield Static(_("What the portal shows"), classes="field-label")
            yield message(", ".join(_(s) for s in shown) or "-", id="portal-shows")
            if "attendance" not in config.portal.shows:
                yield message(
                    _("Attendance is not shown in this district's portal; ask the school."),
                    id="portal-hidden",
                    classes="hint",
                )
            elif hidden:
                yield message(
                    _("Not shown: {sections}").format(sections=", ".join(_(s) for s in hidden)),
                    id="portal-hidden",
                    classes="hint",
                )
            if config.district.mobile_app_code:
                yield Static(_("Mobile app"), classes="field-label")
                yield message(
                    _("District code for the mobile app: {code}").format(
                        code=display(config.district.mobile_app_code)
                    ),
                    id="mobile-code",
                )
            yield Static(_("Need help?"), classes="field-label")
            yield message(self._support_text(), id="support")
            with Horizontal(classes="actions"):
                yield Button(_("Done"), id="done", variant="primary")

    def _support_text(self) -> str:
        support = self.shell.ctx.config.support
        lines = []
        if support.email:
            lines.append(_("Email: {email}").format(email=display(support.email)))
        if support.phone:
            lines.append(_("Phone: {phone}").format(phone=display(support.phone)))
        if support.response_time:
            lines.append(_("We answer {when}.").format(when=display(support.response_time)))
        return "\n".join(lines) or _("Ask your school's front desk.")

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()
        self.load()

    def load(self) -> None:
        ctx, guardian_id, staff = self.shell.ctx, self.guardian_id, self.shell.staff
        staff_view = self.staff_view

        def work() -> StudentsView:
            linked = linked_students(ctx, guardian_id)
            missing = diagnose(ctx, staff, guardian_id) if staff_view and staff else []
            return StudentsView(linked, missing)

        self.run_service(work, self._show, self._failed)

    async def _show(self, view: StudentsView) -> None:
        box = self.query_one("#students", Vertical)
        await box.remove_children()
        rows = [
            Static(
                _("{name}: {school}, grade {grade}").format(
                    name=display(s.name), school=display(s.school), grade=display(s.grade)
                ),
                classes="student",
                markup=False,
            )
            for s in view.linked
        ]
        await box.mount_all(rows)
        self.say(
            "#students-note",
            "" if view.linked else _("No students are linked yet. The front desk can check why."),
        )
        if self.staff_view:
            await self._show_missing(view.missing)

    async def _show_missing(self, missing: list[MissingStudent]) -> None:
        self.missing = missing
        box = self.query_one("#missing", Vertical)
        await box.remove_children()
        if not missing:
            await box.mount(Static("None: every household student is visible.", classes="hint"))
            return
        may_fix = self._may_fix()
        for n, item in enumerate(missing):
            row = Vertical(classes="missing")
            await box.mount(row)
            await row.mount(
                Static(
                    f"{display(item.name)} ({display(item.school)}): {display(item.explanation)}",
                    markup=False,
                ),
                Static(f"Fix: {display(item.fix)}", classes="hint", markup=False),
            )
            if item.reason == "duplicate" and may_fix:
                await row.mount(Button("Merge records…", id=f"merge-{n}", classes="merge"))
            elif item.reason in FIXABLE and may_fix:
                label = (
                    "Turn portal access on" if item.reason == "portal_off" else "Add as guardian"
                )
                await row.mount(Button(label, id=f"fix-{n}", classes="fix"))
            elif item.reason in (*FIXABLE, "duplicate"):  # who can, not a dead button
                await row.mount(Static("A registrar can fix this.", classes="hint"))
        fixes = self.query("#missing Button")
        if fixes:
            fixes.first().focus()  # the fix this staff member came here for

    def _may_fix(self) -> bool:
        staff = self.shell.staff
        if staff is None:
            return False
        try:
            require_staff(staff, "registrar")
        except PermissionDenied:
            return False
        return True

    @on(Button.Pressed, ".fix")
    def fix(self, event: Button.Pressed) -> None:
        item = self.missing[int((event.button.id or "fix-0").removeprefix("fix-"))]
        ctx, staff, guardian_id = self.shell.ctx, self.shell.staff, self.guardian_id
        if item.reason == "portal_off":
            flags = {"portal_access": True}
        else:  # no relationship, or one not marked as guardian: create=True covers both
            flags = {"is_guardian": True, "portal_access": True, "create": True}
        event.button.disabled = True
        self.run_service(
            lambda: set_relationship_flags(ctx, staff, guardian_id, item.student_id, **flags),
            lambda _result: self._fixed(item),
            self._failed,
        )

    @on(Button.Pressed, ".merge")
    def merge(self, event: Button.Pressed) -> None:
        """Fold the duplicate record into this guardian's, after the preview and the staff
        password; when both records have an account, this guardian's stays."""
        item = self.missing[int((event.button.id or "merge-0").removeprefix("merge-"))]
        ctx, staff = self.shell.ctx, self.shell.staff
        keep, drop = self.guardian_id, item.duplicate_guardian_id
        self.run_service(
            lambda: preview_merge(ctx, staff, keep, drop),
            lambda preview: self._confirm_merge(item, preview),
            self._failed,
        )

    def _confirm_merge(self, item: MissingStudent, preview: MergePreview) -> None:
        from kiosk.screens.admin_confirm import ConfirmWithPasswordModal

        choice = "keep" if preview.needs_account_choice else None
        modal = ConfirmWithPasswordModal(
            "Merge these guardian records? This cannot be undone.",
            preview_text(preview) + account_line(preview, choice),
            "Merge now",
        )

        def merge(ok: bool | None) -> None:
            if not ok:
                return
            ctx, staff = self.shell.ctx, self.shell.staff
            self.run_service(
                lambda: merge_guardians(
                    ctx, staff, preview.keep_id, preview.drop_id, keep_account=choice
                ),
                lambda _result: self._fixed(item),
                self._failed,
            )

        self.app.push_screen(modal, merge)

    def _fixed(self, item: MissingStudent) -> None:
        self.app.notify(f"Fixed: {display(item.name)} is now visible.", markup=False)
        self.load()

    def _failed(self, error: KioskError) -> None:
        self.app.notify(explain(error), severity="error", markup=False)

    @on(Button.Pressed, "#done")
    def done(self) -> None:
        self.app.pop_screen()
