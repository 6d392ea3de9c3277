"""Two ``kiosk serve`` processes on one PostgreSQL database share sessions and rate limits."""

from __future__ import annotations

import re
import uuid

import pytest
from click.testing import CliRunner

from kiosk.demo import PARENT_PASSWORD
from tests.conftest import PG_URL
from tests.web_browser import start_server, write_config

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_database():
    if not PG_URL:
        pytest.skip(
            "needs KIOSK_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    import psycopg

    name = f"fd_web_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _csrf(client, url):
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).text).group(1)


def test_a_session_and_a_rate_limit_are_shared_by_two_processes(tmp_path, pg_database):
    import httpx

    from kiosk.cli import main

    config = write_config(tmp_path / "init", pg_database, 1)
    result = CliRunner().invoke(main, ["--config", str(config), "init", "--demo"])
    assert result.exit_code == 0, result.output
    web = {"client_requests_per_minute": 3}
    one = start_server(tmp_path / "one", None, database_url=pg_database, **web)
    two = start_server(tmp_path / "two", None, database_url=pg_database, **web)
    try:
        with httpx.Client(follow_redirects=False) as client:
            token = _csrf(client, f"{one.url}/sign-in")
            signed = client.post(
                f"{one.url}/sign-in",
                data={"csrf": token, "username": "alopez", "password": PARENT_PASSWORD},
            )
            assert signed.status_code == 303
            assert client.get(f"{two.url}/students").status_code == 200  # made on one
            token = _csrf(client, f"{two.url}/students")
            client.post(f"{two.url}/sign-out", data={"csrf": token})
            assert client.get(f"{one.url}/students").status_code == 303  # ended on two

            def forgot(server):
                token = _csrf(client, f"{server.url}/forgot-username")
                response = client.post(
                    f"{server.url}/forgot-username", data={"csrf": token, "email": "x@y.org"}
                )
                return response.status_code

            # sign-in used one of the three; the rest are shared across both processes
            assert [forgot(one), forgot(two), forgot(one), forgot(two)] == [200, 200, 200, 429]
    finally:
        one.stop()
        two.stop()
