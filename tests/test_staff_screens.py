"""Pilot tests of the staff flows, end to end on the demo district at 80x24."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, OptionList, Select, Static

from kiosk.app import make_app
from kiosk.screens.issue_key import IssueKeyScreen
from kiosk.screens.staff_account import AccountLookupScreen
from kiosk.screens.staff_confirm import ConfirmModal
from kiosk.screens.staff_guardian import GuardianCardScreen
from kiosk.screens.staff_home import StaffHomeScreen
from kiosk.screens.staff_sign_in import StaffSignInScreen
from kiosk.screens.verify_request import VerifyRequestScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.store.models import ActivationKey, PortalRequest
from tests.conftest import outbox
from tests.staff_helpers import click, on_screen, screen_text, settled, sign_in_as, wait_for

SIZE = (80, 24)


async def test_staff_sign_in_with_the_keyboard(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        app.go_staff_sign_in()
        await settled(pilot)
        assert isinstance(app.screen, StaffSignInScreen)
        await pilot.press(*"desk", "enter", *"front-desk-demo-pass", "enter")
        await wait_for(pilot, lambda: on_screen(app, StaffHomeScreen))
        assert app.staff is not None and app.staff.name == "desk"
        assert "signed in as desk" in screen_text(app)


async def test_staff_sign_in_failure_is_generic_and_clears_the_password(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.go_staff_sign_in()
        await settled(pilot)
        await pilot.press(*"desk", "enter", *"wrong-password", "enter")
        screen = app.screen
        message = screen.query_one("#message", Static)
        await wait_for(pilot, lambda: "did not work" in str(message.render()))
        assert app.staff is None
        assert screen.query_one("#password", Input).value == ""
        assert isinstance(app.screen, StaffSignInScreen)


async def test_empty_sign_in_says_what_to_type(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.go_staff_sign_in()
        await settled(pilot)
        await click(pilot, "#sign-in")
        assert "Type your staff username and password" in screen_text(app)


async def search_for(pilot, text: str) -> StaffHomeScreen:
    home = pilot.app.screen
    assert isinstance(home, StaffHomeScreen)
    field = home.query_one("#search", Input)
    field.focus()
    await pilot.press(*text)
    await wait_for(pilot, lambda: home.shown_query == field.value)
    return home


async def test_search_as_you_type_shows_guardians_and_students(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        home = await search_for(pilot, "garcia")
        results = home.query_one("#results", OptionList)
        ids = {results.get_option_at_index(i).id for i in range(results.option_count)}
        assert {"guardian:G-1001", "student:S-2001"} <= ids
        text = screen_text(app)
        assert "Maria Garcia" in text and "Sofia Garcia" in text
        # a phone number and a student number also find people
        await pilot.press("escape")
        home = await search_for(pilot, "100202")
        assert "Mateo Garcia" in screen_text(app)


async def test_search_with_no_match_says_so(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        await search_for(pilot, "zzzqqq")
        assert "Nobody matches" in screen_text(app)


async def test_choosing_a_student_lists_their_guardians(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        await search_for(pilot, "sofia")
        await pilot.press("enter")  # focus results
        await pilot.press("enter")  # choose Sofia
        await wait_for(pilot, lambda: "Parents and guardians" in screen_text(app))
        text = screen_text(app)
        assert "Parents and guardians of Sofia Garcia" in text
        assert "Maria Garcia" in text and "Luis Garcia" in text


async def open_card(pilot, query: str, option_id: str) -> GuardianCardScreen:
    home = await search_for(pilot, query)
    results = home.query_one("#results", OptionList)
    index = next(
        i for i in range(results.option_count) if results.get_option_at_index(i).id == option_id
    )
    results.focus()
    results.highlighted = index
    await pilot.press("enter")
    await wait_for(pilot, lambda: on_screen(pilot.app, GuardianCardScreen))
    card = pilot.app.screen
    await wait_for(pilot, lambda: card.card is not None)
    return card


async def test_guardian_card_shows_students_account_and_why_not(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        card = await open_card(pilot, "kevin", "guardian:G-1008")
        text = screen_text(app)
        assert "Kevin Brown" in text
        assert "custody restriction" in text
        assert not card.query_one("#verify", Button).display  # nothing eligible
        await pilot.press("escape")
        card = await open_card(pilot, "ana lopez", "guardian:G-1003")
        assert "alopez" in screen_text(app)
        assert card.query_one("#account", Button).display
        assert not card.query_one("#verify", Button).display


async def verify_form(pilot, query="maria", gid="guardian:G-1001") -> VerifyRequestScreen:
    card = await open_card(pilot, query, gid)
    await click(pilot, "#verify")
    await wait_for(pilot, lambda: on_screen(pilot.app, VerifyRequestScreen))
    form = pilot.app.screen
    await wait_for(pilot, lambda: form.card is not None)
    await pilot.pause()
    del card
    return form


async def test_verify_request_needs_photo_id_and_signature(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        form = await verify_form(pilot)
        await pilot.press("ctrl+s")
        message = str(form.query_one("#message", Static).render())
        assert "photo ID" in message and "sign" in message
        form.query_one("#id-type", Select).value = "passport"
        await pilot.press("ctrl+s")
        message = str(form.query_one("#message", Static).render())
        assert "photo ID" not in message and "sign the form" in message
        with ctx.store.read():
            assert PortalRequest.select().count() == 0


async def test_verify_then_issue_shows_the_key_and_done_clears_it(ctx, monkeypatch):
    monkeypatch.setattr("kiosk.keys.new_key", lambda: "0123456789ABCDEF0123456789ABCDEF")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        form = await verify_form(pilot)
        boxes = [b for b in form.query(Checkbox) if b.id and b.id.startswith("student-")]
        assert len(boxes) == 2 and all(b.value for b in boxes)
        mateo = next(b for b in boxes if "Mateo" in str(b.label))
        mateo.value = False  # only Sofia this time
        form.query_one("#id-type", Select).value = "drivers_license"
        form.query_one("#signature", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, IssueKeyScreen))
        text = screen_text(app)
        assert "{01234567-89AB-CDEF-" in text and "0123-456789ABCDEF}" in text
        assert "Maria Garcia" in text and "Expires" in text
        with ctx.store.read():
            request = PortalRequest.get()
            assert request.id_type == "drivers_license"
            assert [s.student.sourced_id for s in request.student_links] == ["S-2001"]
            assert ActivationKey.select().count() >= 1
        screen = app.screen
        await pilot.press("escape")  # Done
        await wait_for(pilot, lambda: on_screen(app, StaffHomeScreen))
        assert screen.issued is None
        assert "0123456789" not in screen_text(app)
        assert all(not isinstance(s, IssueKeyScreen) for s in app.screen_stack)


async def issue_for_maria(pilot, app) -> IssueKeyScreen:
    """Sign in at the desk, verify Maria's request with a passport and reach her key."""
    await sign_in_as(pilot)
    form = await verify_form(pilot)
    form.query_one("#id-type", Select).value = "passport"
    form.query_one("#signature", Checkbox).value = True
    await click(pilot, "#submit")
    await wait_for(pilot, lambda: on_screen(app, IssueKeyScreen))
    return app.screen


