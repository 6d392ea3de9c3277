"""Admin console home: the district-data tools this staff member's role allows.

A tool list on the left, what the highlighted tool does and who may use it on the right, the
keys in the footer (the layout of harlequin and posting). Front desk staff see reports for
their schools; registrars also fix duplicates; district admins also import rosters, read the
audit log and manage staff. The services check roles again: this menu is convenience, not the
security boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.screens.admin_audit import AdminAuditScreen
from kiosk.screens.admin_base import AdminScreen
from kiosk.screens.admin_duplicates import AdminDuplicatesScreen
from kiosk.screens.admin_import import AdminImportScreen
from kiosk.screens.admin_portals import AdminPortalsScreen
from kiosk.screens.admin_reports import AdminReportsScreen
from kiosk.screens.admin_staff import AdminStaffScreen
from kiosk.screens.staff_base import ROLE_LABELS


@dataclass(frozen=True)
class Tool:
    id: str
    label: str
    #: Staff roles that may use it (empty: every staff role).
    roles: tuple[str, ...]
    what: str


TOOLS = [
    Tool("reports", "Reports", (), "Guardians without accounts, unused keys, locked accounts, "
         "missing recovery emails, sign-ins per week. Sort, filter, save as CSV."),
    Tool("duplicates", "Duplicate guardians", ("registrar", "district_admin"),
         "Likely duplicate guardian records; preview a merge, confirm it with your password."),
    Tool("import", "Import a OneRoster export", ("district_admin",),
         "Check a roster export (shows what would be added, updated and deactivated), then "
         "import it after confirming with your password."),
    Tool("audit", "Audit log", ("district_admin",),
         "Every recorded action, filtered by actor, action, target and date; check the chain."),
    Tool("staff", "Staff users", ("district_admin",),
         "Add staff, disable or enable them, reset a password to a temporary one."),
    Tool("portals", "Portals (SAML and OpenID Connect)", ("district_admin",),
         "The portals that sign parents in through Front Desk: list them, add an OpenID "
         "Connect client or a SAML service provider, remove one with your password."),
]  # fmt: skip


def allowed_tools(role: str, is_admin: bool) -> list[Tool]:
    return [t for t in TOOLS if is_admin or not t.roles or role in t.roles]


def who_may(tool: Tool) -> str:
    roles = tool.roles or tuple(ROLE_LABELS)
    return "Who may use it: " + ", ".join(ROLE_LABELS[r] for r in roles) + "."


class AdminHomeScreen(AdminScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        # The console's root: Esc there signs out instead of going back to nothing.
        Binding("escape", "sign_out", "Sign out"),
    ]

    def __init__(self) -> None:
        super().__init__()
        staff = self.shell.staff
        self.tools = allowed_tools(staff.role, staff.is_admin) if staff else []

    def compose(self) -> ComposeResult:
        staff = self.shell.staff
        who = f"{staff.name} ({ROLE_LABELS.get(staff.role, staff.role)})" if staff else ""
        with Horizontal(classes="admin-header"):
            yield Static("Front Desk · District data", classes="admin-title")
            yield Static(f"Signed in: {who}", classes="admin-who", markup=False)
        with Horizontal(id="admin-home"):
            yield OptionList(
                *(Option(t.label, id=t.id) for t in self.tools), id="tools", markup=False
            )
            with Vertical(id="tool-about"):
                yield Static("", id="tool-what", markup=False)
                yield Static("", id="tool-who", markup=False)
                yield Static("Enter opens the tool.", id="tool-hint")
        yield Footer()

    def on_mount(self) -> None:
        tools = self.query_one("#tools", OptionList)
        if self.tools:
            tools.highlighted = 0
        tools.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("back", "sign_out"):
            return (action == "sign_out") == self.shell.admin
        return super().check_action(action, parameters)

    def action_sign_out(self) -> None:
        self.shell.go_welcome()  # in the console: a new staff sign-in

    @on(OptionList.OptionHighlighted, "#tools")
    def describe(self, event: OptionList.OptionHighlighted) -> None:
        tool = next(t for t in self.tools if t.id == event.option.id)
        self.query_one("#tool-what", Static).update(f"{tool.label}\n\n{tool.what}")
        self.query_one("#tool-who", Static).update(who_may(tool))

    @on(OptionList.OptionSelected, "#tools")
    def open_tool(self, event: OptionList.OptionSelected) -> None:
        screens = {
            "reports": AdminReportsScreen,
            "duplicates": AdminDuplicatesScreen,
            "import": AdminImportScreen,
            "audit": AdminAuditScreen,
            "staff": AdminStaffScreen,
            "portals": AdminPortalsScreen,
        }
        self.app.push_screen(screens[event.option.id or ""]())
