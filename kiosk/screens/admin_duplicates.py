"""Admin console: likely duplicate guardians, a merge preview, and the merge itself.

The registrar picks a pair, reads what would move, and merges into the record to keep. When
both records have a portal account, they must choose which account stays (the other is
disabled, not deleted).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.duplicates import (
    DuplicatePair,
    MergePreview,
    MergeResult,
    find_duplicates,
    merge_guardians,
    preview_merge,
)
from kiosk.text import display


def preview_text(p: MergePreview) -> str:
    lines = [
        f"Keep {p.keep_id} {display(p.keep_name)}; merge {p.drop_id} {display(p.drop_name)} "
        "into it.",
        "Students moving: " + (display(", ".join(p.students_moving)) or "none"),
        "Already linked to both: " + (display(", ".join(p.students_shared)) or "none"),
        f"Households {p.households_moving}, keys {p.keys_moving}, requests {p.requests_moving}.",
    ]
    if p.needs_account_choice:
        lines.append(
            f"Both have portal accounts ({display(p.keep_account)}, {display(p.drop_account)}): "
            "choose the one to keep; the other is disabled."
        )
    elif p.keep_account or p.drop_account:
        lines.append(f"Portal account kept: {display(p.keep_account or p.drop_account)}.")
    return "\n".join(lines)


class AdminDuplicatesScreen(StaffScreen):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[DuplicatePair] = []
        self.preview: MergePreview | None = None
        self.last_merge = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-duplicates"):
            yield Static("Likely duplicate guardians", classes="title")
            yield DataTable(id="pairs", cursor_type="row", zebra_stripes=True)
            yield Static("", id="preview", markup=False)
            with Horizontal(id="merge-actions"):
                yield Button("Merge", id="merge", variant="primary", disabled=True)
                yield Button("Keep first record's account", id="keep-account", disabled=True)
                yield Button("Keep second record's account", id="drop-account", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#pairs", DataTable)
        table.add_columns("name", "keep", "merge", "why", "accounts")
        self.load()

    def load(self) -> None:
        ctx, staff = self.shell.ctx, self.shell.staff
        self.run_service(lambda: find_duplicates(ctx, staff), self._show, self._failed)

    def _show(self, pairs: list[DuplicatePair]) -> None:
        self.pairs = pairs
        table = self.query_one("#pairs", DataTable)
        table.clear()
        for p in pairs:
            accounts = ", ".join(
                i for i, has in ((p.first_id, p.first_has_account),
                                 (p.second_id, p.second_has_account)) if has
            )  # fmt: skip
            table.add_row(
                Text(display(p.name)),
                Text(p.first_id),
                Text(p.second_id),
                Text("; ".join(p.reasons)),
                Text(accounts or "-"),
            )
        if not pairs:
            done = f"{self.last_merge}\n" if self.last_merge else ""
            self.query_one("#preview", Static).update(done + "No likely duplicates.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not 0 <= event.cursor_row < len(self.pairs):
            return
        pair = self.pairs[event.cursor_row]
        ctx, staff = self.shell.ctx, self.shell.staff
        self.run_service(
            lambda: preview_merge(ctx, staff, pair.first_id, pair.second_id),
            self._previewed,
            self._failed,
            group="preview",
        )

    def _previewed(self, preview: MergePreview) -> None:
        self.preview = preview
        self.query_one("#preview", Static).update(preview_text(preview))
        choice = preview.needs_account_choice
        self.query_one("#merge", Button).disabled = choice
        self.query_one("#keep-account", Button).disabled = not choice
        self.query_one("#drop-account", Button).disabled = not choice

    @on(Button.Pressed, "#merge")
    def merge_pressed(self) -> None:
        self.merge(keep_account=None)

    @on(Button.Pressed, "#keep-account")
    def keep_account_pressed(self) -> None:
        self.merge(keep_account="keep")

    @on(Button.Pressed, "#drop-account")
    def drop_account_pressed(self) -> None:
        self.merge(keep_account="drop")

    def merge(self, *, keep_account: str | None) -> None:
        if self.preview is None:
            return
        p, ctx, staff = self.preview, self.shell.ctx, self.shell.staff
        for button in self.query(Button):
            button.disabled = True
        self.run_service(
            lambda: merge_guardians(ctx, staff, p.keep_id, p.drop_id, keep_account=keep_account),
            self._merged,
            self._failed,
            group="merge",
        )

    def _merged(self, result: MergeResult) -> None:
        p = result.preview
        text = f"Merged {p.drop_id} into {p.keep_id}."
        if result.disabled_account:
            text += f" Account {display(result.disabled_account)} was disabled (kept, findable)."
        self.preview = None
        self.last_merge = text
        self.notify(text, markup=False)
        self.query_one("#preview", Static).update(text)
        self.load()

    def _failed(self, error: KioskError) -> None:
        self.query_one("#preview", Static).update(str(error))
