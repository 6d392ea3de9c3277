"""A grid of drawn pictures to pick from, by keyboard (arrows + space/enter) or by mouse.

One widget serves both uses: choosing 8 liked then 8 disliked pictures (``mode`` "liked" then
"disliked"), and the recovery challenge (``mode`` "liked" over the 16 shown). It only keeps the
marks and enforces the count; the screen decides what the marks mean and saves them.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.message import Message
from textual.widget import Widget

from kiosk.i18n import _, language
from kiosk.pictures import BY_ID
from kiosk.widgets.picture_art import drawing

LIKED = "liked"
DISLIKED = "disliked"


def mark_labels() -> dict[str, str]:
    """The words for a liked and a disliked picture, in the current language."""
    return {LIKED: _("Like"), DISLIKED: _("Dislike")}


def picture_name(picture_id: str) -> str:
    picture = BY_ID[picture_id]
    return picture.es if language() == "es" else picture.en


class PictureTile(Widget, can_focus=True):
    """One picture: its drawing, its name, and its mark (liked / disliked) in the border."""

    DEFAULT_CSS = """
    PictureTile {
        width: 1fr;
        height: 6;
        border: round $panel-lighten-2;
        padding: 0;
        text-align: center;
        content-align: center middle;
    }
    PictureTile:focus {
        border: heavy $accent;
        background: $boost;
    }
    PictureTile.-liked {
        border: round $success;
        background: $success 15%;
    }
    PictureTile.-liked:focus {
        border: heavy $success;
    }
    PictureTile.-disliked {
        border: round $error;
        background: $error 15%;
    }
    PictureTile.-disliked:focus {
        border: heavy $error;
    }
    PictureTile.-locked {
        color: $text-muted;
    }
    """

    class Pressed(Message):
        def __init__(self, tile: PictureTile) -> None:
            super().__init__()
            self.tile = tile

    def __init__(self, picture_id: str) -> None:
        super().__init__(id=f"picture-{picture_id}", classes="picture")
        self.picture_id = picture_id
        self.mark: str | None = None

    def render(self) -> Text:
        rows = "\n".join(drawing(self.picture_id))
        return Text(f"{rows}\n{picture_name(self.picture_id)}", justify="center", no_wrap=True)

    def set_mark(self, mark: str | None, labels: dict[str, str]) -> None:
        self.mark = mark
        self.set_class(mark == LIKED, "-liked")
        self.set_class(mark == DISLIKED, "-disliked")
        self.border_title = labels.get(mark or "", "")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.post_message(self.Pressed(self))


class PicturePicker(VerticalScroll, can_focus=False):
    """The scrolling grid. Posts ``Changed`` after every accepted or refused press."""

    DEFAULT_CSS = """
    PicturePicker {
        height: 1fr;
    }
    PicturePicker > Grid {
        height: auto;
        grid-size: 5;
        grid-rows: 6;
        grid-gutter: 0 1;
    }
    """

    BINDINGS = [
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("space,enter", "press", "Pick", show=False),
    ]

    class Changed(Message):
        """``refused`` says why a press did nothing: "full" or "other" (marked the other way)."""

        def __init__(self, picker: PicturePicker, refused: str = "") -> None:
            super().__init__()
            self.picker = picker
            self.refused = refused

    def __init__(
        self,
        picture_ids: Iterable[str],
        *,
        mode: str = LIKED,
        limit: int = 8,
        labels: dict[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.picture_ids = list(picture_ids)
        self.mode = mode
        self.limit = limit
        self.labels = labels or {}
        self.marks: dict[str, str] = {}
        self.columns = 5

    def compose(self) -> ComposeResult:
        with Grid():
            for picture_id in self.picture_ids:
                yield PictureTile(picture_id)

    @property
    def tiles(self) -> list[PictureTile]:
        return list(self.query(PictureTile))

    def chosen(self, mark: str) -> list[str]:
        return [pid for pid in self.picture_ids if self.marks.get(pid) == mark]

    def count(self, mark: str | None = None) -> int:
        return len(self.chosen(mark or self.mode))

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        for tile in self.tiles:
            tile.set_class(tile.mark is not None and tile.mark != mode, "-locked")

    def reset(self, mark: str | None = None) -> None:
        """Drop every mark (or only the marks of one kind)."""
        for tile in self.tiles:
            if mark is None or tile.mark == mark:
                self.marks.pop(tile.picture_id, None)
                tile.set_mark(None, self.labels)
        self.set_mode(self.mode)
        self.post_message(self.Changed(self))

    def press(self, picture_id: str) -> None:
        """Toggle ``picture_id`` for the current mode, refusing past the limit."""
        tile = self.query_one(f"#picture-{picture_id}", PictureTile)
        current = self.marks.get(picture_id)
        refused = ""
        if current == self.mode:
            del self.marks[picture_id]
            tile.set_mark(None, self.labels)
        elif current is not None:
            refused = "other"
        elif self.count() >= self.limit:
            refused = "full"
        else:
            self.marks[picture_id] = self.mode
            tile.set_mark(self.mode, self.labels)
        if refused:
            self.app.bell()
        self.post_message(self.Changed(self, refused))

    def _focus_next_free(self, after: PictureTile) -> None:
        """After a pick by keyboard, focus moves on to the next unmarked picture, so picking the
        ones in a row is one key each (arrows still reach any other). Not after a click: the
        grid would scroll under the mouse."""
        tiles = self.tiles
        start = tiles.index(after)
        for tile in tiles[start + 1 :] + tiles[:start]:
            if tile.mark is None:
                tile.focus()
                return

    def on_picture_tile_pressed(self, event: PictureTile.Pressed) -> None:
        event.stop()
        self.press(event.tile.picture_id)

    def _focused_index(self) -> int:
        focused = self.screen.focused
        tiles = self.tiles
        return tiles.index(focused) if isinstance(focused, PictureTile) else -1

    def action_move(self, dx: int, dy: int) -> None:
        tiles = self.tiles
        index = self._focused_index()
        if index < 0:
            target = 0
        else:
            target = index + dx + dy * self.columns
            if not 0 <= target < len(tiles):
                return
        tiles[target].focus()

    def action_press(self) -> None:
        index = self._focused_index()
        if index >= 0:
            tile = self.tiles[index]
            self.press(tile.picture_id)
            if tile.mark == self.mode:  # picked (not un-picked or refused)
                self._focus_next_free(tile)

    def on_resize(self, event: events.Resize) -> None:
        # A column is as wide as the longest picture name in this language (plus border and
        # gutter), so no name is cut ("Muñeco de nieve"); never narrower than the drawings.
        longest = max(cell_len(picture_name(picture_id)) for picture_id in self.picture_ids)
        pitch = max(15, longest + 3)
        columns = max(2, min(8, (event.size.width - 2) // pitch))
        if columns != self.columns:
            self.columns = columns
            self.query_one(Grid).styles.grid_size_columns = columns
