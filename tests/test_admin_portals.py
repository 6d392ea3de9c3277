"""Issue 13, "and on the admin console": portal registrations (SAML SPs, OIDC clients) on the
admin console, driven with real key presses."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from kiosk.app import make_app
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.federation import registry
from kiosk.screens.admin_confirm import ConfirmWithPasswordModal
from kiosk.screens.admin_portals import AdminPortalsScreen
from kiosk.screens.admin_portals_add import AddClientModal, AddSpModal
from kiosk.store.models import AuditEvent
from kiosk.widgets.admin_table import AdminTable
from tests.conftest import staff_actor
from tests.federation.peers import OneLoginSp
from tests.staff_helpers import on_screen, screen_text, wait_for
from tests.test_admin_tools import SMALL, console_as, settle

ADMIN = ("admin", "district-admin-demo-pass")


async def open_portals(app, pilot) -> None:
    await console_as(pilot, *ADMIN)
    menu = app.screen.query_one("#tools", OptionList)
    ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
    await pilot.press(*["down"] * ids.index("portals"), "enter")
    await wait_for(pilot, lambda: on_screen(app, AdminPortalsScreen))
    await settle(app, pilot)


def rows(app) -> list[list[str]]:
    return [list(r) for r in app.screen.query_one(AdminTable).shown_rows]


def message(app) -> str:
    return str(app.screen.query_one("#message", Static).render())


async def test_only_district_admins_see_the_tool(ctx) -> None:
    for user, password, sees in [("registrar", "registrar-demo-pass", False), (*ADMIN, True)]:
        app = make_app(ctx, kiosk_mode=False, admin=True)
        async with app.run_test(size=SMALL) as pilot:
            await console_as(pilot, user, password)
            menu = app.screen.query_one("#tools", OptionList)
            ids = [menu.get_option_at_index(i).id for i in range(menu.option_count)]
            assert ("portals" in ids) is sees
    with pytest.raises(PermissionDenied):  # the service refuses too, whatever the menu shows
        registry.add_client(ctx, staff_actor(ctx, "desk"), "Sneaky", ["https://x.example.org/cb"])
    with pytest.raises(PermissionDenied):
        registry.remove_sp(ctx, staff_actor(ctx, "registrar"), "anything")


async def test_lists_registrations_and_adds_a_client_whose_secret_shows_once(ctx) -> None:
    admin = staff_actor(ctx, "admin")
    registry.add_sp(
        ctx, admin, "Campus [b]SP[/b]", OneLoginSp("https://campus.example.org").metadata(), "email"
    )
    lib = registry.add_client(ctx, admin, "Library", ["https://lib.example.org/cb"], public=True)
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await open_portals(app, pilot)
        table = rows(app)
        assert table[0][:5] == [
            "SAML SP",
            "Campus [b]SP[/b]",
            "https://campus.example.org/sp2/metadata",
            "email",
            "no",
        ]
        assert table[1] == [
            "OIDC client",
            "Library",
            lib.client.client_id,
            "",
            "",
            "yes",
            "https://lib.example.org/cb",
        ]
        assert "Campus [b]SP[/b]" in screen_text(app)  # a name is plain text, never markup
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: on_screen(app, AddClientModal))
        await pilot.press(
            *"Gradebook", "enter", *"http://evil.example.org/cb", "enter", "tab", "enter"
        )
        await settle(app, pilot)
        assert "https" in message(app)  # refused with the registry's reason; nothing added
        assert len(registry.list_clients(ctx)) == 1
        field = app.screen.query_one("#redirect-uri")
        field.focus()
        await pilot.press("ctrl+u", *"https://grades.example.org/cb", "enter")
        await pilot.press("tab", "enter")  # Select (confidential) -> Add
        await settle(app, pilot)
        shown = message(app)
        assert "Client secret: " in shown and "not shown again" in shown
        secret = shown.split("Client secret: ")[1].split("\n")[0]
        gradebook = registry.client_by_name("Gradebook")
        assert registry.same_secret(secret, gradebook.secret_hash)
        await pilot.press("enter")  # Done
        await wait_for(pilot, lambda: on_screen(app, AdminPortalsScreen))
        await settle(app, pilot)
        listed = [r for r in rows(app) if r[1] == "Gradebook"]
        assert listed == [
            [
                "OIDC client",
                "Gradebook",
                gradebook.client_id,
                "",
                "",
                "no",
                "https://grades.example.org/cb",
            ]
        ]
        assert secret not in screen_text(app)  # gone with the dialog, never in the table
    details = " ".join(str(e.detail) for e in AuditEvent.select())
    assert secret not in details


async def test_adds_an_sp_from_its_metadata_file_and_refuses_an_unreadable_one(
    ctx, tmp_path
) -> None:
    (tmp_path / "sp.xml").write_text(OneLoginSp("https://campus.example.org").metadata())
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await open_portals(app, pilot)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: on_screen(app, AddSpModal))
        await pilot.press(
            *"Campus", "enter", *str(tmp_path / "missing.xml"), "enter", "tab", "enter"
        )
        await settle(app, pilot)
        assert "cannot read the metadata file" in message(app)
        app.screen.query_one("#metadata-path").focus()
        await pilot.press("ctrl+u", *str(tmp_path / "sp.xml"), "enter", "tab", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminPortalsScreen))
        await settle(app, pilot)
        assert [
            "SAML SP",
            "Campus",
            "https://campus.example.org/sp2/metadata",
            "username",
            "no",
            "",
            "",
        ] in rows(app)


def test_read_metadata_refuses_a_huge_or_binary_file(tmp_path) -> None:
    (tmp_path / "big.xml").write_bytes(b" " * (registry.MAX_METADATA_BYTES + 1))
    (tmp_path / "bin.xml").write_bytes(b"\xff\xfe<x/>")
    for name, reason in [("big.xml", "too large"), ("bin.xml", "not UTF-8")]:
        with pytest.raises(ValidationError) as caught:
            registry.read_metadata(str(tmp_path / name))
        assert caught.value.params["reason"] == reason


async def test_remove_asks_for_the_password_and_a_wrong_one_removes_nothing(ctx) -> None:
    admin = staff_actor(ctx, "admin")
    registry.add_client(ctx, admin, "Library", ["https://lib.example.org/cb"], public=True)
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await open_portals(app, pilot)
        screen = app.screen
        await pilot.press("delete")
        await wait_for(pilot, lambda: on_screen(app, ConfirmWithPasswordModal))
        assert "Remove Library?" in screen_text(app)
        await pilot.press(*"wrong-password", "enter")
        await settle(app, pilot)
        assert "Nothing was changed" in message(app)
        assert [c.name for c in registry.list_clients(ctx)] == ["Library"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert [c.name for c in registry.list_clients(ctx)] == ["Library"]
        await pilot.press("delete")
        await wait_for(pilot, lambda: on_screen(app, ConfirmWithPasswordModal))
        await pilot.press(*ADMIN[1], "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(app, pilot)
        assert str(screen.query_one("#status", Static).render()) == "Removed Library."
        assert rows(app) == []
    assert registry.list_clients(ctx) == []
    assert AuditEvent.select().where(AuditEvent.action == "federation.client_remove").count() == 1