async def test_email_the_key_to_the_guardian(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await issue_for_maria(pilot, app)
        key = app.screen.issued.key
        await pilot.press("f7")
        await wait_for(pilot, lambda: "Emailed to" in screen_text(app))
        message = outbox(ctx)[-1]
        assert message["To"] == "maria.garcia@example.org"
        assert key in message.get_content()


async def test_verify_for_a_guardian_with_an_account_offers_account_tools(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        screen = VerifyRequestScreen("G-1003")  # Ana Lopez has account alopez
        app.push_screen(screen)
        await wait_for(pilot, lambda: screen.existing_username == "alopez")
        assert "already has a portal account: alopez" in screen_text(app)
        assert not screen.query_one("#submit", Button).display
        await click(pilot, "#account")
        await wait_for(pilot, lambda: on_screen(app, AccountLookupScreen))
        lookup = app.screen
        await wait_for(pilot, lambda: lookup.selected is not None)
        assert lookup.selected.username == "alopez"


async def test_reissue_key_from_the_card_revokes_the_old_one(ctx, desk):
    from kiosk.services.activation import issue_key

    issue_key(ctx, desk, "G-1002")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        card = await open_card(pilot, "luis", "guardian:G-1002")
        assert "A key is live until" in screen_text(app)
        assert card.query_one("#reissue", Button).display
        await click(pilot, "#reissue")
        await wait_for(pilot, lambda: on_screen(app, ConfirmModal))
        assert "stops working now" in screen_text(app)
        with ctx.store.read():  # nothing changes before the confirmation
            assert ActivationKey.select().where(ActivationKey.revoked_at.is_null()).count() == 1
        await pilot.press("shift+tab", "enter")  # focus starts on Cancel
        await wait_for(pilot, lambda: on_screen(app, IssueKeyScreen))
        with ctx.store.read():
            live = ActivationKey.select().where(ActivationKey.revoked_at.is_null()).count()
            assert live == 1


async def lookup(pilot, query: str) -> AccountLookupScreen:
    await pilot.press("f2")
    await wait_for(pilot, lambda: on_screen(pilot.app, AccountLookupScreen))
    screen = pilot.app.screen
    await pilot.press(*query)
    await wait_for(pilot, lambda: screen.selected is not None)
    return screen


async def test_account_lookup_shows_state_and_unlocks(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "hsdesk")  # Aarav Patel is at the high school
        screen = await lookup(pilot, "ppatel")
        assert "locked" in screen_text(app)
        assert "failed attempts" in screen_text(app)
        await pilot.press("f4")
        await wait_for(pilot, lambda: screen.selected.state == "active")
        assert "unlocked" in screen_text(app)


def footer(app) -> str:
    """The key line at the bottom of the screen."""
    return screen_text(app).splitlines()[-1]


async def test_lookup_footer_lists_unlock_only_for_an_account_it_can_unlock(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "registrar")
        screen = await lookup(pilot, "alopez")  # active: nothing to unlock
        assert "Back" in footer(app) and "Reset password" in footer(app)
        assert "Unlock" not in footer(app)
        await pilot.press("f4")  # a key not listed does nothing
        await pilot.pause()
        assert "unlocked" not in screen_text(app)
        await pilot.press(*["backspace"] * len("alopez"), *"ppatel")  # locked
        await wait_for(pilot, lambda: screen.selected.username == "ppatel")
        assert "f4 Unlock" in footer(app)
        await pilot.press("f4")
        await wait_for(pilot, lambda: screen.selected.state == "active")
        assert "Unlock" not in footer(app)  # the key went with the lock


async def test_enable_and_disable(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        screen = await lookup(pilot, "rchen")
        assert screen.selected.state == "disabled"
        await click(pilot, "#enable")
        await wait_for(pilot, lambda: screen.selected.enabled)
        await click(pilot, "#disable")
        await wait_for(pilot, lambda: on_screen(app, ConfirmModal))
        assert "signed out everywhere" in screen_text(app) and "rchen" in screen_text(app)
        await pilot.press("enter")  # Cancel has the focus: a stray Enter changes nothing
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.selected.enabled
        await click(pilot, "#disable")
        await wait_for(pilot, lambda: on_screen(app, ConfirmModal))
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: not screen.selected.enabled)
        assert "disabled" in screen_text(app)


async def test_reset_with_questions_needs_every_answer_then_shows_temp_once(ctx):
    from kiosk.screens.staff_reset import ResetPasswordModal
    from kiosk.services.staff import GUARDIANSHIP_QUESTIONS

    app = make_app(ctx)
    async with app.run_test(size=(80, 30)) as pilot:
        await sign_in_as(pilot)
        await lookup(pilot, "alopez")
        await pilot.press("f8")
        await wait_for(pilot, lambda: on_screen(app, ResetPasswordModal))
        modal = app.screen
        assert modal.proof() == ""  # the proof is recorded only when staff choose it
        await click(pilot, "#reset")
        assert "Choose how the parent proved who they are" in screen_text(app)
        assert not modal.reset_done
        await click(pilot, "#proof-guardianship_questions")
        assert modal.proof() == "guardianship_questions"
        keys = list(GUARDIANSHIP_QUESTIONS)
        for key in keys[:-1]:
            modal.query_one(f"#q-{key}", Checkbox).value = True
        await click(pilot, "#reset")
        assert "Still open" in screen_text(app)
        modal.query_one(f"#q-{keys[-1]}", Checkbox).value = True
        modal.query_one("#reset", Button).press()
        await wait_for(pilot, lambda: modal.reset_done)
        shown = str(modal.query_one("#temporary", Static).render())
        temp = shown.splitlines()[1].strip()
        assert len(temp) == 19 and temp.count("-") == 3
        await click(pilot, "#close")
        await wait_for(pilot, lambda: on_screen(app, AccountLookupScreen))
        assert temp not in screen_text(app)
    from kiosk.services.accounts import sign_in

    session = sign_in(ctx, "alopez", temp)
    assert session is not None


def test_student_guardians_service_lists_flags_and_respects_schools(ctx, desk):
    import pytest

    from kiosk.errors import PermissionDenied
    from kiosk.services.people import student_guardians
    from tests.conftest import staff_actor

    found = student_guardians(ctx, desk, "S-2008")
    assert [(h.id, h.name) for h in found] == [("G-1008", "Kevin Brown"), ("G-1009", "Sarah Brown")]
    assert "custody restriction" in found[0].detail
    with pytest.raises(PermissionDenied):
        student_guardians(ctx, staff_actor(ctx, "hsdesk"), "S-2008")


async def test_the_newest_search_wins_even_when_an_older_one_answers_later(ctx, monkeypatch):
    import threading

    from kiosk.services import people

    release = threading.Event()
    started: list[str] = []

    def slow_first(ctx_, actor, text, limit=25):
        started.append(text)
        if text == "wil":
            release.wait(5)  # the older query answers only after the newer one
        return people.search(ctx_, actor, text, limit)

    monkeypatch.setattr("kiosk.screens.staff_home.search", slow_first)
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        home = app.screen
        field = home.query_one("#search", Input)
        field.value = "wil"  # one change, one search (which will answer late)
        await wait_for(pilot, lambda: started == ["wil"])
        field.value = "maria"
        await wait_for(pilot, lambda: home.shown_query == "maria")
        shown = home.searches_done
        release.set()
        await pilot.pause(0.2)
        assert home.searches_done == shown  # the stale "wil" answer was dropped
        assert home.shown_query == "maria"
        text = screen_text(app)
        assert "Maria Garcia" in text and "Wilson" not in text
        assert started[-1] == "maria"


async def test_registrar_sets_custody_and_portal_flags_on_the_card(ctx):
    from textual.widgets import Checkbox as _Checkbox

    from kiosk.screens.staff_flags import RelationshipFlagsModal
    from kiosk.store.models import AuditEvent, Relationship

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "desk")
        await open_card(pilot, "kevin", "guardian:G-1008")
        assert not app.screen.query_one("#flags", Button).display  # front desk: no flags
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot, "registrar")
        card = await open_card(pilot, "kevin", "guardian:G-1008")
        await wait_for(pilot, lambda: "custody" in screen_text(app))
        await click(pilot, "#flags")
        await wait_for(pilot, lambda: on_screen(app, RelationshipFlagsModal))
        await settled(pilot)
        custody = app.screen.query_one("#custody-0", _Checkbox)
        assert custody.value
        custody.value = False
        await click(pilot, "#save")
        await wait_for(pilot, lambda: app.screen is card)
        await wait_for(pilot, lambda: "custody" not in screen_text(app))
    link = Relationship.get(Relationship.sourced_id == "G-1008:S-2008")
    assert not link.custody_restriction and link.portal_access
    event = AuditEvent.select().where(AuditEvent.action == "relationship.update").get()
    assert event.target == "G-1008->S-2008" and event.actor == "staff:registrar"


async def test_key_screen_notices_an_account_made_on_the_phone_and_offers_students(ctx):
    from kiosk.screens.linked_students import LinkedStudentsScreen
    from kiosk.services.activation import redeem_key

    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await issue_for_maria(pilot, app)
        screen.check_redeemed()  # what the screen's timer does every few seconds
        await app.workers.wait_for_complete()
        await settled(pilot)
        assert not screen.query_one("#students", Button).display  # nothing made yet
        password = "seven green ferries at dawn"
        redeem_key(ctx, screen.issued.key, "mgarcia", password, password)  # on the phone
        screen.check_redeemed()
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "on their phone" in screen_text(app))
        assert "mgarcia" in screen_text(app) and screen.issued is None  # the key is gone
        assert app.focused is screen.query_one("#students", Button)
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_screen(app, LinkedStudentsScreen))
