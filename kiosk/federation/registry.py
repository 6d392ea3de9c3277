"""Registered partners: SAML service providers (from their metadata) and OIDC clients.

A client secret is shown once and stored as a SHA-256 hash: it is 256 random bits, so a slow
password hash adds nothing (NIST SP 800-63B allows a fast hash for high-entropy secrets).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import urllib.parse
from dataclasses import dataclass

from kiosk import audit
from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import NotFound, ValidationError
from kiosk.services.access import require_staff
from kiosk.store.models import OidcClient, ServiceProvider
from kiosk.text import check_text

PROFILES = ("username", "guardian-id", "email")
MAX_REDIRECT_URIS = 20
MAX_URI_LENGTH = 2000
MAX_METADATA_BYTES = 1_000_000  # an SP's metadata is a few KB; a larger file is not one


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(secret: str, stored_hash: str | None) -> bool:
    return bool(stored_hash) and hmac.compare_digest(digest(secret or ""), stored_hash or "")


# -- SAML service providers --------------------------------------------------------------------


@dataclass(frozen=True)
class SpView:
    name: str
    entity_id: str
    profile: str
    allow_unsolicited: bool
    acs_urls: tuple[str, ...]
    created_at: str


def parse_sp_metadata(xml: str) -> tuple[str, tuple[str, ...]]:
    """(entity id, assertion consumer service URLs) of the one SP the metadata describes."""
    from saml2 import md

    try:
        descriptor = md.entity_descriptor_from_string(xml)
    except Exception:  # pysaml2 raises bare parser errors for bad XML
        descriptor = None
    if descriptor is None or not descriptor.entity_id:
        raise ValidationError("fed_not_metadata")
    acs = tuple(
        str(a.location)
        for sp in descriptor.spsso_descriptor or []
        for a in sp.assertion_consumer_service or []
        if a.location
    )
    if not acs:
        raise ValidationError("fed_no_acs")
    bad = [url for url in acs if not url.startswith(("https://", "http://"))]
    if bad:
        raise ValidationError("fed_acs_not_url", url=repr(bad[0]))
    return str(descriptor.entity_id), acs


def read_metadata(path: str) -> str:
    """The text of an SP metadata file, refused with a plain message if unreadable or too big."""
    limit = MAX_METADATA_BYTES // 1000
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_METADATA_BYTES + 1)
        if len(data) > MAX_METADATA_BYTES:
            raise ValidationError(
                "fed_metadata_unreadable", path=path, reason="too large", limit=limit
            )
        return data.decode("utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValidationError(
            "fed_metadata_unreadable", path=path, reason=reason, limit=limit
        ) from None
    except UnicodeDecodeError:
        raise ValidationError(
            "fed_metadata_unreadable", path=path, reason="not UTF-8", limit=limit
        ) from None


def _sp_view(sp: ServiceProvider) -> SpView:
    _, acs = parse_sp_metadata(sp.metadata_xml)
    return SpView(sp.name, sp.entity_id, sp.profile, sp.allow_unsolicited, acs, sp.created_at)


def add_sp(
    ctx: Context,
    actor: Actor,
    name: str,
    metadata_xml: str,
    profile: str,
    *,
    allow_unsolicited: bool = False,
) -> SpView:
    require_staff(actor, "district_admin")
    name = check_text(name.strip(), "Name", max_length=80)
    if not name:
        raise ValidationError("fed_sp_name")
    if profile not in PROFILES:
        raise ValidationError("fed_profile", profile=repr(profile), choices=", ".join(PROFILES))
    entity_id, _ = parse_sp_metadata(metadata_xml)
    with ctx.store.write():
        if ServiceProvider.get_or_none(ServiceProvider.name == name):
            raise ValidationError("fed_sp_taken", name=repr(name))
        if ServiceProvider.get_or_none(ServiceProvider.entity_id == entity_id):
            raise ValidationError("fed_entity_taken", entity_id=repr(entity_id))
        sp = ServiceProvider.create(
            name=name,
            entity_id=entity_id,
            metadata_xml=metadata_xml,
            profile=profile,
            allow_unsolicited=allow_unsolicited,
            created_at=ctx.clock.now_iso(),
        )
        audit.record(
            ctx,
            actor,
            "federation.sp_add",
            target=name,
            detail={"entity_id": entity_id, "profile": profile},
        )
    return _sp_view(sp)


def list_sps(ctx: Context) -> list[SpView]:
    with ctx.store.read():
        return [_sp_view(sp) for sp in ServiceProvider.select().order_by(ServiceProvider.name)]


def _named(model: type[ServiceProvider] | type[OidcClient], name: str):  # type: ignore[no-untyped-def]
    row = model.get_or_none(model.name == name)
    if row is None:
        code = "fed_sp_not_found" if model is ServiceProvider else "fed_client_not_found"
        raise NotFound(code, name=repr(name))
    return row


def _remove(ctx: Context, actor: Actor, model: type, name: str, action: str) -> None:
    require_staff(actor, "district_admin")
    with ctx.store.write():
        _named(model, name).delete_instance()
        audit.record(ctx, actor, action, target=name)


def sp_by_name(name: str) -> ServiceProvider:
    return _named(ServiceProvider, name)


def remove_sp(ctx: Context, actor: Actor, name: str) -> None:
    _remove(ctx, actor, ServiceProvider, name, "federation.sp_remove")


# -- OpenID Connect clients --------------------------------------------------------------------


@dataclass(frozen=True)
class ClientView:
    name: str
    client_id: str
    public: bool
    redirect_uris: tuple[str, ...]
    subject_type: str
    created_at: str


@dataclass(frozen=True)
class NewClient:
    client: ClientView
    secret: str  # "" for a public client; shown once, never stored


def check_redirect_uri(uri: str) -> str:
    uri = uri.strip()
    parts = urllib.parse.urlsplit(uri)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if len(uri) > MAX_URI_LENGTH or not parts.netloc or parts.fragment:
        raise ValidationError("fed_redirect_bad", uri=repr(uri))
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationError("fed_redirect_https", uri=repr(uri))
    return uri


def _client_view(c: OidcClient) -> ClientView:
    return ClientView(
        c.name, c.client_id, c.public, tuple(c.redirect_uris.split()), c.subject_type, c.created_at
    )


def add_client(
    ctx: Context,
    actor: Actor,
    name: str,
    redirect_uris: list[str],
    *,
    public: bool = False,
    subject_type: str = "pairwise",
) -> NewClient:
    require_staff(actor, "district_admin")
    name = check_text(name.strip(), "Name", max_length=80)
    if not name:
        raise ValidationError("fed_client_name")
    if not redirect_uris or len(redirect_uris) > MAX_REDIRECT_URIS:
        raise ValidationError("fed_redirect_count", n=MAX_REDIRECT_URIS)
    if subject_type not in ("pairwise", "public"):
        raise ValidationError("fed_subject_type")
    uris = [check_redirect_uri(u) for u in redirect_uris]
    secret = "" if public else secrets.token_urlsafe(32)
    with ctx.store.write():
        if OidcClient.get_or_none(OidcClient.name == name):
            raise ValidationError("fed_client_taken", name=repr(name))
        client = OidcClient.create(
            name=name,
            client_id=secrets.token_urlsafe(16),
            secret_hash=digest(secret) if secret else None,
            public=public,
            redirect_uris="\n".join(dict.fromkeys(uris)),
            subject_type=subject_type,
            pairwise_salt=secrets.token_hex(16),
            created_at=ctx.clock.now_iso(),
        )
        audit.record(
            ctx,
            actor,
            "federation.client_add",
            target=name,
            detail={"client_id": client.client_id, "public": public},
        )
    return NewClient(_client_view(client), secret)


def list_clients(ctx: Context) -> list[ClientView]:
    with ctx.store.read():
        return [_client_view(c) for c in OidcClient.select().order_by(OidcClient.name)]


def client_by_name(name: str) -> OidcClient:
    return _named(OidcClient, name)


def remove_client(ctx: Context, actor: Actor, name: str) -> None:
    _remove(ctx, actor, OidcClient, name, "federation.client_remove")
