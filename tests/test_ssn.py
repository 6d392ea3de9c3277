"""SSNs are kept only as a keyed hash plus the last four digits."""

from __future__ import annotations

import pytest

from kiosk import ssn
from kiosk.context import secret_key
from kiosk.errors import ConfigError, ValidationError
from kiosk.store.models import Student


def test_the_secret_is_created_only_by_kiosk_init_and_read_by_the_context(ctx, tmp_path):
    from kiosk.cli.start import create_secret_key

    (tmp_path / "kiosk.secret").unlink()  # the test set-up writes one; start without
    with pytest.raises(ConfigError, match="kiosk init"):
        secret_key(ctx.config)  # reading never creates it
    assert not (tmp_path / "kiosk.secret").exists()
    create_secret_key(ctx.config)  # what ``kiosk init`` runs
    assert (tmp_path / "kiosk.secret").stat().st_mode & 0o777 == 0o600
    key = secret_key(ctx.config)
    create_secret_key(ctx.config)  # a second init keeps it
    assert secret_key(ctx.config) == key


def test_only_a_keyed_hash_and_last_four_reach_the_database(ctx, tmp_path):
    from kiosk.cli.start import create_secret_key

    create_secret_key(ctx.config)
    key = secret_key(ctx.config)
    digest, last4 = ssn.protect("123-45-6789", key)
    Student.update(ssn_hash=digest, ssn_last4=last4).where(Student.sourced_id == "S-2001").execute()
    ctx.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in tmp_path.glob("kiosk.db*"):
        assert b"123456789" not in path.read_bytes() and b"123-45-6789" not in path.read_bytes()
    stored = Student.get(Student.sourced_id == "S-2001")
    assert stored.ssn_last4 == "6789"
    assert ssn.matches("123 45 6789", stored.ssn_hash, key)
    assert not ssn.matches("123-45-6788", stored.ssn_hash, key)
    assert not ssn.matches("123-45-6789", stored.ssn_hash, b"another district key")


def test_the_secret_can_come_from_the_environment(ctx, monkeypatch):
    monkeypatch.setenv("KIOSK_SECRET", "from-the-environment")
    assert secret_key(ctx.config) == b"from-the-environment"


def test_malformed_ssns_are_refused():
    with pytest.raises(ValidationError, match="9 digits"):
        ssn.protect("12-34", b"k")
