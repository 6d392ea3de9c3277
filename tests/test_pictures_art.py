"""The 40 security pictures are drawn, not named: each a small block of box/block characters."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult

from kiosk.pictures import PICTURE_IDS, PICTURES
from kiosk.widgets.picture_art import ART, HEIGHT, WIDTH, drawing
from kiosk.widgets.pictures import PicturePicker, PictureTile

DRAWING_CHARS = set("─│┌┐└┘├┤┬┴┼╭╮╯╰╱╲━┃┏┓┗┛╋▀▄█▌▐▖▗▘▙▚▛▜▝▞▟▁▔▇◀▶▲◣◎◯●○")


def test_every_picture_has_a_drawing_of_the_right_size():
    assert set(ART) == PICTURE_IDS and len(PICTURES) == 40
    for picture_id in PICTURE_IDS:
        rows = drawing(picture_id)
        assert len(rows) == HEIGHT
        assert all(cell_len(row) == WIDTH for row in rows), picture_id


def test_drawings_are_pictures_not_words_and_all_different():
    assert len({ART[p] for p in PICTURE_IDS}) == 40
    for picture_id, rows in ART.items():
        text = "".join(rows)
        assert sum(ch in DRAWING_CHARS for ch in text) >= 3, picture_id
        assert picture_id not in text.casefold()


class PickerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PicturePicker([p.id for p in PICTURES[:12]], limit=3)


async def test_arrows_move_by_row_and_the_limit_holds():
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = app.query_one(PicturePicker)
        picker.tiles[0].focus()
        await pilot.pause()
        await pilot.press("down")
        assert app.focused is picker.tiles[picker.columns]
        await pilot.press("up", "left")  # nothing left of the first picture
        assert app.focused is picker.tiles[0]
        for _ in range(4):  # each pick moves focus on: the fourth is refused (limit 3)
            await pilot.press("space")
        await pilot.pause()
        assert app.focused is picker.tiles[3]
        assert picker.chosen("liked") == [p.id for p in PICTURES[:3]]
        assert not picker.tiles[3].has_class("-liked")
        assert picker.tiles[0].border_title == "" and picker.tiles[0].has_class("-liked")
        await pilot.click(picker.tiles[1])
        assert picker.count() == 2
        assert isinstance(app.focused, PictureTile)
