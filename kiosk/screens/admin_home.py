"""Admin console home: the district-data tools this staff member's role allows.

Front desk staff see reports for their schools; registrars also fix duplicates; district
admins also import rosters, read the audit log and manage staff. The services check roles
again, so this menu is convenience, not the security boundary.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Footer, Static

from kiosk.screens.staff_base import ROLE_LABELS, StaffScreen

#: button id, label, roles allowed (empty: every staff role)
TOOLS = [
    ("reports", "Reports", ()),
    ("duplicates", "Duplicate guardians and merges", ("registrar", "district_admin")),
    ("import", "Import a OneRoster export", ("district_admin",)),
    ("audit", "Audit log", ("district_admin",)),
    ("staff", "Staff users", ("district_admin",)),
]


def allowed_tools(role: str, is_admin: bool) -> list[tuple[str, str]]:
    return [(i, label) for i, label, roles in TOOLS if is_admin or not roles or role in roles]


class AdminHomeScreen(StaffScreen):
    def compose(self) -> ComposeResult:
        staff = self.shell.staff
        role = staff.role if staff else ""
        with Vertical(id="admin-home"):
            yield Static("District data", classes="title")
            who = f"{staff.name} ({ROLE_LABELS.get(role, role)})" if staff else "not signed in"
            yield Static(f"Signed in as {who}", markup=False)
            if staff is not None:
                for tool_id, label in allowed_tools(role, staff.is_admin):
                    yield Button(label, id=f"tool-{tool_id}")
        yield Footer()

    @on(Button.Pressed, "#tool-reports")
    def reports_pressed(self) -> None:
        from kiosk.screens.admin_reports import AdminReportsScreen

        self.app.push_screen(AdminReportsScreen())

    @on(Button.Pressed, "#tool-duplicates")
    def duplicates_pressed(self) -> None:
        from kiosk.screens.admin_duplicates import AdminDuplicatesScreen

        self.app.push_screen(AdminDuplicatesScreen())

    @on(Button.Pressed, "#tool-import")
    def import_pressed(self) -> None:
        from kiosk.screens.admin_import import AdminImportScreen

        self.app.push_screen(AdminImportScreen())

    @on(Button.Pressed, "#tool-audit")
    def audit_pressed(self) -> None:
        from kiosk.screens.admin_audit import AdminAuditScreen

        self.app.push_screen(AdminAuditScreen())

    @on(Button.Pressed, "#tool-staff")
    def staff_pressed(self) -> None:
        from kiosk.screens.admin_staff import AdminStaffScreen

        self.app.push_screen(AdminStaffScreen())
