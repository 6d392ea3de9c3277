"""``kiosk sps``, ``kiosk clients`` and ``kiosk federation``: partners and signing keys."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from kiosk.auth import SYSTEM
from kiosk.cli.common import friendly, state
from kiosk.federation.registry import PROFILES

MARKS = {"ok": "ok  ", "warning": "WARN", "problem": "FAIL"}


def _report(findings: list) -> None:
    for finding in findings:
        click.echo(f"{MARKS[finding.level]}  {finding.text}")
    problems = sum(f.level == "problem" for f in findings)
    if problems:
        raise click.exceptions.Exit(1)


@click.group()
def sps() -> None:
    """SAML service providers that sign parents in with their Front Desk account."""


@sps.command("add")
@click.argument("name")
@click.option("--metadata", "source", required=True, help="The SP's metadata file or https URL.")
@click.option("--profile", type=click.Choice(PROFILES), required=True)
@click.option("--allow-unsolicited", is_flag=True, help="Accept IdP-initiated sign-ins.")
@friendly
def sps_add(name: str, source: str, profile: str, allow_unsolicited: bool) -> None:
    """Register an SP from its metadata; the profile says what it receives."""
    from kiosk.federation.checks import read_document
    from kiosk.federation.registry import add_sp

    ctx = state().context()
    xml = read_document(source, ctx.config.federation.metadata_max_bytes)
    sp = add_sp(ctx, SYSTEM, name, xml, profile, allow_unsolicited=allow_unsolicited)
    click.echo(f"Registered {sp.name}: {sp.entity_id} ({sp.profile}).")
    for url in sp.acs_urls:
        click.echo(f"  sends sign-ins to {url}")


@sps.command("list")
@click.option("--json", "as_json", is_flag=True)
@friendly
def sps_list(as_json: bool) -> None:
    """List registered SPs."""
    from kiosk.federation.registry import list_sps

    found = list_sps(state().context())
    if as_json:
        click.echo(json.dumps([asdict(sp) for sp in found], indent=2))
        return
    for sp in found:
        extra = "  (unsolicited allowed)" if sp.allow_unsolicited else ""
        click.echo(f"{sp.name:16} {sp.profile:12} {sp.entity_id}{extra}")
    if not found:
        click.echo("No service providers yet: 'kiosk sps add NAME --metadata FILE --profile P'.")


@sps.command("remove")
@click.argument("name")
@friendly
def sps_remove(name: str) -> None:
    """Stop signing parents in to this SP."""
    from kiosk.federation.registry import remove_sp

    remove_sp(state().context(), SYSTEM, name)
    click.echo(f"Removed {name}.")


@sps.command("test")
@click.argument("name")
@click.option("--fetch", default="", help="Also re-read the SP's metadata from this file/URL.")
@friendly
def sps_test(name: str, fetch: str) -> None:
    """Check a registration and report problems in plain words (exit 1 on a problem)."""
    from kiosk.federation.checks import check_sp

    _report(check_sp(state().context(), name, fetch))


@click.group()
def clients() -> None:
    """OpenID Connect clients (relying parties) that sign parents in."""


@clients.command("add")
@click.argument("name")
@click.option("--redirect-uri", "uris", multiple=True, required=True, help="Exact; repeatable.")
@click.option("--public", is_flag=True, help="An app that cannot keep a secret (PKCE required).")
@click.option("--subject", type=click.Choice(["pairwise", "public"]), default="pairwise")
@click.option("--json", "as_json", is_flag=True)
@friendly
def clients_add(
    name: str, uris: tuple[str, ...], public: bool, subject: str, as_json: bool
) -> None:
    """Register a client; a confidential client's secret is printed once, never stored."""
    from kiosk.federation.registry import add_client

    new = add_client(
        state().context(), SYSTEM, name, list(uris), public=public, subject_type=subject
    )
    if as_json:
        click.echo(json.dumps({**asdict(new.client), "client_secret": new.secret or None}))
        return
    click.echo(f"Registered {name}. Client ID: {new.client.client_id}")
    if new.secret:
        click.echo(f"Client secret (shown once; store it in the portal now): {new.secret}")


@clients.command("list")
@click.option("--json", "as_json", is_flag=True)
@friendly
def clients_list(as_json: bool) -> None:
    """List registered clients (never their secrets)."""
    from kiosk.federation.registry import list_clients

    found = list_clients(state().context())
    if as_json:
        click.echo(json.dumps([asdict(c) for c in found], indent=2))
        return
    for c in found:
        kind = "public" if c.public else "confidential"
        click.echo(f"{c.name:16} {c.client_id:24} {kind:12} {' '.join(c.redirect_uris)}")
    if not found:
        click.echo("No clients yet: 'kiosk clients add NAME --redirect-uri URI'.")


@clients.command("remove")
@click.argument("name")
@friendly
def clients_remove(name: str) -> None:
    """Remove a client (its codes and tokens stop working)."""
    from kiosk.federation.registry import remove_client

    remove_client(state().context(), SYSTEM, name)
    click.echo(f"Removed {name}.")


@clients.command("test")
@click.argument("name")
@friendly
def clients_test(name: str) -> None:
    """Check a client and Front Desk's discovery document (exit 1 on a problem)."""
    from kiosk.federation.checks import check_client

    _report(check_client(state().context(), name))


@click.group()
def federation() -> None:
    """The signing key behind SAML assertions and OpenID Connect ID tokens."""


@federation.command("rotate")
@friendly
def federation_rotate() -> None:
    """Make a new signing key; the old certificate stays published until remove-old."""
    from kiosk.federation.keys import rotate

    rotate(state().config)
    click.echo(
        "New signing key in use. The previous certificate is still published; once every "
        "partner has the new metadata, run 'kiosk federation remove-old'."
    )


@federation.command("remove-old")
@friendly
def federation_remove_old() -> None:
    """Stop publishing the previous certificate."""
    from kiosk.federation.keys import remove_old

    click.echo(
        "Removed the previous certificate."
        if remove_old(state().config)
        else "There is no previous certificate."
    )
