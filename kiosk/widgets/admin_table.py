"""A DataTable for the admin console: plain-text cells, sorting by column, a text filter.

Every cell is a ``rich.text.Text`` (names come from the roster and are never markup). Rows are
kept as plain strings so the filter, the sort and a CSV export see exactly what is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from kiosk.text import display, fold

#: A column never grows wider than this; longer values end in "…" (a CSV export has them whole).
MAX_COLUMN_WIDTH = 40


class AdminTable(DataTable):
    """``show(header, rows)`` fills it; 1-9 (or a click on a header) sorts, again reverses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"sort_column({n - 1})", "Sort", key_display="1-9", show=n == 1)
        for n in range(1, 10)
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.header: list[str] = []
        self.all_rows: list[list[str]] = []
        self.shown_rows: list[list[str]] = []
        self.filter_text = ""
        self.sorted_by: tuple[int, bool] | None = None  # (column, reverse)

    def show(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Replace the columns and rows; the filter and the sort order stay."""
        if list(header) != self.header:
            self.header, self.sorted_by = list(header), None
        self.all_rows = [[display(v) for v in row] for row in rows]
        self._redraw()

    def set_filter(self, text: str) -> None:
        self.filter_text = fold(text.strip())
        self._redraw()

    def action_sort_column(self, column: int) -> None:
        if column >= len(self.header):
            return
        reverse = self.sorted_by == (column, False)
        self.sorted_by = (column, reverse)
        self._redraw()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.action_sort_column(event.column_index)

    def _redraw(self) -> None:
        rows = [r for r in self.all_rows if self._matches(r)]
        if self.sorted_by is not None:
            column, reverse = self.sorted_by
            rows.sort(key=lambda r: sort_key(r[column]), reverse=reverse)
        self.shown_rows = rows
        cursor = self.cursor_row
        self.clear(columns=True)
        for index, name in enumerate(self.header):
            arrow = ""
            if self.sorted_by and self.sorted_by[0] == index:
                arrow = " ▼" if self.sorted_by[1] else " ▲"
            # Widths worked out here, not measured later: the same on every run and machine.
            longest = max((cell_len(r[index]) for r in rows), default=0)
            width = min(max(cell_len(name) + 2, longest), MAX_COLUMN_WIDTH)
            self.add_column(Text(name + arrow), width=width)
        for row in rows:
            self.add_row(*(Text(cell, no_wrap=True, overflow="ellipsis") for cell in row))
        if rows:
            self.move_cursor(row=min(max(cursor, 0), len(rows) - 1))

    def move_to(self, column: int, value: str) -> None:
        """Highlight the first shown row whose ``column`` holds ``value`` (if any)."""
        for index, row in enumerate(self.shown_rows):
            if row[column] == value:
                self.move_cursor(row=index)
                return

    def _matches(self, row: list[str]) -> bool:
        return not self.filter_text or any(self.filter_text in fold(cell) for cell in row)


def sort_key(cell: str) -> tuple[int, float, str]:
    """Numbers sort as numbers, everything else case-blind; blanks last."""
    if not cell:
        return (2, 0.0, "")
    try:
        return (0, float(cell), "")
    except ValueError:
        return (1, 0.0, fold(cell))
