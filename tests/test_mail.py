"""Mail over real SMTP (aiosmtpd on 127.0.0.1) and to the outbox; never a password."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from kiosk.auth import SYSTEM
from kiosk.demo import PARENT_PASSWORD
from kiosk.mail import MailError, SmtpMailer, make_mailer
from kiosk.services import accounts, activation, recovery, staff
from tests.conftest import make_config


class Collect(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_codes_and_notices_arrive_over_smtp_and_hold_no_password(ctx, tmp_path, smtp_server):
    controller, handler = smtp_server
    config = make_config(
        tmp_path, mail={"mode": "smtp", "smtp_host": "127.0.0.1", "smtp_port": controller.port}
    )
    ctx.mailer = make_mailer(config)
    assert isinstance(ctx.mailer, SmtpMailer)

    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    activation.email_key(ctx, SYSTEM, issued)
    new_password = "maple syrup on pancakes"
    activation.redeem_key(ctx, issued.key, "mgarcia", new_password, new_password)
    session = accounts.sign_in(ctx, "mgarcia", new_password)
    accounts.start_recovery_email(ctx, session, "m@example.org", "m@example.org", new_password)
    recovery.request_password_reset(ctx, "alopez")
    temp = staff.reset_password(ctx, SYSTEM, "alopez", "photo_id")

    ctx.flush_mail()
    subjects = [m["Subject"] for m in handler.messages]
    assert any("activation key" in s for s in subjects)
    assert any("your code is" in s for s in subjects)
    assert [m["To"] for m in handler.messages] == [
        "maria.garcia@example.org",
        "m@example.org",
        "ana.lopez@example.org",
    ]
    assert issued.key in handler.messages[0].get_payload()
    for message in handler.messages:
        text = message.as_string()
        for secret in (new_password, PARENT_PASSWORD, temp.password):
            assert secret not in text


def test_an_unreachable_server_is_a_clear_error(ctx, tmp_path):
    config = make_config(
        tmp_path,
        mail={
            "mode": "smtp",
            "smtp_host": "127.0.0.1",
            "smtp_port": _free_port(),
            "smtp_timeout_seconds": 2,
        },
    )
    mailer = make_mailer(config)
    with pytest.raises(MailError, match=r"Could not send email through 127\.0\.0\.1"):
        mailer.send("a@example.org", "hi", "there")


def test_outbox_writes_one_eml_per_message(ctx):
    recovery.forgot_username(ctx, "ana.lopez@example.org")
    ctx.flush_mail()
    files = list(ctx.mailer.folder.glob("*.eml"))
    assert len(files) == 1 and b"alopez" in files[0].read_bytes()


def test_outbox_file_names_sort_by_date(ctx):
    """Staff open the newest .eml: sorting the folder by name is sorting by when it was sent."""
    before = dt.datetime.now(dt.UTC)
    for n in range(5):
        ctx.mailer.send("a@example.org", f"message {n}", "body")
    after = dt.datetime.now(dt.UTC)
    by_name = sorted(ctx.mailer.folder.glob("*.eml"), key=lambda p: p.name)
    subjects = [p.read_bytes().split(b"Subject: ")[1].split(b"\n")[0] for p in by_name]
    assert subjects == [f"message {n}".encode() for n in range(5)]
    days = {f"{before:%Y%m%d}", f"{after:%Y%m%d}"}
    assert all(p.name[:8] in days for p in by_name), [p.name for p in by_name]
