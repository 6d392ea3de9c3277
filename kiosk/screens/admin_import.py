"""Admin console: check and import a OneRoster export (folder or zip), all or nothing.

"Check" is the dry run; "Import" writes. A refusal lists every ``file:line: problem`` so the
export can be fixed in the student information system; nothing was changed.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.roster import ImportSummary, describe
from kiosk.services.roster_process import import_roster_isolated


def summary_text(summary: ImportSummary) -> str:
    head = "Check passed: would import" if summary.dry_run else "Imported"
    text = (
        f"{head} {summary.schools} schools, {summary.students} students, "
        f"{summary.guardians} guardians, {summary.links} links."
    )
    if not summary.dry_run:
        text += (
            f"\n{summary.households} households. Added {summary.added}, updated "
            f"{summary.updated}, deactivated {summary.deactivated}."
        )
    return text


class AdminImportScreen(StaffScreen):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-import"):
            yield Static("Import a OneRoster export", classes="title")
            yield Input(placeholder="Folder or .zip of OneRoster CSV files", id="roster-path")
            with Horizontal():
                yield Button("Check (changes nothing)", id="check")
                yield Button("Import", id="import", variant="primary")
            with VerticalScroll():
                yield Static("", id="import-result", markup=False)
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        path = self.query_one("#roster-path", Input).value.strip()
        result = self.query_one("#import-result", Static)
        if not path:
            result.update("Type the path of the roster folder or zip file first.")
            return
        dry_run = event.button.id == "check"
        result.update("Checking the files..." if dry_run else "Importing...")
        for button in self.query(Button):
            button.disabled = True
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.run_service(
            # In its own process: a district import in a thread froze the screen (GIL).
            lambda: import_roster_isolated(ctx, staff, Path(path), dry_run=dry_run),
            self._done,
            self._failed,
            group="import",
        )

    def _enable(self) -> None:
        for button in self.query(Button):
            button.disabled = False

    def _done(self, summary: ImportSummary) -> None:
        self._enable()
        self.query_one("#import-result", Static).update(summary_text(summary))

    def _failed(self, error: KioskError) -> None:
        self._enable()
        problems = describe(error)
        text = str(error).split("\n", 1)[0] if len(problems) > 1 else str(error)
        if len(problems) > 1:
            text += "\n" + "\n".join(problems)
        self.query_one("#import-result", Static).update(text)
