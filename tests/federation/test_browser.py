"""End to end in Debian's Chromium: a parent signs in once at Front Desk and lands at a SAML SP
(pysaml2) and an OpenID Connect RP (Authlib) with the right identity, on SQLite and PostgreSQL.

One server (Front Desk's real web app beside the peers) and one browser serve the module.
"""

from __future__ import annotations

import json

import pytest

from kiosk.demo import PARENT_PASSWORD
from tests.federation.peers import register_peers
from tests.web_browser import CHROMIUM, CHROMIUM_ARGS, need_browser


@pytest.fixture(scope="module")
def browser(live):
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(any_ctx, live, browser):
    register_peers(any_ctx, live)
    context = browser.new_context(base_url=live.base)
    yield context.new_page()
    context.close()


def sign_in(page) -> None:
    page.wait_for_url("**/sign-in?**")
    page.get_by_label("Username").fill("alopez")
    page.get_by_label("Password").fill(PARENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_one_sign_in_reaches_the_saml_sp_and_the_oidc_rp(page, live):
    page.goto("/sp1/login")
    sign_in(page)
    page.wait_for_url("**/sp1/acs")  # the response page posted itself to the SP
    saml = json.loads(page.locator("body").inner_text())
    assert saml["ok"] and saml["name_id"] == "alopez"
    assert saml["attributes"] == {"username": ["alopez"]}
    assert saml["audience"] == live.sp1.entity_id

    page.goto("/rp1/login")  # the same Front Desk session: no password asked
    page.wait_for_url("**/rp1/callback?**")
    oidc = json.loads(page.locator("body").inner_text())
    assert oidc["ok"], oidc
    assert oidc["id_token"]["preferred_username"] == "alopez"
    assert oidc["id_token"]["guardian_id"] == "G-1003"
    assert oidc["userinfo"]["sub"] == oidc["id_token"]["sub"]


def test_a_refusal_is_a_plain_accessible_page(page, live):
    from axe_playwright_python.sync_playwright import Axe

    page.goto("/saml/start/campus")
    assert page.get_by_role("alert").inner_text().startswith("This portal only accepts")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
