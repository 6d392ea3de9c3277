"""Parents' emails come in every language the district offers, first language first, and say
nothing that is only true at the kiosk."""

from __future__ import annotations

import datetime as dt

from kiosk.auth import SYSTEM
from kiosk.demo import PARENT_PASSWORD
from kiosk.services import accounts, activation, parent_mail, recovery
from tests.conftest import latest_code, outbox


def sections(body: str) -> list[str]:
    return body.split(parent_mail.SEPARATOR)


def subject(mail) -> str:  # type: ignore[no-untyped-def]
    return str(mail["Subject"])


def test_a_reset_code_arrives_in_english_then_spanish_with_the_same_code(ctx):
    recovery.request_password_reset(ctx, "alopez")
    mail = outbox(ctx)[-1]
    code = latest_code(ctx)
    english, spanish = sections(mail.get_content())
    shown = f"{code[:4]} {code[4:]}"
    assert shown in english and shown in spanish
    assert "Type it where you asked for it to reset your password." in english
    assert "Escríbalo donde lo pidió para restablecer su contraseña." in spanish
    assert "kiosk" not in mail.get_content().lower()  # asked on the web just as well
    assert english.startswith("Este correo en español está más abajo.\n\n")
    assert subject(mail) == f"{ctx.config.district.name}: your code is {shown}"


def test_a_security_notice_names_the_support_address_in_both_languages(ctx_with):
    ctx = ctx_with(support={"email": "help@district.example.org"})
    session = accounts.sign_in(ctx, "alopez", PARENT_PASSWORD)
    new = "a brand new passphrase 7"
    accounts.change_password(ctx, session, PARENT_PASSWORD, new, new)
    mail = outbox(ctx)[-1]
    english, spanish = sections(mail.get_content())
    assert "contact your school's front desk or help@district.example.org now" in english
    assert "recepción de su escuela o con help@district.example.org" in spanish
    assert subject(mail).endswith("your parent portal password was changed")


def test_a_key_email_gives_the_district_day_with_the_month_in_each_language(ctx_with):
    ctx = ctx_with(district={"time_zone": "America/Chicago"})
    three_am_utc = dt.datetime(2027, 1, 1, 3, 0, tzinfo=dt.UTC)  # still Dec 31 in Chicago
    email = parent_mail.key_email(ctx, "Maria Garcia", "KEY-TEXT", three_am_utc, None)
    english, spanish = sections(email.body)
    assert "expires on December 31, 2026." in english
    assert "vence el 31 de diciembre de 2026." in spanish
    assert "Hola, Maria Garcia:" in spanish and "KEY-TEXT" in spanish
    assert "1. Open the parent portal and choose 'I have an activation key'." in english
    assert "1. Abra el portal para padres y elija 'Tengo una clave de activación'." in spanish


def test_a_districts_own_steps_are_emailed_as_written_in_each_language(ctx_with):
    ctx = ctx_with(portal={"steps": ["Visit the district office with your key."]})
    email = parent_mail.key_email(ctx, "Maria Garcia", "KEY-TEXT", dt.datetime.now(dt.UTC), None)
    assert all(
        "1. Visit the district office with your key." in part for part in sections(email.body)
    )


def test_a_district_offering_one_language_sends_only_that_language(ctx_with):
    ctx = ctx_with(ui={"languages": ["en"]})
    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    activation.email_key(ctx, SYSTEM, issued)
    mail = outbox(ctx)[-1]
    assert parent_mail.SEPARATOR not in mail.get_content()
    assert "Hola" not in mail.get_content() and issued.key in mail.get_content()
    assert subject(mail) == f"{ctx.config.district.name}: your parent portal activation key"


def test_a_spanish_first_district_writes_spanish_first(ctx_with):
    ctx = ctx_with(ui={"languages": ["es", "en"]})
    recovery.forgot_username(ctx, "ana.lopez@example.org")
    mail = outbox(ctx)[-1]
    spanish, english = sections(mail.get_content())
    assert "Los nombres de usuario" in spanish and "alopez" in spanish
    assert "The parent portal usernames" in english
    assert spanish.startswith("This email in English is below.\n\n")
    assert subject(mail).endswith(": su nombre de usuario del portal para padres")
