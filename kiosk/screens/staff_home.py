"""Front-desk home: search as you type over guardians and students, then act on one of them.

Each keystroke restarts a short debounce; the search itself runs in an exclusive worker so the
newest query always wins and the screen never freezes, however large the district.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.errors import KioskError
from kiosk.screens.staff_base import ROLE_LABELS, StaffScreen
from kiosk.services.people import SearchHit, search, student_guardians
from kiosk.text import display

#: Long enough to skip the searches of a fast typist's middle keystrokes, short enough to
#: keep keystroke-to-results under the 100 ms budget of the design brief. The search itself
#: takes under 1 ms at p95 on a 100,000-student district (docs/PERFORMANCE.md); at 75 ms the
#: debounce alone was three quarters of the budget and p95 sat at 100 ms.
DEBOUNCE_SECONDS = 0.04
PROMPT = "Search by guardian or student name, student number, phone or email."


def hit_text(hit: SearchHit) -> Text:
    """One result: plain text only, whatever the roster put in the names. A result too long
    for the terminal goes on over a second line rather than losing its phone or email."""
    kind = "Guardian" if hit.kind == "guardian" else "Student "
    line = Text(overflow="fold")
    line.append(f"{kind}  ", style="dim")
    line.append(display(hit.name), style="bold")
    if hit.school:
        line.append(f"  {display(hit.school)}")
    if hit.detail:
        line.append(f"  {display(hit.detail)}", style="dim")
    return line


class StaffHomeScreen(StaffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "lookup", "Look-up"),
        Binding("f3", "district_data", "District data"),
        Binding("escape", "clear", "Clear"),
        Binding("f9", "sign_out", "Sign out"),
        Binding("f10", "exit_kiosk", "Exit kiosk"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
        self._hits: dict[str, SearchHit] = {}
        self.searches_done = 0  # how many result sets were shown (tests wait on it)
        self.shown_query = ""  # the search text the shown results answer

    def compose(self) -> ComposeResult:
        staff = self.shell.staff
        who = f"{display(staff.name)} ({ROLE_LABELS.get(staff.role, staff.role)})" if staff else ""
        yield Static(
            Text.assemble(("Front desk", "bold"), f"  ·  signed in as {who}"),
            id="home-header",
            classes="title",
        )
        yield Input(placeholder="Search…", id="search", max_length=100)
        yield Static(PROMPT, id="results-label", classes="hint", markup=False)
        yield OptionList(id="results")
        with Horizontal(classes="buttons"):
            yield Button("Account look-up", id="lookup", compact=True)
            yield Button("District data", id="district-data", compact=True)
            yield Button("Sign out", id="sign-out", compact=True)
            yield Button("Exit kiosk", id="exit", compact=True, variant="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()

    # -- searching -------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.run_search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._focus_results()

    def key_down(self) -> None:
        """Down arrow from the search box goes to the results."""
        if self.focused is self.query_one("#search", Input):
            self._focus_results()

    def _focus_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    def run_search(self) -> None:
        text = self.query_one("#search", Input).value
        if not text.strip():
            self._show([], PROMPT)
            return
        ctx, staff = self.shell.ctx, self.staff
        self.run_service(
            lambda: search(ctx, staff, text),
            lambda hits: self._show(hits, self._summary(hits, text), text),
            self._search_failed,
            group="search",
        )

    @staticmethod
    def _summary(hits: list[SearchHit], text: str) -> str:
        if not hits:
            return f"Nobody matches {display(text)!r}. Check the spelling, or try a phone number."
        return f"{len(hits)} found. Enter or ↓ to choose; Esc clears."

    def _search_failed(self, error: KioskError) -> None:
        self._show([], str(error))

    def _show(self, hits: list[SearchHit], label: str, query: str = "") -> None:
        self._hits = {f"{h.kind}:{h.id}": h for h in hits}
        results = self.query_one("#results", OptionList)
        results.clear_options()
        results.add_options([Option(hit_text(h), id=f"{h.kind}:{h.id}") for h in hits])
        self.query_one("#results-label", Static).update(Text(label))
        self.shown_query = query
        self.searches_done += 1

    # -- choosing --------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        hit = self._hits.get(event.option.id or "")
        if hit is None:
            return
        if hit.kind == "guardian":
            from kiosk.screens.staff_guardian import GuardianCardScreen

            self.app.push_screen(GuardianCardScreen(hit.id))
            return
        ctx, staff = self.shell.ctx, self.staff
        self.run_service(
            lambda: student_guardians(ctx, staff, hit.id),
            lambda found: self._show(found, self._guardians_label(hit, found)),
            group="search",
        )

    @staticmethod
    def _guardians_label(student: SearchHit, found: list[SearchHit]) -> str:
        name = display(student.name)
        if not found:
            return f"No parent or guardian is recorded for {name}. See the registrar."
        return f"Parents and guardians of {name} (Esc: new search):"

    # -- actions ---------------------------------------------------------------------------

    @on(Button.Pressed, "#lookup")
    def lookup_pressed(self) -> None:
        self.action_lookup()

    @on(Button.Pressed, "#district-data")
    def district_data_pressed(self) -> None:
        self.action_district_data()

    @on(Button.Pressed, "#sign-out")
    def sign_out_pressed(self) -> None:
        self.action_sign_out()

    @on(Button.Pressed, "#exit")
    def exit_pressed(self) -> None:
        self.action_exit_kiosk()

    def action_clear(self) -> None:
        field = self.query_one("#search", Input)
        field.value = ""
        field.focus()
        self._show([], PROMPT)

    def action_lookup(self) -> None:
        from kiosk.screens.staff_account import AccountLookupScreen

        self.app.push_screen(AccountLookupScreen())

    def action_district_data(self) -> None:
        """Reports, merges and (for admins) imports, audit and staff, by role."""
        self.shell.go_admin_tools()

    def action_sign_out(self) -> None:
        self.shell.go_welcome()

    def action_exit_kiosk(self) -> None:
        self.shell.request_exit()
