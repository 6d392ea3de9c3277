"""Fixtures of the federation tests: one live server per module (Front Desk's real web app
beside the SAML SPs and OIDC RPs of ``peers``), and each test's configuration pointing at it."""

from __future__ import annotations

import pytest

from tests.conftest import make_config
from tests.federation.peers import start_live


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    live, server = start_live(tmp_path_factory.mktemp("federation"))
    yield live
    server.stop()


@pytest.fixture
def config(tmp_path, live):
    return make_config(tmp_path, federation={**live.settings, "base_url": live.base})
