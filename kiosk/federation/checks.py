"""``kiosk sps test`` / ``kiosk clients test``: read a partner's documents, report in plain words.

Each check returns findings (``ok``, ``warning``, ``problem``) a district IT person can act on;
nothing here changes a registration.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kiosk.context import Context
from kiosk.errors import ValidationError
from kiosk.federation import keys
from kiosk.federation.endpoints import endpoints
from kiosk.federation.registry import client_by_name, parse_sp_metadata, sp_by_name

FETCH_TIMEOUT_SECONDS = 10
CERT_WARNING_DAYS = 60


@dataclass(frozen=True)
class Finding:
    level: str  # ok | warning | problem
    text: str


def _is_local(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname in ("localhost", "127.0.0.1", "::1")


def read_document(source: str, max_bytes: int) -> str:
    """A file's text, or an https URL's body (plain http only for localhost), size-limited."""
    if source.startswith(("https://", "http://")):
        if source.startswith("http://") and not _is_local(source):
            raise ValidationError("fed_https_only", source=source)
        try:
            with urllib.request.urlopen(source, timeout=FETCH_TIMEOUT_SECONDS) as answer:  # noqa: S310
                body = answer.read(max_bytes + 1)
        except OSError as exc:
            raise ValidationError(
                "fed_fetch_failed", source=source, why=type(exc).__name__
            ) from None
    else:
        path = Path(source)
        if not path.is_file():
            raise ValidationError("fed_no_file", source=source)
        body = path.read_bytes()[: max_bytes + 1]
    if len(body) > max_bytes:
        raise ValidationError("fed_too_big", source=source, limit=max_bytes)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("fed_not_utf8", source=source) from None


def _own_setup(ctx: Context) -> list[Finding]:
    ends = endpoints(ctx.config)
    found = []
    if not ends.base_url.startswith("https://"):
        found.append(
            Finding(
                "warning",
                f"Front Desk's address is {ends.base_url}; partners need https. Set [web] "
                "base_url (or [federation] base_url) to the public https address.",
            )
        )
    signing = keys.load(ctx.config)
    from cryptography import x509

    expires = x509.load_pem_x509_certificate(signing.cert_pem).not_valid_after_utc
    days = (expires - dt.datetime.now(dt.UTC)).days
    level = "ok" if days > CERT_WARNING_DAYS else "warning"
    found.append(Finding(level, f"Front Desk's signing certificate is valid for {days} more days."))
    return found


def check_sp(ctx: Context, name: str, fetch: str = "") -> list[Finding]:
    """The stored SP registration, and (``fetch``) whether the SP's current metadata matches."""
    with ctx.store.read():
        sp = sp_by_name(name)
        entity_id, acs = parse_sp_metadata(sp.metadata_xml)
    found = [Finding("ok", f"{name}: entity ID {entity_id}, profile {sp.profile}.")]
    for url in acs:
        if url.startswith("https://") or _is_local(url):
            found.append(Finding("ok", f"Sends parents' sign-ins to {url}."))
        else:
            found.append(
                Finding(
                    "problem",
                    f"The AssertionConsumerService {url} is not https: a "
                    "parent's sign-in would cross the network unprotected.",
                )
            )
    if fetch:
        try:
            current = read_document(fetch, ctx.config.federation.metadata_max_bytes)
            new_entity, new_acs = parse_sp_metadata(current)
        except ValidationError as exc:
            found.append(Finding("problem", str(exc)))
        else:
            if (new_entity, set(new_acs)) != (entity_id, set(acs)):
                found.append(
                    Finding(
                        "problem",
                        "The SP's metadata changed since it was registered. "
                        f"Run 'kiosk sps remove {name}' and add it again.",
                    )
                )
            else:
                found.append(Finding("ok", "The SP's published metadata matches the registration."))
    return found + _own_setup(ctx)


def check_client(ctx: Context, name: str) -> list[Finding]:
    """The client's redirect URIs, and Front Desk's discovery document as the client sees it."""
    with ctx.store.read():
        client = client_by_name(name)
        uris = client.redirect_uris.split()
    kind = "public (PKCE required)" if client.public else "confidential (client secret)"
    found = [Finding("ok", f"{name}: client ID {client.client_id}, {kind}.")]
    for uri in uris:
        level = "ok" if uri.startswith("https://") else "warning"
        found.append(Finding(level, f"Returns parents to {uri} (must match exactly)."))
    ends = endpoints(ctx.config)
    url = f"{ends.issuer}/.well-known/openid-configuration"
    try:
        doc = json.loads(read_document(url, ctx.config.federation.metadata_max_bytes))
    except (ValidationError, ValueError) as exc:
        found.append(Finding("problem", f"The discovery document at {url} cannot be read: {exc}"))
    else:
        if doc.get("issuer") != ends.issuer:
            found.append(
                Finding(
                    "problem",
                    f"The discovery document names issuer {doc.get('issuer')!r}, "
                    f"not {ends.issuer!r}: is [federation] issuer right?",
                )
            )
        else:
            found.append(Finding("ok", f"The discovery document at {url} answers."))
    return found + _own_setup(ctx)
