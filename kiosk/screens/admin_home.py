"""Admin console home: the district-data tools this staff member's role allows.

Front desk staff see reports for their schools; registrars also fix duplicates; district
admins also import rosters, read the audit log and manage staff. The services check roles
again, so this menu is convenience, not the security boundary.
"""

from __future__ import annotations

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
        staff = self.kiosk.staff
        role = staff.role if staff else ""
        with Vertical(id="admin-home"):
            yield Static("District data", classes="title")
            who = f"{staff.name} ({ROLE_LABELS.get(role, role)})" if staff else "not signed in"
            yield Static(f"Signed in as {who}", markup=False)
            if staff is not None:
                for tool_id, label in allowed_tools(role, staff.is_admin):
                    yield Button(label, id=f"tool-{tool_id}")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        from kiosk.screens.admin_audit import AdminAuditScreen
        from kiosk.screens.admin_duplicates import AdminDuplicatesScreen
        from kiosk.screens.admin_import import AdminImportScreen
        from kiosk.screens.admin_reports import AdminReportsScreen
        from kiosk.screens.admin_staff import AdminStaffScreen

        screens = {
            "tool-reports": AdminReportsScreen,
            "tool-duplicates": AdminDuplicatesScreen,
            "tool-import": AdminImportScreen,
            "tool-audit": AdminAuditScreen,
            "tool-staff": AdminStaffScreen,
        }
        screen = screens.get(event.button.id or "")
        if screen is not None:
            self.app.push_screen(screen())
