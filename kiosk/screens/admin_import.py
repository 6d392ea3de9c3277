"""Admin console: check and import a OneRoster export (folder or zip), all or nothing.

"Check (changes nothing)" shows exactly what the import would change: how many records would
be added, updated and deactivated, and which would be deactivated, by name. "Import" checks
first if needed, shows the same preview and asks for the staff password; a progress bar runs
while the import does. A refusal lists every ``file:line: problem``; nothing was changed.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, ProgressBar, Static

from kiosk.errors import KioskError
from kiosk.i18n import explain
from kiosk.screens.admin_base import AdminScreen
from kiosk.screens.admin_confirm import ConfirmWithPasswordModal
from kiosk.services.import_preview import ImportPreview, preview_import_isolated
from kiosk.services.roster import ImportSummary, describe
from kiosk.services.roster_process import import_roster_isolated
from kiosk.widgets.admin_table import AdminTable

HEADER = ["would deactivate", "ID", "name"]


def contents_text(summary: ImportSummary) -> str:
    return (
        f"{summary.schools} schools, {summary.students} students, {summary.guardians} "
        f"guardians, {summary.links} links, {summary.households} households"
    )


def preview_text(preview: ImportPreview) -> str:
    s = preview.summary
    text = (
        f"Check passed; nothing was changed. The export has {contents_text(s)}. Importing it "
        f"would add {s.added}, update {s.updated} and DEACTIVATE {s.deactivated} records"
    )
    return text + (" (listed below)." if s.deactivated else ".")


def confirm_text(preview: ImportPreview) -> str:
    s = preview.summary
    lines = [
        f"From {preview.path}:",
        f"add {s.added}, update {s.updated}, deactivate {s.deactivated}.",
    ]
    if s.deactivated:
        kinds = Counter(d.kind for d in preview.deactivated)
        names = [f"  {d.kind} {d.sourced_id} {d.name}" for d in preview.deactivated[:6]]
        lines += [
            "Deactivated: " + ", ".join(f"{n} {kind}(s)" for kind, n in kinds.items())
            + " (they lose portal access):",
            *names,
        ]  # fmt: skip
        if s.deactivated > len(names):
            lines.append(f"  ... and {s.deactivated - len(names)} more (listed on the screen).")
    return "\n".join(lines)


class AdminImportScreen(AdminScreen):
    EXPORT_NAME = "import-deactivations"

    def __init__(self) -> None:
        super().__init__()
        self.preview: ImportPreview | None = None
        self.started = 0.0
        self.ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-header"):
            yield Static("Import a OneRoster export", classes="admin-title")
            yield Static("District admins only", classes="admin-who")
        with Vertical(id="admin-import", classes="admin-body"):
            with Horizontal(classes="admin-filters"):
                yield Input(
                    placeholder="Folder or .zip of OneRoster CSV files",
                    id="roster-path",
                    max_length=4096,
                )
            with Horizontal(classes="admin-actions"):
                yield Button("Check (changes nothing)", id="check", compact=True)
                yield Button("Import...", id="import", variant="primary", compact=True)
                yield ProgressBar(id="progress", total=None, show_eta=False)
            yield Static("", id="status", markup=False)
            yield AdminTable(id="deactivations")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#roster-path", Input).focus()

    def path(self) -> str:
        return self.query_one("#roster-path", Input).value.strip()

    @on(Input.Changed, "#roster-path")
    def forget(self) -> None:
        self.preview = None  # a preview is only good for the path it was made for

    @on(Input.Submitted, "#roster-path")
    @on(Button.Pressed, "#check")
    def check(self) -> None:
        self._check(then_confirm=False)

    @on(Button.Pressed, "#import")
    def start_import(self) -> None:
        if self.preview is not None and self.preview.path == self.path():
            self._confirm(self.preview)
        else:
            self._check(then_confirm=True)

    def _check(self, *, then_confirm: bool) -> None:
        path = self.path()
        if not path:
            self.status("Type the path of the roster folder or zip file first.")
            return
        ctx, staff = self.shell.ctx, self.shell.staff
        self._busy("Checking the files and what they would change...")
        self.run_service(
            lambda: preview_import_isolated(ctx, staff, Path(path)),
            lambda preview: self._checked(preview, then_confirm),
            self._failed,
            group="import",
        )

    def _checked(self, preview: ImportPreview, then_confirm: bool) -> None:
        self._idle()
        self.preview = preview
        self.status(preview_text(preview))
        self.query_one(AdminTable).show(
            HEADER, [[d.kind, d.sourced_id, d.name] for d in preview.deactivated]
        )
        if then_confirm:
            self._confirm(preview)

    def _confirm(self, preview: ImportPreview) -> None:
        modal = ConfirmWithPasswordModal("Import this roster?", confirm_text(preview), "Import now")
        self.app.push_screen(modal, lambda ok: self._run_import(preview) if ok else None)

    def _run_import(self, preview: ImportPreview) -> None:
        ctx, staff = self.shell.ctx, self.shell.staff
        self._busy("Importing...")
        self.run_service(
            # In its own process: a district import in a thread froze the screen (GIL).
            lambda: import_roster_isolated(ctx, staff, Path(preview.path)),
            self._imported,
            self._failed,
            group="import",
        )

    def _imported(self, summary: ImportSummary) -> None:
        self._idle()
        self.preview = None
        self.status(
            f"Imported. {contents_text(summary)}. Added {summary.added}, updated "
            f"{summary.updated}, deactivated {summary.deactivated}."
        )

    def _busy(self, text: str) -> None:
        for button in self.query(Button):
            button.disabled = True
        self.query_one("#progress", ProgressBar).display = True
        self.started = time.monotonic()
        self.status(text)
        self.ticker = self.set_interval(1, lambda: self._tick(text))

    def _tick(self, text: str) -> None:
        self.status(f"{text} {int(time.monotonic() - self.started)} s")

    def _idle(self) -> None:
        if self.ticker is not None:
            self.ticker.stop()
            self.ticker = None
        self.query_one("#progress", ProgressBar).display = False
        for button in self.query(Button):
            button.disabled = False

    def _failed(self, error: KioskError) -> None:
        """A refusal: its first line above, every ``file:line: problem`` in the table."""
        self._idle()
        self.preview = None
        problems = describe(error)
        self.status(explain(error).split("\n", 1)[0] + " Nothing was changed.")
        self.query_one(AdminTable).show(["problem"], [[p] for p in problems])
