"""/request-key where the student has no SSN on file: the district's configured alternative
(``[web] request_key_alternative``), one of the facts Henry County's guardianship questions use:
the guardian's own birth date, home phone or mailing address on record. A key goes only to the
guardians whose own fact matches, only by email; with no alternative configured nothing does.
"""

from __future__ import annotations

import shutil

import pytest

from kiosk import ssn
from kiosk.config import ConfigError
from kiosk.context import secret_key
from kiosk.services import key_requests
from kiosk.store.models import Guardian, Student
from tests.conftest import build_context, make_config, outbox
from tests.web_helpers import post_form, web_client

#: Sofia Garcia (S-2001, no SSN on file): guardians Maria (G-1001, 555-0101) and Luis (G-1002,
#: 555-0102), both at 12 Oak St, neither with an account yet.
SOFIA = {"student_number": "100201", "birth_date": "2017-03-14"}
MARIA, LUIS = "maria.garcia@example.org", "luis.garcia@example.org"


@pytest.fixture
def district(tmp_path, demo_template):
    made = []

    def with_alternative(alternative: str):
        folder = tmp_path / (alternative or "none")
        folder.mkdir()
        config = make_config(
            folder, web={"request_key": True, "request_key_alternative": alternative}
        )
        shutil.copy(demo_template, folder / "kiosk.db")
        ctx = build_context(config, f"sqlite:///{folder / 'kiosk.db'}")
        made.append(ctx)
        with ctx.store.write():
            Guardian.update(birth_date="1984-06-09").where(
                Guardian.sourced_id == "G-1001"
            ).execute()
        return ctx

    yield with_alternative
    for ctx in made:
        ctx.close()


def emailed(ctx, alternative: str, **student: str) -> list[str]:
    """Who got a key for Sofia's details and ``alternative`` (and no SSN)."""
    before = len(outbox(ctx))
    key_requests.request_key(ctx, ssn_text="", alternative=alternative, **(student or SOFIA))
    return sorted(m["To"] for m in outbox(ctx)[before:])


def test_the_guardians_own_birth_date(district):
    ctx = district("guardian_birth_date")
    assert emailed(ctx, "1984-06-09") == [MARIA]  # Luis has no birth date on record
    assert emailed(ctx, "1984-06-10") == []


def test_the_home_phone_on_record_however_it_is_written(district):
    ctx = district("home_phone")
    assert emailed(ctx, "(555) 0101") == [MARIA]
    assert emailed(ctx, "555.0102") == [LUIS]
    assert emailed(ctx, "0102") == []  # the whole number, not a part of it
    assert emailed(ctx, "555-0199") == [] and emailed(ctx, "") == []


def test_the_mailing_address_on_record_however_it_is_written(district):
    ctx = district("mailing_address")
    assert emailed(ctx, "12 OAK STREET") == [LUIS, MARIA]  # the household's one address
    assert emailed(ctx, "12 oak st.") == [LUIS, MARIA]  # (each a new key, as a re-issue)
    assert emailed(ctx, "12 Oak") == [] and emailed(ctx, "21 Oak St") == []
    assert emailed(ctx, "13 Oak St", student_number="100202", birth_date="2013-09-02") == []


def test_no_alternative_configured_means_no_key_without_an_ssn(district):
    ctx = district("")
    for fact in ("1984-06-09", "555-0101", "12 Oak St"):
        assert emailed(ctx, fact) == []


def test_a_student_with_an_ssn_on_file_needs_the_ssn_not_the_alternative(district):
    ctx = district("home_phone")
    digest, last4 = ssn.protect("123-45-6789", secret_key(ctx.config))
    with ctx.store.write():
        Student.update(ssn_hash=digest, ssn_last4=last4).where(
            Student.sourced_id == "S-2001"
        ).execute()
    assert emailed(ctx, "555-0101") == []


def test_an_unknown_alternative_is_refused_in_the_configuration(tmp_path):
    with pytest.raises(ConfigError, match="request_key_alternative"):
        make_config(tmp_path, web={"request_key_alternative": "mothers_maiden_name"})


def test_every_configurable_alternative_has_a_check():
    from dataclasses import fields

    from kiosk.config_sections import WebConfig

    field = next(f for f in fields(WebConfig) if f.name == "request_key_alternative")
    text = str(field.metadata)
    assert all(name in text for name in key_requests.ALTERNATIVES)


@pytest.mark.parametrize(
    ("alternative", "label", "spanish", "fact", "to"),
    [
        ("guardian_birth_date", "Your own birth date", "Su propia fecha", "1984-06-09", [MARIA]),
        ("home_phone", "Your home phone number", "teléfono de casa", "555-0102", [LUIS]),
        ("mailing_address", "Your mailing address", "dirección postal", "12 Oak St", [LUIS, MARIA]),
    ],
)
def test_the_page_asks_for_the_configured_fact(district, alternative, label, spanish, fact, to):
    ctx = district(alternative)
    page = web_client(ctx).get("/request-key")
    assert label in page.text and page.text.count('name="alternative"') == 1
    spanish_client = web_client(ctx)
    spanish_client.cookies.set("fd_lang", "es")
    assert spanish in spanish_client.get("/request-key").text
    answer = post_form(web_client(ctx), "/request-key", **SOFIA, ssn="", alternative=fact)
    assert answer.status_code == 200 and "If the details match our records" in answer.text
    assert sorted(m["To"] for m in outbox(ctx)) == to


def test_the_page_asks_for_no_other_fact_when_none_is_configured(district):
    page = web_client(district("")).get("/request-key")
    assert 'name="alternative"' not in page.text and 'name="ssn"' in page.text
