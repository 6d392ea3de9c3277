"""Federation: SAML single sign-on round trips and assertions per second.

The parent signs in once (the argon2 hash is outside every timing); then each round trip is what
a portal sees: pysaml2 (as the SP) writes an AuthnRequest, Front Desk's web app answers it over
HTTP-Redirect with a signed response, and the SP validates that response. Assertions per second
runs the service that signs and audits a response (``saml_idp.respond``, two signatures:
response and assertion), against the yardstick of xmlsec1 signing one bare assertion with the
same key in the same run.
"""

from __future__ import annotations

import re
import shutil
import statistics
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.report import Row

KEYS = ("federation_sso", "federation_assertions")


@dataclass
class FederationResult:
    rounds: int
    p95_ms: float
    median_ms: float
    service_per_s: float
    bare_per_s: float

    @property
    def ratio(self) -> float:
        return self.bare_per_s / self.service_per_s if self.service_per_s else 0.0


def _setup(folder: Path):  # type: ignore[no-untyped-def]
    from starlette.testclient import TestClient

    from kiosk.auth import SYSTEM
    from kiosk.cli.start import create_secret_key
    from kiosk.config import config_from_dict
    from kiosk.context import make_context
    from kiosk.demo import load_demo
    from kiosk.federation import keys, registry, saml_idp
    from kiosk.web.app import create_app
    from tests.federation.peers import Pysaml2Sp

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    base = "http://127.0.0.1:8080"
    config = config_from_dict(
        {
            "database": {"url": str(folder / "kiosk.db")},
            "mail": {"mode": "outbox", "outbox_dir": str(folder / "outbox")},
            "security": {"secret_file": str(folder / "kiosk.secret")},
            "web": {"base_url": base},
        },
        folder / "kiosk.toml",
    )
    create_secret_key(config)  # as 'kiosk init' does, before anything is audited
    ctx = make_context(config, check_schema=False)
    ctx.store.migrate()
    load_demo(ctx)
    keys.ensure_keys(config)
    sp = Pysaml2Sp(base, folder)
    registry.add_sp(ctx, SYSTEM, "campus", sp.metadata(), "username")
    sp.idp_metadata = saml_idp.metadata_xml(ctx)
    client = TestClient(create_app(ctx), base_url=base, follow_redirects=False)
    return ctx, sp, client, saml_idp.endpoints(config).entity_id


def _sign_in(client) -> None:  # type: ignore[no-untyped-def]
    from kiosk.demo import PARENT_PASSWORD

    page = client.get("/sign-in")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post(
        "/sign-in",
        data={"csrf": token.group(1), "username": "alopez", "password": PARENT_PASSWORD},
    )
    assert answer.status_code == 303, answer.text


def _round_trip(sp, client, entity_id: str) -> None:  # type: ignore[no-untyped-def]
    location = sp.login_url(entity_id)
    path = urllib.parse.urlsplit(location)
    answer = client.get(f"{path.path}?{path.query}")
    found = re.search(r'name="SAMLResponse" value="([^"]+)"', answer.text)
    assert found is not None, answer.text[:500]
    result = sp.consume(found.group(1))
    assert result["ok"], result


def _bare_signing(ctx, rounds: int) -> float:  # type: ignore[no-untyped-def]
    """xmlsec1 signing one minimal assertion with the same key: signatures per second."""
    from saml2.sigver import pre_signature_part
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

    from kiosk.federation import saml_idp

    server = saml_idp.server(ctx)
    assertion = (
        '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="id-bench" '
        'Version="2.0" IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>bench</saml:Issuer>'
        "{signature}<saml:Subject><saml:NameID>alopez</saml:NameID></saml:Subject>"
        "</saml:Assertion>"
    )
    signature = pre_signature_part(
        ident="id-bench", sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
    )
    template = assertion.format(signature=str(signature))
    started = time.perf_counter()
    for _ in range(rounds):
        server.sec.sign_statement(
            template, "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", node_id="id-bench"
        )
    return rounds / (time.perf_counter() - started)


def _service_signing(ctx, sp, rounds: int) -> float:  # type: ignore[no-untyped-def]
    from kiosk.federation import saml_idp
    from kiosk.store.models import PortalAccount

    account = PortalAccount.get(PortalAccount.username == "alopez")
    request = saml_idp.SsoRequest("campus", sp.entity_id, sp.acs, "id-bench", "")
    started = time.perf_counter()
    for _ in range(rounds):
        saml_idp.respond(ctx, request, account.id)
    return rounds / (time.perf_counter() - started)


def measure(folder: Path, rounds: int) -> FederationResult:
    ctx, sp, client, entity_id = _setup(folder)
    try:
        _sign_in(client)
        _round_trip(sp, client, entity_id)  # warm: the SAML server and templates load once
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            _round_trip(sp, client, entity_id)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        bare = _bare_signing(ctx, rounds)
        service = _service_signing(ctx, sp, rounds)
        return FederationResult(rounds, p95, statistics.median(timings), service, bare)
    finally:
        client.close()
        ctx.close()


def rows(folder: Path, rounds: int) -> dict[str, Row]:
    r = measure(folder, rounds)
    return {
        "federation_sso": Row(
            "federation_sso",
            f"SAML SSO round trip, signed in (pysaml2 SP, {r.rounds} rounds, no argon2)",
            "-",
            f"median {r.median_ms:.1f} ms",
            f"p95 {r.p95_ms:.1f} ms",
            "reported",
            None,
        ),
        "federation_assertions": Row(
            "federation_assertions",
            "signed and audited SAML responses per second (response + assertion signed)",
            f"xmlsec1 signing a bare assertion, same key: {r.bare_per_s:.1f}/s",
            f"{r.service_per_s:.1f}/s",
            f"{r.ratio:.2f}x slower",
            "reported",
            None,
        ),
    }
