"""``kiosk init`` keys, ``kiosk federation rotate|remove-old``, ``kiosk sps`` and ``kiosk clients``;
registrations on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import stat

import pytest
from click.testing import CliRunner

from kiosk.auth import SYSTEM
from kiosk.cli import main
from kiosk.errors import ValidationError
from kiosk.federation import keys, registry
from kiosk.store.models import AuditEvent, OidcClient
from tests.federation.peers import OneLoginSp


@pytest.fixture
def cli(tmp_path, demo_template):
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    (tmp_path / "kiosk.toml").write_text(
        '[district]\nname = "CLI District"\n[database]\nurl = "kiosk.db"\n'
        '[mail]\noutbox_dir = "outbox"\n[federation]\nbase_url = "https://fd.example.org"\n'
    )
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    assert run("init").exit_code == 0
    return run


def sp_metadata() -> str:
    """python3-saml's metadata for an SP at https://campus.example.org/sp2."""
    return OneLoginSp("https://campus.example.org").metadata()


def test_init_makes_owner_only_keys_and_rotation_keeps_the_old_certificate(cli, tmp_path):
    key, cert = tmp_path / "federation.key", tmp_path / "federation.crt"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(cert.stat().st_mode) == 0o600
    first = cert.read_bytes()
    assert "signing key" not in cli("init").output  # kept, not made again
    assert cli("federation", "rotate").exit_code == 0
    assert cert.read_bytes() != first
    assert (tmp_path / "federation-old.crt").read_bytes() == first
    from kiosk.config import load_config

    config = load_config(tmp_path / "kiosk.toml")
    published = keys.jwks(keys.load(config))["keys"]
    assert [k["kid"] for k in published] == [keys.key_id(cert.read_bytes()), keys.key_id(first)]
    assert "Removed" in cli("federation", "remove-old").output
    assert len(keys.jwks(keys.load(config))["keys"]) == 1
    assert "no previous" in cli("federation", "remove-old").output


def test_sps_add_list_test_remove(cli, tmp_path):
    (tmp_path / "sp.xml").write_text(sp_metadata())
    added = cli("sps", "add", "campus", "--metadata", "sp.xml", "--profile", "username")
    assert added.exit_code == 0, added.output
    assert "https://campus.example.org/sp2/metadata" in added.output
    listed = json.loads(cli("sps", "list", "--json").output)
    assert [(s["name"], s["profile"]) for s in listed] == [("campus", "username")]
    tested = cli("sps", "test", "campus")
    assert tested.exit_code == 0 and "ok" in tested.output
    assert "https://campus.example.org/sp2/acs" in tested.output
    again = cli("sps", "add", "campus", "--metadata", "sp.xml", "--profile", "email")
    assert again.exit_code == 1 and "already registered" in again.output
    assert cli("sps", "remove", "campus").exit_code == 0
    assert "No service providers" in cli("sps", "list").output


def test_sps_add_refuses_bad_input_with_a_reason(cli, tmp_path):
    (tmp_path / "bad.xml").write_text("<html>not metadata</html>")
    bad = cli("sps", "add", "x", "--metadata", "bad.xml", "--profile", "username")
    assert bad.exit_code == 1 and "not SAML metadata" in bad.output
    missing = cli("sps", "add", "x", "--metadata", "nope.xml", "--profile", "username")
    assert missing.exit_code == 1 and "no file" in missing.output
    plain = cli("sps", "add", "x", "--metadata", "http://example.org/md", "--profile", "username")
    assert plain.exit_code == 1 and "https" in plain.output
    unknown = cli("sps", "test", "nobody")
    assert unknown.exit_code == 1 and "kiosk sps list" in unknown.output


def test_clients_add_prints_the_secret_once_and_stores_only_its_hash(cli):
    made = cli(
        "clients", "add", "powerschool", "--redirect-uri", "https://ps.example.org/cb", "--json"
    )
    assert made.exit_code == 0, made.output
    info = json.loads(made.output)
    assert info["client_secret"] and info["public"] is False
    stored = OidcClient.get(OidcClient.name == "powerschool")
    assert stored.secret_hash != info["client_secret"] and len(stored.secret_hash) == 64
    listed = cli("clients", "list")
    assert info["client_id"] in listed.output and info["client_secret"] not in listed.output
    events = "".join(e.detail + e.target for e in AuditEvent.select())
    assert info["client_secret"] not in events
    public = cli(
        "clients", "add", "app", "--redirect-uri", "https://app.example.org/cb", "--public"
    )
    assert "Client secret" not in public.output and "Client ID" in public.output
    bad = cli("clients", "add", "x", "--redirect-uri", "http://ps.example.org/cb")
    assert bad.exit_code == 1 and "https" in bad.output
    frag = cli("clients", "add", "y", "--redirect-uri", "https://ps.example.org/cb#x")
    assert frag.exit_code == 1 and "fragment" in frag.output


def test_clients_test_reports_an_unreachable_discovery_document(cli):
    cli("clients", "add", "powerschool", "--redirect-uri", "https://ps.example.org/cb")
    tested = cli("clients", "test", "powerschool")
    assert tested.exit_code == 1
    assert "FAIL" in tested.output and "discovery document" in tested.output
    assert "client ID" in tested.output


def test_registrations_on_both_databases(any_ctx):
    xml = sp_metadata()
    sp = registry.add_sp(any_ctx, SYSTEM, "campus", xml, "guardian-id")
    assert sp.acs_urls == ("https://campus.example.org/sp2/acs",)
    with pytest.raises(ValidationError, match="already registered"):
        registry.add_sp(any_ctx, SYSTEM, "other", xml, "email")
    with pytest.raises(ValidationError, match="Unknown profile"):
        registry.add_sp(any_ctx, SYSTEM, "third", xml, "everything")
    new = registry.add_client(any_ctx, SYSTEM, "portal", ["https://p.example.org/cb"])
    assert registry.same_secret(new.secret, OidcClient.get().secret_hash)
    assert not registry.same_secret("guess", OidcClient.get().secret_hash)
    assert [c.name for c in registry.list_clients(any_ctx)] == ["portal"]
    registry.remove_client(any_ctx, SYSTEM, "portal")
    registry.remove_sp(any_ctx, SYSTEM, "campus")
    assert registry.list_sps(any_ctx) == [] and registry.list_clients(any_ctx) == []
