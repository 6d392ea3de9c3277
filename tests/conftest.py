"""Shared fixtures: an isolated configuration, a migrated database with the demo district.

Tests never read the developer's home or ./kiosk.toml: every test gets its own folder, config
and database. argon2 runs with small parameters here (the production defaults are proven in
test_passwords.py) so the suite stays fast.
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kiosk.auth import SYSTEM
from kiosk.clock import Clock
from kiosk.config import Config, config_from_dict
from kiosk.context import Context
from kiosk.hashing import Hasher
from kiosk.mail import OutboxMailer
from kiosk.store.db import open_store

PG_URL = os.environ.get("KIOSK_TEST_DATABASE_URL", "")
TEST_SECRET = "0123456789abcdef" * 4
FAST_ARGON2 = dict(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the developer's config, home and environment."""
    for name in ("KIOSK_CONFIG", "KIOSK_DATABASE_URL", "KIOSK_SECRET", "KIOSK_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _release_frozen_heap() -> Iterator[None]:
    """An app froze the heap when its first screen came up (kiosk.collector): let the next
    test start with a plain one, whatever order the tests run in."""
    yield
    gc.unfreeze()


def fast_hasher() -> Hasher:
    return Hasher(PasswordHasher(**FAST_ARGON2))


def make_config(tmp_path: Path, **sections: dict) -> Config:
    data: dict = {
        "district": {"name": "Test Valley Schools", "mobile_app_code": "TVS"},
        "schools": [
            {"code": "ES", "name": "Lincoln Elementary", "sourced_id": "sch-es"},
            {"code": "MS", "name": "Roosevelt Middle", "sourced_id": "sch-ms"},
            {"code": "HS", "name": "Jefferson High", "sourced_id": "sch-hs"},
        ],
        "support": {"email": "help@example.org", "phone": "555-0100"},
        "database": {"url": str(tmp_path / "kiosk.db")},
        "mail": {"mode": "outbox", "outbox_dir": str(tmp_path / "outbox")},
        "security": {"secret_file": str(tmp_path / "kiosk.secret")},
    }
    for name, values in sections.items():
        if isinstance(values, dict):
            data.setdefault(name, {}).update(values)
        else:
            data[name] = values
    path = tmp_path / "kiosk.toml"
    path.write_text("# written by the test\n")
    # One district secret for every test, so the demo template's keyed audit chain verifies.
    secret = tmp_path / "kiosk.secret"
    if not secret.exists():
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(TEST_SECRET)
    return config_from_dict(data, path)


class Recorder:
    """Stands in for time.sleep: records the growing sign-in delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def build_context(config: Config, url: str, **connect: object) -> Context:
    store = open_store(url, **connect)
    store.migrate()
    mailer = OutboxMailer(config.resolve(config.mail.outbox_dir), config.mail.from_address)
    return Context(
        config=config,
        store=store,
        mailer=mailer,
        clock=Clock(),
        hasher=fast_hasher(),
        sleep=Recorder(),
    )


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database built once per session; each test gets a copy."""
    from kiosk.demo import load_demo

    folder = tmp_path_factory.mktemp("template")
    config = make_config(folder)
    ctx = build_context(config, f"sqlite:///{folder / 'kiosk.db'}")
    load_demo(ctx)
    ctx.store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.close()
    return folder / "kiosk.db"


def _pg_schema_url() -> tuple[str, dict]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    return schema, {"options": f"-c search_path={schema}"}


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not PG_URL:
        pytest.skip(
            "PostgreSQL tests need KIOSK_TEST_DATABASE_URL (e.g. "
            "postgresql://postgres@127.0.0.1:5432/test)"
        )
    return request.param


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def ctx(config: Config, demo_template: Path, tmp_path: Path) -> Iterator[Context]:
    """A context on a private copy of the demo database (SQLite)."""
    target = tmp_path / "kiosk.db"
    shutil.copy(demo_template, target)
    context = build_context(config, f"sqlite:///{target}")
    yield context
    context.close()


@pytest.fixture
def ctx_with(demo_template: Path, tmp_path: Path):
    """Builds a context on a private copy of the demo database with some configuration
    sections changed: ``ctx_with(ui={"theme": "high-contrast"})``."""
    made: list[Context] = []

    def build(**sections: dict) -> Context:
        shutil.copy(demo_template, tmp_path / "kiosk.db")
        made.append(
            build_context(make_config(tmp_path, **sections), f"sqlite:///{tmp_path / 'kiosk.db'}")
        )
        return made[-1]

    yield build
    for context in made:
        context.close()


@pytest.fixture
def any_ctx(backend: str, config: Config, demo_template: Path, tmp_path: Path) -> Iterator[Context]:
    """The demo district on SQLite and (when configured) on PostgreSQL."""
    from kiosk.demo import load_demo

    if backend == "sqlite":
        target = tmp_path / "kiosk.db"
        shutil.copy(demo_template, target)
        context = build_context(config, f"sqlite:///{target}")
        yield context
        context.close()
        return
    import psycopg

    schema, params = _pg_schema_url()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    context = build_context(config, PG_URL, **params)
    load_demo(context)
    try:
        yield context
    finally:
        context.close()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def staff_actor(ctx: Context, username: str):
    from kiosk.services.staff import staff_actor as actor_for
    from kiosk.store.models import StaffUser

    return actor_for(StaffUser.get(StaffUser.username == username))


@pytest.fixture
def desk(ctx: Context):
    return staff_actor(ctx, "desk")


@pytest.fixture
def system():
    return SYSTEM


def outbox(ctx: Context) -> list:
    ctx.flush_mail()
    return ctx.mailer.messages()  # type: ignore[attr-defined]


def latest_code(ctx: Context) -> str:
    import re

    body = outbox(ctx)[-1].get_content()
    match = re.search(r"(\d{4}) (\d{4})", body)
    assert match, body
    return match.group(1) + match.group(2)
