"""Sending mail: real SMTP, or an outbox folder of .eml files for kiosks that are offline.

Mail is sent after the database change commits, never inside a transaction, so a slow mail
server cannot hold the write lock. Messages carry codes and notices, never a password.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.errors import KioskError

if TYPE_CHECKING:  # smtplib, ssl and email load on first send, not at kiosk start-up
    from email.message import EmailMessage

    from kiosk.config import Config


class MailError(KioskError):
    code = "mail"


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.split("@")[-1] or "localhost")
    msg.set_content(body)
    return msg


def _sortable_now() -> str:
    """UTC time to the microsecond, e.g. 20261127T094512.123456Z: names sort by date."""
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S}.{now.microsecond:06d}Z"


class OutboxMailer:
    """Writes each message as an .eml file; staff or a relay pick them up later.

    The folder is owner-only (0700) and each file 0600: a message may carry a code or a key.
    Files older than the email-code lifetime are removed (``sweep``) when a kiosk process
    starts and by ``kiosk doctor --fix``, so codes do not pile up on disk.
    """

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def _ready_folder(self) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.folder.stat().st_mode & 0o077:
            self.folder.chmod(0o700)  # made by an older release, or by hand

    def send(self, to: str, subject: str, body: str) -> None:
        msg = _message(self.sender, to, subject, body)
        try:
            self._ready_folder()
            tmp = self.folder / f".{uuid.uuid4().hex}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(bytes(msg))
            final = self.folder / f"{_sortable_now()}-{uuid.uuid4().hex[:12]}.eml"
            os.replace(tmp, final)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise MailError("mail_disk_full", folder=self.folder) from None
            raise MailError("mail_outbox", folder=self.folder, reason=exc.strerror) from None

    def stale(self, max_age_seconds: float) -> list[Path]:
        """Messages (and interrupted writes) older than ``max_age_seconds``."""
        if not self.folder.is_dir():
            return []
        cutoff = time.time() - max_age_seconds
        found = []
        for path in [*self.folder.glob("*.eml"), *self.folder.glob(".*.tmp")]:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    found.append(path)
        return found

    def sweep(self, max_age_seconds: float) -> int:
        """Remove stale messages; returns how many were removed."""
        removed = 0
        for path in self.stale(max_age_seconds):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed

    def messages(self) -> list[EmailMessage]:
        """The messages in the outbox, oldest first (for staff, the demo and tests)."""
        from email import message_from_bytes, policy

        files = sorted(self.folder.glob("*.eml"), key=lambda p: p.name)  # names sort by date
        return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


class DiscardingMailer:
    """Builds each message as a real send would, then drops it: a request that matched no
    account hands its email here, so the mail thread does the same work for a miss as for
    a match and the next answers are not slowed by one more than the other."""

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, to: str, subject: str, body: str) -> None:
        bytes(_message(self.sender, to or self.sender, subject, body))


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        starttls: bool = False,
        username: str = "",
        password: str = "",
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.username, self._password = starttls, username, password
        self.timeout = timeout

    def send(self, to: str, subject: str, body: str) -> None:
        import smtplib
        import ssl

        msg = _message(self.sender, to, subject, body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self._password)
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused:
            raise MailError("mail_refused") from None
        except (OSError, smtplib.SMTPException):
            raise MailError("mail_send", host=self.host, port=self.port) from None

    def check(self) -> None:
        """Connect and say hello, for ``kiosk doctor``."""
        import smtplib

        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.noop()
        except (OSError, smtplib.SMTPException):
            raise MailError("mail_unreachable", host=self.host, port=self.port) from None


def make_mailer(config: Config, *, sweep: bool = True) -> Mailer:
    """The configured mailer; an outbox is swept of messages older than the code lifetime
    (``sweep``: a kiosk process starting; ``kiosk doctor`` only reports them)."""
    m = config.mail
    if m.mode == "smtp":
        return SmtpMailer(
            m.smtp_host,
            m.smtp_port,
            m.from_address,
            starttls=m.smtp_starttls,
            username=m.smtp_username,
            password=os.environ.get(m.smtp_password_env, ""),
            timeout=m.smtp_timeout_seconds,
        )
    outbox = OutboxMailer(config.resolve(m.outbox_dir), m.from_address)
    if sweep:
        with contextlib.suppress(OSError):  # a folder problem is reported when mail is sent
            outbox.sweep(config.security.email_code_minutes * 60)
    return outbox


# -- background sending ----------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _background_pool() -> ThreadPoolExecutor:
    """The one thread that sends background email, started with the first such email."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-mail")
        return _pool


def send_in_background(
    mailer: Mailer, to: str, subject: str, body: str, then: Callable[[bool], None] | None = None
) -> Future[None]:
    """Send on the mail thread; a failure is logged (without the address), never raised, so
    the caller's answer is the same whether or not the email went out. ``then(sent)`` runs
    afterwards on the mail thread (to audit the outcome)."""

    def send() -> None:
        try:
            mailer.send(to, subject, body)
            sent = True
        except KioskError:
            logging.getLogger("kiosk.mail").warning("a background email could not be sent")
            sent = False
        if then is not None:
            then(sent)

    return _background_pool().submit(send)
