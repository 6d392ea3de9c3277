"""The parent web in Debian's Chromium: keyboard only, at 320 and 1280 CSS pixels, with axe-core
finding zero accessibility violations on every page and state, in English and Spanish.

One ``kiosk serve`` subprocess and one browser serve the whole module; each test has its own
browser context (cookies) and its own guardian, so the tests do not depend on each other.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.demo import DISLIKED, LIKED, PARENT_PASSWORD
from tests import web_browser
from tests.web_browser import DESKTOP, PHONE, newest_code, outbox_messages

NEW_PASSWORD = "seven green ferries at dawn"
SHOTS = Path(__file__).resolve().parent.parent / ".browser-shots"
server = web_browser.server  # one kiosk serve and one browser for the module
browser = web_browser.browser


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def new_page(browser, server, size=PHONE, lang="en"):
    context = browser.new_context(
        viewport=size, base_url=server.url, locale="es-US" if lang == "es" else "en-US"
    )
    return context.new_page()


def tab_to(page, selector: str, limit: int = 160) -> None:
    """Press Tab until ``selector`` has focus: it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def type_in(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def submit(page) -> None:
    """Enter in the focused field sends the form; wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tick(page, field: str, ids: list[str]) -> None:
    for picture in ids:
        tab_to(page, f"#{field}-{picture}")
        page.keyboard.press("Space")


def check(page, axe, label: str) -> None:
    """Zero axe violations, no sideways scrolling, and the focused element shows its focus."""
    results = axe.run(page)
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, label
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{label}.png"), full_page=True)


def focus_is_visible(page) -> bool:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
    )


def cli(server, *args: str) -> str:
    from kiosk.cli import main

    result = CliRunner().invoke(main, ["--config", str(server.config_path), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_activation_from_the_emailed_link_then_first_sign_in_on_a_phone(browser, server, axe):
    cli(server, "keys", "issue", "G-1001", "--email")
    mail = outbox_messages(server.folder)[-1]
    link = re.search(r"http://\S+/activate#key=[0-9A-F]{32}", mail.get_content()).group()
    page = new_page(browser, server)
    page.goto(link)
    shown = page.input_value("#key")  # filled from the fragment, grouped as on the letter
    assert re.sub(r"[{}-]", "", shown) == link.split("key=")[1] and shown.startswith("{")
    assert page.evaluate("document.getElementById('key').scrollWidth") <= page.evaluate(
        "document.getElementById('key').clientWidth"
    )  # the whole key is visible on a 320 px phone
    assert "#" not in page.url  # and taken out of the address bar
    check(page, axe, "activate-key")
    tab_to(page, "#key")
    assert focus_is_visible(page)
    submit(page)
    type_in(page, "#username", "mgarcia")
    type_in(page, "#password", "short")
    type_in(page, "#again", "short")
    submit(page)
    # Announced first: the page's script moves the focus there once it runs.
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    assert page.get_attribute("#password", "aria-invalid") == "true"
    check(page, axe, "activate-error")
    type_in(page, "#password", NEW_PASSWORD)
    type_in(page, "#again", NEW_PASSWORD)
    submit(page)
    assert (
        page.url.endswith("/setup/email?next=/students%3Fwelcome%3D1") or "/setup/email" in page.url
    )
    check(page, axe, "setup-email")
    type_in(page, "#email", "maria@example.org")
    type_in(page, "#email_again", "maria@example.org")
    type_in(page, "#password", NEW_PASSWORD)
    submit(page)
    check(page, axe, "setup-email-code")
    type_in(page, "#code", newest_code(server.folder))
    submit(page)
    assert "/setup/pictures" in page.url
    check(page, axe, "setup-pictures-liked")
    tick(page, "liked", LIKED)
    tab_to(page, "button[type=submit]")
    submit(page)
    check(page, axe, "setup-pictures-disliked")
    tick(page, "disliked", DISLIKED)
    tab_to(page, "button[type=submit]")
    submit(page)
    assert page.url.endswith("/students?welcome=1")
    assert "Sofia Garcia" in page.inner_text("#linked")
    check(page, axe, "students-welcome")
    page.context.close()


def sign_in_by_keyboard(page, username="alopez", password=PARENT_PASSWORD) -> None:
    page.goto("/sign-in")
    type_in(page, "#username", username)
    type_in(page, "#password", password)
    submit(page)


def test_sign_out_and_in_again_on_a_desktop(browser, server, axe):
    page = new_page(browser, server, DESKTOP)
    page.goto("/sign-in")
    check(page, axe, "sign-in")
    type_in(page, "#username", "alopez")
    type_in(page, "#password", "not the password")
    submit(page)
    check(page, axe, "sign-in-error")
    type_in(page, "#password", PARENT_PASSWORD)
    submit(page)
    assert page.url.endswith("/students")
    tab_to(page, "button.link")  # Sign out
    assert focus_is_visible(page)
    submit(page)
    assert "/sign-in" in page.url and "You are signed out." in page.inner_text("main")
    page.goto("/students")
    assert "/sign-in?next=/students" in page.url
    sign_in_by_keyboard(page)
    assert page.url.endswith("/students")
    page.context.close()


def test_forgot_password_with_the_code_and_the_pictures(browser, server, axe):
    page = new_page(browser, server)
    page.goto("/forgot-password")
    check(page, axe, "forgot-password")
    type_in(page, "#identifier", "alopez")
    submit(page)
    check(page, axe, "forgot-password-code")
    type_in(page, "#code", "00000000")
    submit(page)
    check(page, axe, "forgot-password-code-error")
    type_in(page, "#code", newest_code(server.folder))
    submit(page)
    assert page.locator("input[name=liked]").count() == 16
    check(page, axe, "forgot-password-pictures")
    tick(page, "liked", LIKED)
    type_in(page, "#new", NEW_PASSWORD)
    type_in(page, "#again", NEW_PASSWORD)
    submit(page)
    assert "Your password was changed" in page.inner_text("main")
    check(page, axe, "forgot-password-done")
    sign_in_by_keyboard(page, "alopez", NEW_PASSWORD)
    assert page.url.endswith("/students")
    page.context.close()


def test_forgot_username(browser, server, axe):
    page = new_page(browser, server, DESKTOP)
    page.goto("/forgot-username")
    check(page, axe, "forgot-username")
    type_in(page, "#email", "ana.lopez@example.org")
    submit(page)
    assert "we have sent the usernames" in page.inner_text("main")
    check(page, axe, "forgot-username-sent")
    page.context.close()
    assert "alopez" in outbox_messages(server.folder)[-1].get_content()


def test_change_the_recovery_email_and_the_old_address_is_told(browser, server, axe):
    page = new_page(browser, server)
    key = re.search(r"\{[0-9A-F-]{36}\}", cli(server, "keys", "issue", "G-1011")).group()
    page.goto("/activate")
    type_in(page, "#key", key)
    submit(page)
    type_in(page, "#username", "soneil")
    type_in(page, "#password", NEW_PASSWORD)
    type_in(page, "#again", NEW_PASSWORD)
    submit(page)
    for address in ("first@example.org", "second@example.org"):
        page.goto("/account/email" if address.startswith("second") else page.url)
        check(page, axe, f"email-{address.split('@')[0]}")
        type_in(page, "#email", address)
        type_in(page, "#email_again", address)
        type_in(page, "#password", NEW_PASSWORD)
        submit(page)
        type_in(page, "#code", newest_code(server.folder))
        submit(page)
        if address.startswith("first"):
            tab_to(page, "button.secondary")  # Not now (pictures)
            submit(page)
    assert page.url.endswith("/account?done=email")
    assert "second@example.org" in page.inner_text("main")
    check(page, axe, "account-email-changed")
    notice = outbox_messages(server.folder)[-1]
    assert notice["To"] == "first@example.org" and "changed" in notice["Subject"]
    page.context.close()


def test_linked_students_with_a_diagnosed_missing_child(browser, server, axe):
    key = re.search(r"\{[0-9A-F-]{36}\}", cli(server, "keys", "issue", "G-1006")).group()
    page = new_page(browser, server, DESKTOP)
    page.goto("/activate")
    type_in(page, "#key", key)
    submit(page)
    type_in(page, "#username", "jwilson")
    type_in(page, "#password", NEW_PASSWORD)
    type_in(page, "#again", NEW_PASSWORD)
    submit(page)
    tab_to(page, "button.secondary")  # put the set-up off for now
    submit(page)
    assert "/students" in page.url
    assert "Emma Wilson" in page.inner_text("#linked")
    missing = page.inner_text("#missing")
    assert "Noah Wilson" in missing and "another record of you" in missing
    assert "TVS" in page.inner_text("#mobile-code")
    assert "within 24 hours" in page.inner_text("#support")
    check(page, axe, "students-missing")
    page.goto("/account")
    check(page, axe, "account")
    for path in ("/account/password", "/account/pictures"):
        page.goto(path)
        check(page, axe, path.strip("/").replace("/", "-"))
    page.context.close()


def test_the_online_key_request(browser, server, axe):
    page = new_page(browser, server)
    page.goto("/")
    tab_to(page, "a[href='/request-key']")
    submit(page)
    check(page, axe, "request-key")
    type_in(page, "#student_number", "100203")
    tab_to(page, "#birth_date")
    page.keyboard.type("01202016")  # the date field takes digits in the browser's order
    type_in(page, "#ssn", "123456789")
    submit(page)
    assert "If the details match our records" in page.inner_text("main")
    assert not re.search(r"[0-9A-F]{8}-[0-9A-F]{4}", page.content())
    check(page, axe, "request-key-sent")
    page.context.close()


def test_the_spanish_path(browser, server, axe):
    page = new_page(browser, server, PHONE, lang="es")
    page.goto("/")
    assert page.get_attribute("html", "lang") == "es"
    check(page, axe, "es-home")
    tab_to(page, "a[hreflang=en]")
    submit(page)
    assert page.get_attribute("html", "lang") == "en"
    tab_to(page, "a[hreflang=es]")
    submit(page)
    assert "Tengo una clave de activación" in page.inner_text("main")
    page.goto("/activate")
    type_in(page, "#key", "0" * 32)
    submit(page)
    assert "No encontramos esa clave" in page.inner_text("#error-summary")
    check(page, axe, "es-activate-error")
    sign_in_by_keyboard(page, "alopez", "equivocada")
    check(page, axe, "es-sign-in-error")
    for path in ("/forgot-password", "/forgot-username", "/request-key", "/no-such-page"):
        page.goto(path)
        check(page, axe, "es" + path.replace("/", "-"))
    page.context.close()


def test_no_key_code_or_password_reaches_the_server_log(server):
    import httpx

    key = "E69293F41CB54E298F1EEEF6FF3BB7F7"
    response = httpx.get(f"{server.url}/activate?key={key}", follow_redirects=False)
    assert response.status_code == 303
    log = server.log_once("GET /activate?[query removed]")
    assert "GET /activate?[query removed]" in log
    for secret in (key, PARENT_PASSWORD, NEW_PASSWORD):
        assert secret not in log
    assert not re.search(r"fd_session=|\b\d{4} \d{4}\b", log)
