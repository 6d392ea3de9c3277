"""The parent web at 200% zoom (WCAG 1.4.4, 1.4.10): a 1280x800 screen zoomed to 200% is a 640x400
CSS-pixel window drawn at two device pixels per CSS pixel. On each main page: no sideways
scrolling, and every control is reached with the Tab key and shown, whole and focused, in the
window (none hidden, clipped or off to the side).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.demo import PARENT_PASSWORD
from tests import web_browser

#: 1280x800 at 200% zoom.
ZOOMED = {"width": 640, "height": 400}
SHOTS = Path(__file__).resolve().parent.parent / ".browser-shots"
server = web_browser.server  # one kiosk serve and one browser for the module
browser = web_browser.browser
CONTROLS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)


@pytest.fixture(scope="module")
def page(browser, server):
    context = browser.new_context(
        viewport=ZOOMED, device_scale_factor=2, base_url=server.url, locale="en-US"
    )
    yield context.new_page()
    context.close()


def controls(page) -> int:
    """Number the page's keyboard controls (``data-control``); how many there are."""
    return page.evaluate(
        """selector => {
            const all = [...document.querySelectorAll(selector)].filter(e => !e.disabled
                && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
            all.forEach((e, i) => e.setAttribute('data-control', String(i)));
            return all.length;
        }""",
        CONTROLS,
    )


FOCUSED = """() => {
    const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {
        control: e.getAttribute('data-control'),
        what: e.outerHTML.slice(0, 120),
        inside: r.width > 0 && r.height > 0 && r.left >= -1 && r.top >= -1
            && r.right <= innerWidth + 1 && r.bottom <= innerHeight + 1,
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    };
}"""


def check_zoomed(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= ZOOMED["width"], f"{label}: scrolls sideways ({width} CSS px wide)"
    count = controls(page)
    assert count >= 3, label  # the language switch and the page's own controls at least
    reached: set[str] = set()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["control"] is None:
            continue  # the browser's own UI between the last control and the first
        assert focused["inside"], f"{label}: focused but not shown whole: {focused['what']}"
        assert focused["outline"], f"{label}: focus is not visible on {focused['what']}"
        reached.add(focused["control"])
    missing = set(map(str, range(count))) - reached
    assert not missing, f"{label}: controls never reached by Tab: {sorted(missing)}"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"zoom200-{label}.png"), full_page=True)


def test_the_main_pages_at_200_percent_zoom(page):
    for path in ("/", "/activate", "/sign-in", "/forgot-password", "/request-key"):
        page.goto(path)
        check_zoomed(page, path.strip("/") or "home")
    page.goto("/sign-in")
    page.fill("#username", "alopez")
    page.fill("#password", PARENT_PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    assert page.url.endswith("/students")
    check_zoomed(page, "students")
    page.goto("/account")
    check_zoomed(page, "account")
