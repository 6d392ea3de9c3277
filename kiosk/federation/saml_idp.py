"""The SAML 2.0 identity provider, on pysaml2's ``Server`` with Debian's xmlsec1.

Responses and assertions are both signed (RSA-SHA256), the assertion is restricted to the SP's
entity ID (audience) and its registered AssertionConsumerService (recipient), valid for
``[federation] assertion_seconds``, and answers the request's ID (InResponseTo). Unsolicited
(IdP-initiated) responses only go to SPs registered with ``allow_unsolicited``.
"""

from __future__ import annotations

import base64
import logging
import shutil
import threading
from dataclasses import dataclass

from kiosk import audit
from kiosk.context import Context
from kiosk.errors import ConfigError, NotFound, PermissionDenied, ValidationError
from kiosk.federation import keys
from kiosk.federation.endpoints import ACR_PASSWORD, endpoints
from kiosk.federation.identity import Subject, guardian_identifier, record_refusal, subject_for
from kiosk.store.models import ServiceProvider

log = logging.getLogger("kiosk.federation")

#: The largest SAMLRequest accepted (encoded); real AuthnRequests are a few kilobytes.
MAX_REQUEST_BYTES = 64_000

NAMEID_UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"


@dataclass(frozen=True)
class SsoRequest:
    """A checked AuthnRequest (or an unsolicited start) waiting for a signed-in parent."""

    sp_name: str
    entity_id: str
    acs_url: str
    request_id: str | None  # None: unsolicited
    relay_state: str


@dataclass(frozen=True)
class SamlResponse:
    """What the browser posts to the SP: the signed response, base64, and where to."""

    acs_url: str
    saml_response: str
    relay_state: str
    sp_name: str


def xmlsec_binary() -> str:
    found = shutil.which("xmlsec1")
    if found is None:
        raise ConfigError("fed_xmlsec")
    return found


_cache_lock = threading.Lock()
_cache: dict[tuple, object] = {}


def _server_config(ctx: Context, sps: list[ServiceProvider]) -> dict:
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.saml import NAME_FORMAT_BASIC
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

    ends = endpoints(ctx.config)
    signing = keys.load(ctx.config)
    lifetime = ctx.config.federation.assertion_seconds
    return {
        "entityid": ends.entity_id,
        "xmlsec_binary": xmlsec_binary(),
        "key_file": str(signing.key_path),
        "cert_file": str(signing.cert_path),
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "metadata": {"inline": [sp.metadata_xml for sp in sps]},
        "service": {
            "idp": {
                "name": f"{ctx.config.district.name} Front Desk",
                "endpoints": {
                    "single_sign_on_service": [
                        (ends.saml_sso, BINDING_HTTP_REDIRECT),
                        (ends.saml_sso, BINDING_HTTP_POST),
                    ]
                },
                "name_id_format": [NAMEID_UNSPECIFIED, NAMEID_EMAIL],
                "want_authn_requests_signed": False,
                "policy": {
                    "default": {
                        "lifetime": {"seconds": lifetime},
                        "name_form": NAME_FORMAT_BASIC,
                        "sign_response": True,
                        "sign_assertion": True,
                    }
                },
            }
        },
    }


def server(ctx: Context):  # -> saml2.server.Server
    """The pysaml2 server for the registered SPs and current key, rebuilt when either changes."""
    from saml2.config import IdPConfig
    from saml2.server import Server

    sps = list(ServiceProvider.select().order_by(ServiceProvider.id))
    paths = keys.key_paths(ctx.config)
    stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (paths.key, paths.old_cert))
    cache_key = (
        str(ctx.config.source),
        ctx.store.url,
        stamp,
        tuple((sp.id, sp.entity_id, sp.profile, sp.allow_unsolicited) for sp in sps),
    )
    with _cache_lock:
        cached = _cache.get(cache_key)
        if cached is None:
            config = IdPConfig()
            try:
                config.load(_server_config(ctx, sps))
            except ConfigError:
                raise
            except Exception as exc:  # pysaml2 reports bad set-ups with assorted exceptions
                log.warning("SAML set-up failed: %s", type(exc).__name__)
                raise ConfigError("fed_saml_setup") from None
            cached = Server(config=config)
            if len(_cache) > 8:
                _cache.clear()
            _cache[cache_key] = cached
    return cached


def metadata_xml(ctx: Context) -> str:
    """The IdP's metadata: entity ID, SSO endpoints, and every published certificate."""
    from saml2.md import KeyDescriptor
    from saml2.metadata import entity_descriptor
    from saml2.xmldsig import KeyInfo, X509Certificate, X509Data

    with ctx.store.read():
        srv = server(ctx)
    descriptor = entity_descriptor(srv.config)
    signing = keys.load(ctx.config)
    for pem in signing.published[1:]:
        descriptor.idpsso_descriptor.key_descriptor.append(
            KeyDescriptor(
                use="signing",
                key_info=KeyInfo(
                    x509_data=[X509Data(x509_certificate=X509Certificate(text=keys.cert_body(pem)))]
                ),
            )
        )
    return str(descriptor)


