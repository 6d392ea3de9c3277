"""A Spanish-speaking parent: Welcome and Activate, refusals included, are all in Spanish."""

from __future__ import annotations

import pytest

from kiosk.i18n import set_language
from tests.test_parent_activate import handoff_app
from tests.test_parent_harness import ParentHarness, settle, texts, type_into


@pytest.fixture(autouse=True)
def english_after():
    yield
    set_language("en")


async def test_welcome_switches_every_text_to_spanish_and_back(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        assert str(app.screen.query_one("#activate").label) == "I have an activation key"
        await pilot.click("#lang-es")
        await settle(pilot, app)
        labels = {b.id: str(b.label) for b in app.screen.query("Button")}
        assert labels["activate"] == "Tengo una clave de activación"
        assert labels["sign-in"] == "Iniciar sesión"
        assert labels["forgot"] == "Olvidé mi usuario o contraseña"
        assert labels["staff"] == "Acceso del personal"
        assert "Portal para padres" in texts(app)
        # The line of keys at the bottom comes back in Spanish too, exactly once.
        footers = [str(w.render()) for w in app.screen.query(".key-footer")]
        assert footers == ["Tab: siguiente  ·  Mayús+Tab: atrás  ·  Enter: elegir"]
        assert app.screen.query_one("#lang-es").has_class("-current")
        await pilot.click("#lang-en")
        await settle(pilot, app)
        assert str(app.screen.query_one("#activate").label) == "I have an activation key"


async def test_activate_in_spanish_with_refusals_in_spanish(ctx):
    app, _issued = handoff_app(ctx)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.click("#lang-es")
        await settle(pilot, app)
        assert "Por favor, entregue el teclado" in texts(app)
        await pilot.click("#continue")
        await settle(pilot, app)
        shown = texts(app)
        assert "Cree su cuenta del portal para padres" in shown
        assert "✓ Clave aceptada. ¡Hola, Maria!" in shown
        assert str(app.screen.query_one("#create").label) == "Crear mi cuenta"
        await type_into(pilot, app, "#username", "alopez")
        await type_into(pilot, app, "#new-password", "corta")  # leaving the name checks it
        assert "Ese nombre de usuario ya está en uso; elija otro." in texts(app)
        assert "Seguridad:" in texts(app)
        assert "· Al menos 15 caracteres" in texts(app)
        await pilot.click("#create")
        await settle(pilot, app)
        shown = texts(app)
        assert "Contraseña: Use al menos 15 caracteres (esta tiene 5)." in shown
        assert "Contraseña: las dos contraseñas son distintas" in shown


async def test_picture_names_follow_the_language(ctx):
    from kiosk.screens.parent_pictures import ParentPicturesScreen
    from kiosk.services.accounts import sign_in

    set_language("es")
    app = ParentHarness(ctx, lambda: ParentPicturesScreen(setup=False), pushed=True)
    set_language("es")  # the harness starts in English; choose Spanish as the parent would
    app.session = sign_in(ctx, "alopez", "blue-river-stone-lamp")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        tile = app.screen.query_one("#picture-whale")
        assert "Ballena" in str(tile.render())
        assert "Elija 8 imágenes que le gusten" in texts(app)
