"""The 40 security pictures drawn with box-drawing and block characters (plain data).

Each drawing is 3 rows of at most 9 columns so that five or six fit across an 80-column
terminal with their names. A test checks every picture of ``kiosk.pictures.PICTURES`` has a
drawing of that size and that no two drawings are the same. No Textual here: it is data.
"""

from __future__ import annotations

WIDTH = 9
HEIGHT = 3

ART: dict[str, tuple[str, str, str]] = {
    "apple": (
        "   ▗▞    ",
        "  ▟███▙  ",
        "  ▝███▘  ",
    ),
    "anchor": (
        "    ◯    ",
        "  ──┼──  ",
        "  ╰─┴─╯  ",
    ),
    "bicycle": (
        "    ╭─┐  ",
        " ╭─╮╱╭─╮ ",
        " ╰─╯ ╰─╯ ",
    ),
    "boat": (
        "    │◣   ",
        " ▁▁▁│▁▁▁ ",
        " ╲▁▁▁▁▁╱ ",
    ),
    "book": (
        " ╭──┬──╮ ",
        " │≡≡│≡≡│ ",
        " ╰──┴──╯ ",
    ),
    "bus": (
        " ┌─┬─┬─┐ ",
        " │▀ ▀ ▀│ ",
        " └◎───◎┘ ",
    ),
    "butterfly": (
        " ╭─╮╻╭─╮ ",
        " ╰▓╲┃╱▓╯ ",
        "  ╰╯┃╰╯  ",
    ),
    "cactus": (
        " ╻ ┃ ╻   ",
        " ┗━╋━┛   ",
        " ▁▁┃▁▁   ",
    ),
    "car": (
        "  ╭──╮   ",
        " ╭┴──┴─╮ ",
        " ╰◎──◎─╯ ",
    ),
    "castle": (
        " ▙▟▙▟▙▟▙ ",
        " █▀▀▀▀▀█ ",
        " █ ▐█▌ █ ",
    ),
    "cat": (
        "  ╱╲_╱╲  ",
        " ( •ω• ) ",
        "  ╰┬─┬╯~ ",
    ),
    "cloud": (
        "   ▄▄▄   ",
        " ▄█████▄ ",
        " ▀▀▀▀▀▀▀ ",
    ),
    "cup": (
        "   ) )   ",
        " ┃▔▔▔┃╮  ",
        " ╰───╯╯  ",
    ),
    "dog": (
        " ▗▖   ▗▖ ",
        " ▐▛▀▀▀▜▌ ",
        "  ▀▄▄▄▀  ",
    ),
    "fish": (
        "  ▄▀▀▀▄ ▗",
        " ▐ ●   ▐▌",
        "  ▀▄▄▄▀ ▝",
    ),
    "flower": (
        "   ✿✿✿   ",
        "   ╲│╱   ",
        "  ▁▁┃▁▁  ",
    ),
    "guitar": (
        "      ╪═ ",
        "  ▄█▄╱   ",
        "  ▀█▀    ",
    ),
    "hat": (
        "   ▄▄▄   ",
        "   ███   ",
        " ▀▀▀▀▀▀▀ ",
    ),
    "heart": (
        " ▄██▄██▄ ",
        "  ▀███▀  ",
        "    ▀    ",
    ),
    "house": (
        "   ╱╲    ",
        "  ╱  ╲   ",
        "  │▐▌│   ",
    ),
    "key": (
        " ╭─╮     ",
        " │○├──┬┬ ",
        " ╰─╯     ",
    ),
    "kite": (
        "   ╱╲    ",
        "   ╲╱    ",
        "    ╰~~  ",
    ),
    "lamp": (
        "  ╱▔▔╲   ",
        "  ▔▔┃▔   ",
        "   ▁┻▁   ",
    ),
    "leaf": (
        "   ▄▄▀   ",
        " ▄█▀█▀   ",
        " ▀▀      ",
    ),
    "moon": (
        "  ▄▀▀    ",
        " █       ",
        "  ▀▄▄    ",
    ),
    "mountain": (
        "    ▲    ",
        "   ╱ ╲ ▲ ",
        "  ╱   ╲ ╲",
    ),
    "mushroom": (
        "  ▄███▄  ",
        " ▀▀█▀█▀▀ ",
        "   ▐▌    ",
    ),
    "pencil": (
        "         ",
        " ◀▇▇▇▇▇▌ ",
        "         ",
    ),
    "pizza": (
        " ▀▀▀▀▀▀▀ ",
        "  ▜●▀●▛  ",
        "   ▜▛    ",
    ),
    "rain": (
        "  ▄██▄▄  ",
        " ▀▀▀▀▀▀▀ ",
        "  ╱ ╱ ╱  ",
    ),
    "rocket": (
        "    ▲    ",
        "   ▐█▌   ",
        "  ╱▀▀▀╲  ",
    ),
    "shoe": (
        "  ▐▌     ",
        "  ▐█▄▄▄  ",
        "  ▀▀▀▀▀▀ ",
    ),
    "snowman": (
        "   ▄█▄   ",
        "   (•)   ",
        "  (   )  ",
    ),
    "star": (
        "    ▲    ",
        " ◀━━╋━━▶ ",
        "   ╱ ╲   ",
    ),
    "sun": (
        "  ╲ │ ╱  ",
        " ── ● ── ",
        "  ╱ │ ╲  ",
    ),
    "tree": (
        "   ▟█▙   ",
        "  ▟███▙  ",
        "    ┃    ",
    ),
    "train": (
        " ▄▖ ▄▄▄▄ ",
        " ██▄████ ",
        " ◎◎ ◎  ◎ ",
    ),
    "umbrella": (
        "  ▄███▄  ",
        "  ▔▔┃▔▔  ",
        "    ┘    ",
    ),
    "whale": (
        "      ╰╯ ",
        " ▄█████▄ ",
        " ▀▀▀▀▀▀▀▚",
    ),
    "clock": (
        " ╭─────╮ ",
        " │  ┃  │ ",
        " ╰──┻──╯ ",
    ),
}


def drawing(picture_id: str) -> tuple[str, ...]:
    """The picture's rows, each padded to ``WIDTH`` columns."""
    return tuple(row.ljust(WIDTH)[:WIDTH] for row in ART[picture_id])