def _check_size(saml_request: str) -> None:
    if not saml_request or len(saml_request) > MAX_REQUEST_BYTES:
        raise ValidationError("fed_request_missing")


def parse_request(ctx: Context, saml_request: str, relay_state: str, *, post: bool) -> SsoRequest:
    """Check an AuthnRequest: a registered SP, and an ACS its metadata lists."""
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

    _check_size(saml_request)
    binding = BINDING_HTTP_POST if post else BINDING_HTTP_REDIRECT
    with ctx.store.read():
        srv = server(ctx)
        try:
            parsed = srv.parse_authn_request(saml_request, binding)
            message = parsed.message
            issuer = message.issuer.text.strip() if message.issuer is not None else ""
        except Exception:  # unreadable XML, wrong binding, wrong destination
            parsed = None
            issuer = ""
        if parsed is None:
            raise ValidationError("fed_request_unreadable")
        sp = ServiceProvider.get_or_none(ServiceProvider.entity_id == issuer)
        if sp is None:
            raise NotFound("fed_sp_unknown")
        acs = _acs_for(sp, message.assertion_consumer_service_url, message.protocol_binding)
    return SsoRequest(sp.name, sp.entity_id, acs, str(message.id), relay_state[:80])


def _acs_for(sp: ServiceProvider, asked: str | None, binding: str | None) -> str:
    from saml2 import BINDING_HTTP_POST

    from kiosk.federation.registry import parse_sp_metadata

    _, registered = parse_sp_metadata(sp.metadata_xml)
    if binding and binding != BINDING_HTTP_POST:
        raise ValidationError("fed_binding")
    if asked:
        if asked not in registered:
            raise PermissionDenied("fed_wrong_acs")
        return asked
    return registered[0]


def unsolicited(ctx: Context, sp_name: str, relay_state: str = "") -> SsoRequest:
    """An IdP-initiated sign-in to a registered SP, only where the SP allows it."""
    from kiosk.federation.registry import parse_sp_metadata, sp_by_name

    with ctx.store.read():
        sp = sp_by_name(sp_name)
        if not sp.allow_unsolicited:
            raise PermissionDenied("fed_unsolicited")
        _, acs = parse_sp_metadata(sp.metadata_xml)
    return SsoRequest(sp.name, sp.entity_id, acs[0], None, relay_state[:80])


def _release(ctx: Context, profile: str, subject: Subject) -> tuple[str, str, dict[str, list[str]]]:
    """(NameID, its format, attributes) for a profile; nothing else about the parent is sent."""
    if profile == "username":
        return subject.username, NAMEID_UNSPECIFIED, {"username": [subject.username]}
    if profile == "guardian-id":
        ident = guardian_identifier(ctx, subject)
        return ident, NAMEID_UNSPECIFIED, {"authenticationId": [ident]}
    if not subject.email:
        raise PermissionDenied("fed_email_unverified")
    return subject.email, NAMEID_EMAIL, {"email": [subject.email]}


def respond(ctx: Context, request: SsoRequest, account_id: int) -> SamlResponse:
    """Sign a response for the signed-in parent, audited (never the assertion itself)."""
    from saml2.saml import NameID
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

    with ctx.store.read():
        sp = ServiceProvider.get_or_none(ServiceProvider.entity_id == request.entity_id)
        if sp is None:
            raise NotFound("fed_sp_gone")
        try:
            subject = subject_for(ctx, account_id)
            name_id, fmt, attributes = _release(ctx, sp.profile, subject)
        except PermissionDenied as exc:
            refusal: PermissionDenied | None = exc
        else:
            refusal = None
        srv = server(ctx)
    if refusal is not None:
        record_refusal(ctx, account_id, "federation.saml_assertion", sp.name, refusal)
        raise refusal
    # Signing runs xmlsec1: outside any transaction, so no write lock is held meanwhile.
    response = srv.create_authn_response(
        attributes,
        request.request_id,
        request.acs_url,
        sp.entity_id,
        name_id=NameID(format=fmt, text=name_id),
        authn={"class_ref": ACR_PASSWORD, "authn_auth": srv.config.entityid},
        sign_response=True,
        sign_assertion=True,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    with ctx.store.write():
        audit.record(
            ctx,
            f"parent:{subject.username}",
            "federation.saml_assertion",
            target=subject.guardian_id,
            detail={
                "sp": sp.name,
                "profile": sp.profile,
                "unsolicited": request.request_id is None,
            },
        )
    encoded = base64.b64encode(str(response).encode("utf-8")).decode("ascii")
    return SamlResponse(request.acs_url, encoded, request.relay_state, sp.name)


def redirect_encoding(post_encoded: str) -> str:
    """An HTTP-POST SAMLRequest re-encoded for a URL (to resume it after the sign-in page)."""
    from saml2.pack import deflate_and_base64_encode

    try:
        xml = base64.b64decode(post_encoded, validate=False)
    except ValueError:
        raise ValidationError("fed_request_unreadable") from None
    return deflate_and_base64_encode(xml).decode("ascii")
