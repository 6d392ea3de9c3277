"""The database, the outbox and its messages are owner-only; expired outbox mail goes away."""

from __future__ import annotations

import os
import stat
import time

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.mail import OutboxMailer, make_mailer
from kiosk.store.db import open_store
from tests.conftest import make_config


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_journal_files_are_owner_only(tmp_path):
    os.umask(0o022)
    store = open_store(f"sqlite:///{tmp_path / 'k.db'}")
    store.migrate()
    for name in ("k.db", "k.db-wal", "k.db-shm"):
        assert _mode(tmp_path / name) == 0o600, name
    store.close()


def test_outbox_folder_and_messages_are_owner_only(tmp_path):
    os.umask(0o022)
    folder = tmp_path / "outbox"
    folder.mkdir(mode=0o755)  # left by an older release
    folder.chmod(0o755)
    mailer = OutboxMailer(folder, "portal@example.org")
    mailer.send("a@example.org", "Your code", "1234 5678")
    assert _mode(folder) == 0o700
    [message] = folder.glob("*.eml")
    assert _mode(message) == 0o600


def _aged(path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_expired_outbox_mail_is_removed_on_start_and_by_doctor_fix(tmp_path):
    config = make_config(tmp_path)
    lifetime = config.security.email_code_minutes * 60
    mailer = OutboxMailer(config.resolve(config.mail.outbox_dir), "portal@example.org")
    for _ in range(3):
        mailer.send("a@example.org", "Your code", "1234 5678")
    old, older, fresh = sorted(mailer.folder.glob("*.eml"))
    _aged(old, lifetime + 60)
    _aged(older, lifetime * 4)
    make_mailer(config)  # what every kiosk process does when it starts
    assert sorted(mailer.folder.glob("*.eml")) == [fresh]

    mailer.send("a@example.org", "Your code", "1234 5678")
    _aged(fresh, lifetime + 1)
    (tmp_path / "kiosk.toml").write_text(
        f'[database]\nurl = "k.db"\n[mail]\noutbox_dir = "{mailer.folder}"\n'
    )
    store = open_store(f"sqlite:///{tmp_path / 'k.db'}")
    store.migrate()
    (tmp_path / "k.db").chmod(0o644)
    store.close()
    runner = CliRunner()
    report = runner.invoke(main, ["doctor"])
    assert "[FAIL] outbox age: 1 message(s) older than" in report.output, report.output
    assert "[FAIL] database file permissions" in report.output
    assert fresh.exists() and report.exit_code == 1
    fixed = runner.invoke(main, ["doctor", "--fix"])
    assert "[ok  ] outbox age: removed 1 message(s)" in fixed.output, fixed.output
    assert not fresh.exists() and len(list(mailer.folder.glob("*.eml"))) == 1
    assert _mode(tmp_path / "k.db") == 0o600
    again = runner.invoke(main, ["doctor"])
    assert again.exit_code == 0, again.output
