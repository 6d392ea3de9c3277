"""Admin console: likely duplicate guardians, a merge preview, and the merge itself.

The registrar picks a pair and reads what would change: which record goes, which students
move, which portal account survives. A merge cannot be undone, so it asks for the staff
password over the same preview. When both records have an account, the registrar chooses the
one to keep (the other is disabled, not deleted). After a merge the list is loaded again.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Static

from kiosk.screens.admin_base import AdminScreen
from kiosk.screens.admin_confirm import ConfirmWithPasswordModal
from kiosk.services.duplicates import (
    DuplicatePair,
    MergePreview,
    MergeResult,
    find_duplicates,
    merge_guardians,
    preview_merge,
)
from kiosk.widgets.admin_table import AdminTable
from kiosk.widgets.merge_text import account_line, preview_text

HEADER = ["name", "keep", "merge", "why", "accounts"]


class AdminDuplicatesScreen(AdminScreen):
    EXPORT_NAME = "duplicates"

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[DuplicatePair] = []
        self.preview: MergePreview | None = None
        self.last_merge = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-header"):
            yield Static("Likely duplicate guardians", classes="admin-title")
            yield Static("Registrars and district admins", classes="admin-who")
        with Vertical(id="admin-duplicates", classes="admin-body"):
            yield AdminTable(id="pairs")
            yield Static("", id="status", markup=False)
            with Horizontal(id="merge-actions", classes="admin-actions"):
                yield Button("Merge...", id="merge", variant="warning", compact=True)
                yield Button("Keep first's account...", id="keep-account", compact=True)
                yield Button("Keep second's account...", id="drop-account", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(AdminTable).focus()
        self._buttons(shown=False)
        self.load()

    def load(self) -> None:
        ctx, staff = self.shell.ctx, self.shell.staff
        self.status((self.last_merge + "\n" if self.last_merge else "") + "Looking...")
        self.run_service(lambda: find_duplicates(ctx, staff), self._show, self.failed)

    def _show(self, pairs: list[DuplicatePair]) -> None:
        self.pairs, self.preview = pairs, None
        rows = []
        for p in pairs:
            accounts = ", ".join(
                i for i, has in ((p.first_id, p.first_has_account),
                                 (p.second_id, p.second_has_account)) if has
            )  # fmt: skip
            rows.append([p.name, p.first_id, p.second_id, "; ".join(p.reasons), accounts or "-"])
        self.query_one(AdminTable).show(HEADER, rows)
        done = self.last_merge + "\n" if self.last_merge else ""
        if not pairs:
            self._buttons(shown=False)  # nothing left to merge: no Merge beside "none"
            self.status(done + "No likely duplicates.")
        else:
            self.status(done + f"{len(pairs)} likely duplicate(s). Highlight one to preview.")

    def _buttons(self, *, shown: bool, choice: bool = False) -> None:
        self.query_one("#merge-actions").display = shown
        self.query_one("#merge", Button).display = not choice
        self.query_one("#keep-account", Button).display = choice
        self.query_one("#drop-account", Button).display = choice

    def highlighted(self) -> DuplicatePair | None:
        table = self.query_one(AdminTable)
        row = table.cursor_row
        if not 0 <= row < len(table.shown_rows):
            return None
        first, second = table.shown_rows[row][1:3]
        return next((p for p in self.pairs if (p.first_id, p.second_id) == (first, second)), None)

    @on(DataTable.RowHighlighted)
    def show_preview(self) -> None:
        pair = self.highlighted()
        if pair is None:
            return
        ctx, staff = self.shell.ctx, self.shell.staff
        self.run_service(
            lambda: preview_merge(ctx, staff, pair.first_id, pair.second_id),
            self._previewed,
            self.failed,
            group="preview",
        )

    def _previewed(self, preview: MergePreview) -> None:
        self.preview = preview
        self.status(preview_text(preview))
        self._buttons(shown=True, choice=preview.needs_account_choice)

    @on(Button.Pressed, "#merge, #keep-account, #drop-account")
    def confirm(self, event: Button.Pressed) -> None:
        p = self.preview
        if p is None:
            return
        keep_account = {"keep-account": "keep", "drop-account": "drop"}.get(event.button.id or "")
        modal = ConfirmWithPasswordModal(
            "Merge these guardians? This cannot be undone.",
            preview_text(p) + account_line(p, keep_account),
            "Merge now",
        )
        self.app.push_screen(modal, lambda ok: self._merge(p, keep_account) if ok else None)

    def _merge(self, p: MergePreview, keep_account: str | None) -> None:
        ctx, staff = self.shell.ctx, self.shell.staff
        self._buttons(shown=False)
        self.status("Merging...")
        self.run_service(
            lambda: merge_guardians(ctx, staff, p.keep_id, p.drop_id, keep_account=keep_account),
            self._merged,
            self.failed,
            group="merge",
        )

    def _merged(self, result: MergeResult) -> None:
        p = result.preview
        text = f"Merged {p.drop_id} into {p.keep_id}."
        if result.disabled_account:
            text += f" Account {result.disabled_account} was disabled (kept, findable)."
        self.last_merge = text
        self.notify(text, markup=False)
        self.load()
