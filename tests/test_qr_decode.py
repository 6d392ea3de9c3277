"""The QR codes Front Desk draws are scannable: the screen (and the CLI output) is rasterised
cell by cell with the colours actually drawn, and zxing-cpp decodes it back to the exact link."""

from __future__ import annotations

import re
import shutil

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image

from kiosk.app import make_app
from kiosk.keys import normalize_key
from kiosk.screens.issue_key import IssueKeyScreen
from kiosk.services.activation import issue_key
from kiosk.widgets.qr import QRCode
from tests.conftest import build_context, make_config
from tests.screen_cells import screen_cells
from tests.staff_helpers import settled, sign_in_as

URL = "https://portal.example.org/activate#key={key}"
PX = 4  # pixels per module
_TOP = {"█", "▀"}
_BOTTOM = {"█", "▄"}


@pytest.fixture
def url_ctx(ctx_with):
    return ctx_with(portal={"activation_url": URL})


@pytest.fixture
def demo_link_ctx(ctx_with):
    """The shipped kiosk.toml's parent web address (the demo's link)."""
    return ctx_with(web={"base_url": "http://127.0.0.1:8080"})


def rasterise_screen(app) -> Image.Image:
    """Paint every cell of the current screen, read from its SVG screenshot: block glyphs as
    their two halves in the text and background colours drawn; any other character as its
    background."""
    cells = screen_cells(app)
    width, height = app.size
    image = Image.new("RGB", (width * PX, height * 2 * PX), (128, 128, 128))
    pixels = image.load()
    for y, row in enumerate(cells):
        for x, cell in enumerate(row):
            fg, bg = cell.fg or (255, 255, 255), cell.bg or (0, 0, 0)
            top = fg if cell.char in _TOP else bg
            bottom = fg if cell.char in _BOTTOM else bg
            for dx in range(PX):
                for dy in range(PX):
                    pixels[x * PX + dx, y * 2 * PX + dy] = top
                    pixels[x * PX + dx, (y * 2 + 1) * PX + dy] = bottom
    return image


def rasterise_lines(lines: list[str]) -> Image.Image:
    """Half-block text as printed by the CLI: dark glyphs on a light page."""
    width = max(len(line) for line in lines)
    image = Image.new("L", (width * PX, len(lines) * 2 * PX), 255)
    pixels = image.load()
    for y, line in enumerate(lines):
        for x, ch in enumerate(line):
            for dx in range(PX):
                for dy in range(PX):
                    if ch in _TOP:
                        pixels[x * PX + dx, y * 2 * PX + dy] = 0
                    if ch in _BOTTOM:
                        pixels[x * PX + dx, (y * 2 + 1) * PX + dy] = 0
    return image


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_issue_key_screen_qr_decodes_to_the_exact_link(url_ctx, size):
    desk = _desk(url_ctx)
    issued = issue_key(url_ctx, desk, "G-1001")
    assert issued.link.startswith("https://portal.example.org/activate#key=")
    app = make_app(url_ctx)
    async with app.run_test(size=size) as pilot:
        await sign_in_as(pilot)
        app.push_screen(IssueKeyScreen(issued))
        await settled(pilot)
        qr = app.screen.query_one(QRCode)
        assert qr.data == issued.link
        # the whole code, quiet zone included, is on screen
        region = qr.region
        assert region.width == len(qr.lines[0]) and region.height == len(qr.lines)
        assert region.right <= size[0] and region.bottom <= size[1]
        assert decode(rasterise_screen(app)) == [issued.link]
        assert qr.scale == (1.0 if size == (80, 24) else 1.5)


async def test_a_bigger_terminal_draws_a_bigger_code_and_the_key_on_one_line(demo_link_ctx):
    issued = issue_key(demo_link_ctx, _desk(demo_link_ctx), "G-1001")
    assert issued.link.startswith("http://127.0.0.1:8080/activate#key=")
    drawn = {}
    for size in [(80, 24), (120, 40)]:
        app = make_app(demo_link_ctx)
        async with app.run_test(size=size) as pilot:
            await sign_in_as(pilot)
            app.push_screen(IssueKeyScreen(issued))
            await settled(pilot)
            qr = app.screen.query_one(QRCode)
            drawn[size] = qr.region
            assert qr.region.right <= size[0] and qr.region.bottom < size[1]
            assert decode(rasterise_screen(app)) == [issued.link]
            rows = ["".join(cell.char for cell in row) for row in screen_cells(app)]
            assert any(issued.key in row for row in rows), "the key is split over two lines"
    small, big = drawn[(80, 24)], drawn[(120, 40)]
    assert big.width > small.width and big.height > small.height


async def test_a_terminal_too_small_for_the_link_shows_the_bare_key(url_ctx):
    issued = issue_key(url_ctx, _desk(url_ctx), "G-1001")
    app = make_app(url_ctx)
    async with app.run_test(size=(70, 21)) as pilot:
        await sign_in_as(pilot)
        app.push_screen(IssueKeyScreen(issued))
        await settled(pilot)
        assert decode(rasterise_screen(app)) == [normalize_key(issued.key)]


async def test_the_qr_is_black_on_white_in_the_high_contrast_theme_too(tmp_path, demo_template):
    config = make_config(tmp_path, ui={"theme": "high-contrast"})
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    ctx = build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")
    issued = issue_key(ctx, _desk(ctx), "G-1001")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot)
        app.push_screen(IssueKeyScreen(issued))
        await settled(pilot)
        qr = app.screen.query_one(QRCode)
        assert qr.styles.color.rgb == (0, 0, 0)
        assert qr.styles.background.rgb == (255, 255, 255)
        assert decode(rasterise_screen(app)) == [issued.link]
    ctx.close()


def test_cli_keys_issue_prints_a_qr_that_decodes_to_the_link(url_ctx, tmp_path):
    from kiosk.cli import main
    from kiosk.store.models import ActivationKey

    url_ctx.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    toml = tmp_path / "cli.toml"
    toml.write_text(
        f'[portal]\nactivation_url = "{URL}"\n'
        f'[database]\nurl = "{tmp_path / "kiosk.db"}"\n'
        f'[mail]\noutbox_dir = "{tmp_path / "outbox"}"\n'
        f'[security]\nsecret_file = "{tmp_path / "kiosk.secret"}"\n'
    )
    result = CliRunner().invoke(main, ["--config", str(toml), "keys", "issue", "G-1002"])
    assert result.exit_code == 0, result.output
    key = re.search(r"\{[0-9A-F-]{36}\}", result.output).group()
    lines = [line for line in result.output.splitlines() if line and set(line) <= set("█▀▄ ")]
    assert decode(rasterise_lines(lines)) == [URL.replace("{key}", normalize_key(key))]
    with url_ctx.store.read():
        assert ActivationKey.select().count() >= 1


def _desk(ctx):
    from tests.conftest import staff_actor

    with ctx.store.read():
        return staff_actor(ctx, "desk")


async def test_the_qr_still_scans_in_monochrome(url_ctx, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    issued = issue_key(url_ctx, _desk(url_ctx), "G-1001")
    app = make_app(url_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot)
        app.push_screen(IssueKeyScreen(issued))
        await settled(pilot)
        assert app.no_color  # Textual's monochrome filter is on for every line drawn
        colours = {
            cell.fg for row in screen_cells(app) for cell in row if cell.fg and cell.char.strip()
        }
        assert all(r == g == b for r, g, b in colours)  # nothing but greys
        assert decode(rasterise_screen(app)) == [issued.link]
