"""What a parent does on the web, page by page, with real forms (Starlette's TestClient)."""

from __future__ import annotations

import re

import pytest

from kiosk import keys
from kiosk.demo import DISLIKED, LIKED, PARENT_PASSWORD
from kiosk.services import activation, staff
from kiosk.store.models import AuditEvent, PortalAccount, SecurityPreferences
from tests.conftest import latest_code, outbox, staff_actor
from tests.web_helpers import csrf_of, error_text, post_form, sign_in, web_client

NEW_PASSWORD = "seven green ferries at dawn"


def issue(ctx, guardian_id: str) -> str:
    return activation.issue_key(ctx, staff_actor(ctx, "registrar"), guardian_id).key


def activate(client, key: str, username: str = "mgarcia"):
    checked = post_form(client, "/activate", key=key, step="key")
    assert checked.status_code == 200 and 'name="username"' in checked.text
    return client.post(
        "/activate",
        data={
            "csrf": csrf_of(checked.text),
            "step": "account",
            "key": key,
            "username": username,
            "password": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )


def follow(client, response, hops: int = 5):
    for _ in range(hops):
        if response.status_code != 303:
            return response
        response = client.get(response.headers["location"])
    return response


def test_activation_then_first_sign_in_steps_then_students(ctx):
    client = web_client(ctx)
    key = issue(ctx, "G-1001")
    created = activate(client, key)
    assert created.status_code == 303
    page = follow(client, created)
    assert "Recovery email" in page.text  # the first pending step
    sent = client.post(
        page.url.path + "?" + page.url.query.decode(),
        data={
            "csrf": csrf_of(page.text),
            "email": "maria@example.org",
            "email_again": "maria@example.org",
            "password": NEW_PASSWORD,
        },
    )
    assert "We sent a code to maria@example.org" in sent.text
    assert 'inputmode="numeric"' in sent.text and "&#34;" not in sent.text  # a phone's keypad
    confirmed = client.post(
        "/setup/email/confirm?next=/students%3Fwelcome%3D1",
        data={"csrf": csrf_of(sent.text), "code": latest_code(ctx)},
    )
    pictures = follow(client, confirmed)
    assert "Step 1 of 2" in pictures.text and pictures.text.count('type="checkbox"') == 40
    step2 = client.post(
        "/setup/pictures?next=/students",
        data={"csrf": csrf_of(pictures.text), "step": "liked", "liked": LIKED},
    )
    assert "Step 2 of 2" in step2.text and step2.text.count('type="checkbox"') == 32
    done = client.post(
        "/setup/pictures?next=/students",
        data={
            "csrf": csrf_of(step2.text),
            "step": "disliked",
            "liked": LIKED,
            "disliked": DISLIKED,
        },
    )
    students = follow(client, done)
    assert students.url.path == "/students"
    assert "Sofia Garcia" in students.text and "Mateo Garcia" in students.text
    account = PortalAccount.get(PortalAccount.username == "mgarcia")
    assert account.recovery_email_verified
    assert SecurityPreferences.select().where(SecurityPreferences.account == account).exists()


def test_a_used_or_wrong_key_says_what_to_do_next(ctx):
    client = web_client(ctx)
    key = issue(ctx, "G-1001")
    activate(client, key)
    again = post_form(web_client(ctx), "/activate", key=key, step="key")
    assert again.status_code == 400 and "already been used" in error_text(again.text)
    assert 'aria-invalid="true"' in again.text and 'href="#key"' in again.text
    wrong = post_form(web_client(ctx), "/activate", key="O" * 32, step="key")
    assert "type the number 0" in error_text(wrong.text)


def test_a_refusal_links_to_the_field_it_is_about(ctx):
    client = web_client(ctx)
    key = issue(ctx, "G-1001")
    checked = post_form(client, "/activate", key=key, step="key")
    fields = {"csrf": csrf_of(checked.text), "step": "account", "key": key}
    taken = client.post(
        "/activate",
        data={**fields, "username": "alopez", "password": NEW_PASSWORD, "again": NEW_PASSWORD},
    )
    assert taken.status_code == 400 and 'href="#username"' in taken.text
    assert "alopez" in error_text(taken.text)
    short = client.post(
        "/activate", data={**fields, "username": "mgarcia", "password": "short", "again": "short"}
    )
    assert 'href="#password"' in short.text and "15" in error_text(short.text)
    both = client.post("/activate", data={**fields, "username": "x", "password": "", "again": ""})
    assert 'href="#username"' in both.text


def test_pictures_step_needs_exactly_eight(ctx):
    client = web_client(ctx)
    activate(client, issue(ctx, "G-1001"))
    page = client.get("/setup/pictures?next=/students")
    refused = client.post(
        "/setup/pictures?next=/students",
        data={"csrf": csrf_of(page.text), "step": "liked", "liked": LIKED[:5]},
    )
    assert refused.status_code == 400 and "exactly 8" in error_text(refused.text)
    assert refused.text.count("checked") >= 5  # the picks are kept


def test_first_sign_in_steps_may_be_put_off_twice(ctx):
    account = PortalAccount.get(PortalAccount.username == "alopez")
    account.recovery_email_verified = False
    account.save()
    for _ in range(2):
        client = web_client(ctx)
        page = follow(client, sign_in(client))
        assert "Not now" in page.text
        skipped = post_form(client, page.url.path, "/setup/skip?next=/students")
        assert follow(client, skipped).url.path == "/students"
    client = web_client(ctx)
    page = follow(client, sign_in(client))
    assert "Recovery email" in page.text and "Not now" not in page.text
    assert client.get("/students").status_code == 303  # nothing else until it is done


def test_a_temporary_password_only_allows_choosing_a_new_one(ctx):
    temp = staff.reset_password(ctx, staff_actor(ctx, "registrar"), "alopez", "photo_id")
    client = web_client(ctx)
    page = follow(client, sign_in(client, "alopez", temp.password))
    assert page.url.path == "/setup/password"
    for path in ("/students", "/account", "/account/email"):
        response = client.get(path)
        assert response.status_code == 303 and "/setup/password" in response.headers["location"]
    changed = client.post(
        "/setup/password?next=/students",
        data={
            "csrf": csrf_of(page.text),
            "current": temp.password,
            "new": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )
    assert follow(client, changed).url.path == "/students"


def test_forgot_password_with_the_emailed_code_and_the_liked_pictures(ctx):
    client = web_client(ctx)
    asked = post_form(client, "/forgot-password", step="identify", identifier="alopez")
    assert "If an account matches" in asked.text
    code = latest_code(ctx)
    challenge = client.post(
        "/forgot-password",
        data={"csrf": csrf_of(asked.text), "step": "code", "identifier": "alopez", "code": code},
    )
    assert challenge.text.count('type="checkbox"') == 16
    wrong = client.post(
        "/forgot-password",
        data={
            "csrf": csrf_of(challenge.text),
            "step": "reset",
            "identifier": "alopez",
            "code": code,
            "liked": DISLIKED,
            "new": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 400 and "not the pictures" in error_text(wrong.text)
    done = client.post(
        "/forgot-password",
        data={
            "csrf": csrf_of(wrong.text),
            "step": "reset",
            "identifier": "alopez",
            "code": code,
            "liked": LIKED,
            "new": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )
    assert "Your password was changed" in done.text
    assert sign_in(web_client(ctx), "alopez", NEW_PASSWORD).status_code == 303


def test_forgot_password_and_username_answer_the_same_for_anyone(ctx):
    known = post_form(web_client(ctx), "/forgot-password", step="identify", identifier="alopez")
    unknown = post_form(web_client(ctx), "/forgot-password", step="identify", identifier="zz9")
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert strip(known.text) == strip(unknown.text)
    before = len(outbox(ctx))
    a = post_form(web_client(ctx), "/forgot-username", email="ana.lopez@example.org")
    b = post_form(web_client(ctx), "/forgot-username", email="nobody@example.org")
    assert strip(a.text) == strip(b.text) and a.status_code == b.status_code == 200
    mails = outbox(ctx)[before:]
    assert len(mails) == 1 and "alopez" in mails[0].get_content()


def test_changing_the_recovery_email_tells_the_old_address(ctx):
    client = web_client(ctx)
    sign_in(client)
    page = client.get("/account/email")
    sent = client.post(
        "/account/email",
        data={
            "csrf": csrf_of(page.text),
            "email": "ana.new@example.org",
            "email_again": "ana.new@example.org",
            "password": PARENT_PASSWORD,
        },
    )
    confirmed = client.post(
        "/account/email/confirm", data={"csrf": csrf_of(sent.text), "code": latest_code(ctx)}
    )
    assert confirmed.headers["location"] == "/account?done=email"
    assert "ana.new@example.org" in client.get("/account").text
    notice = outbox(ctx)[-1]
    assert notice["To"] == "ana.lopez@example.org" and "changed" in notice["Subject"]


def test_changing_pictures_and_password_from_account_settings(ctx):
    client = web_client(ctx)
    sign_in(client)
    page = client.get("/account/pictures")
    step2 = client.post(
        "/account/pictures",
        data={"csrf": csrf_of(page.text), "step": "liked", "liked": DISLIKED},
    )
    assert 'name="password"' in step2.text
    done = client.post(
        "/account/pictures",
        data={
            "csrf": csrf_of(step2.text),
            "step": "disliked",
            "liked": DISLIKED,
            "disliked": LIKED,
            "password": PARENT_PASSWORD,
        },
    )
    assert done.headers["location"] == "/account?done=pictures"
    other = web_client(ctx)
    sign_in(other)
    page = client.get("/account/password")
    changed = client.post(
        "/account/password",
        data={
            "csrf": csrf_of(page.text),
            "current": PARENT_PASSWORD,
            "new": NEW_PASSWORD,
            "again": NEW_PASSWORD,
        },
    )
    assert changed.headers["location"] == "/account?done=password"
    assert client.get("/account").status_code == 200  # this browser goes on
    assert other.get("/account").status_code == 303  # the other one was signed out


def test_students_page_explains_a_missing_child_and_shows_the_district_details(ctx):
    client = web_client(ctx)
    activate(client, issue(ctx, "G-1006"), username="jwilson")
    client.post(
        "/setup/skip?next=/students", data={"csrf": csrf_of(client.get("/setup/email").text)}
    )
    page = client.get("/students")
    assert page.status_code == 200
    assert "Emma Wilson" in page.text
    missing = page.text.split('id="missing"')[1]
    assert "Noah Wilson" in missing and "another record of you" in missing
    assert "G-1007" not in page.text  # the other record's ID stays with staff
    assert "TVS" in page.text and "help@example.org" in page.text and "555-0100" in page.text
    assert "grades" in page.text


def test_request_key_emails_the_guardians_on_record_and_answers_the_same(tmp_path, demo_template):
    import shutil

    from kiosk import ssn
    from kiosk.context import secret_key
    from kiosk.store.models import Student
    from tests.conftest import build_context, make_config

    config = make_config(tmp_path, web={"request_key": True})
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    ctx = build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")
    try:
        from kiosk.cli.start import create_secret_key

        create_secret_key(config)
        digest, last4 = ssn.protect("123-45-6789", secret_key(config))
        Student.update(ssn_hash=digest, ssn_last4=last4).where(
            Student.sourced_id == "S-2001"
        ).execute()
        fields = {"student_number": "100201", "birth_date": "2017-03-14"}
        wrong = post_form(web_client(ctx), "/request-key", **fields, ssn="123-45-6780")
        right = post_form(web_client(ctx), "/request-key", **fields, ssn="123456789")
        strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
        assert strip(wrong.text) == strip(right.text) and "{" not in right.text.split("<main")[1]
        mails = outbox(ctx)
        assert sorted(m["To"] for m in mails) == [
            "luis.garcia@example.org",
            "maria.garcia@example.org",
        ]
        key = re.search(r"\{[0-9A-F-]{36}\}", mails[0].get_content()).group()
        assert keys.normalize_key(key) not in right.text
        outcomes = [
            e.outcome for e in AuditEvent.select().where(AuditEvent.action == "key.request")
        ]
        assert outcomes.count("no_match") == 1 and outcomes.count("ok") == 2
        details = " ".join(e.detail for e in AuditEvent.select())
        # Neither number in any form (a bare "123" also turns up in microseconds of a time).
        for part in ("123-45-67", "1234567", "123 45 67"):
            assert part not in details
    finally:
        ctx.close()


def test_request_key_is_not_there_unless_the_district_turns_it_on(ctx):
    assert web_client(ctx).get("/request-key").status_code == 404
    assert "/request-key" not in web_client(ctx).get("/").text


@pytest.mark.parametrize("path", ["/students", "/account", "/account/password"])
def test_signed_in_pages_send_a_stranger_to_sign_in_and_back(ctx, path):
    response = web_client(ctx).get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/sign-in?next={path}"
