"""The OpenID Connect provider's operations, for the route module to call.

Authlib does the protocol (authorization code grant, PKCE, ID tokens); this module gives it the
store, the keys and the Front Desk rules, and answers in plain ``HttpAnswer`` values so no
web framework is imported here. No implicit or hybrid flow is registered.
"""

from __future__ import annotations

import json
import urllib.parse
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6750 import BearerTokenGenerator

from kiosk import audit
from kiosk.context import Context
from kiosk.errors import KioskError, NotFound, PermissionDenied
from kiosk.federation import keys
from kiosk.federation.endpoints import ACR_PASSWORD, endpoints
from kiosk.federation.identity import record_refusal, subject_for
from kiosk.federation.oidc_grants import (
    CLAIMS,
    SCOPES,
    Client,
    FederatedUser,
    Pkce,
    claims_for,
    make_grant,
    make_openid,
    new_access_token,
    save_token,
    token_owner,
)
from kiosk.store.models import OidcClient

#: Parameter Front Desk adds when it sends a parent to sign in again for ``prompt=login``.
LOGIN_AFTER = "fd_login_after"
MAX_PARAMS_BYTES = 16_000


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: str
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def location(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "location"), None)


class Refusal(KioskError):
    """An authorization request Front Desk answers itself, with a plain page: a request it
    cannot trust (400), or a parent it may not vouch for (403)."""

    status = 400


class _Payload(OAuth2Payload):
    def __init__(self, values: list[tuple[str, str]]) -> None:
        self._values = values

    @cached_property
    def data(self) -> dict[str, str]:
        return dict(self._values)

    @cached_property
    def datalist(self) -> defaultdict[str, list]:
        out: defaultdict[str, list] = defaultdict(list)
        for k, v in self._values:
            out[k].append(v)
        return out


class _Request(OAuth2Request):
    def __init__(self, method: str, uri: str, query: list, form: list, headers: Mapping) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._query, self._form = dict(query), dict(form)
        self.payload = _Payload(form if method == "POST" else query)

    @property
    def args(self) -> dict[str, str]:
        return self._query

    @property
    def form(self) -> dict[str, str]:
        return self._form


@dataclass(frozen=True)
class HttpIn:
    """A request as the provider needs it: method, path, parameters, headers."""

    method: str
    path: str
    query: list[tuple[str, str]]
    form: list[tuple[str, str]] = field(default_factory=list)
    #: Case-insensitive (Starlette's ``Headers``), as Authlib looks up "Authorization".
    headers: Mapping[str, str] = field(default_factory=dict)


class _Server(AuthorizationServer):
    def __init__(self, ctx: Context, base_url: str) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.ctx, self.base_url = ctx, base_url

    def query_client(self, client_id: str) -> Client | None:
        row = OidcClient.get_or_none(OidcClient.client_id == (client_id or ""))
        return Client(row) if row else None

    def save_token(self, token: dict, request) -> None:  # type: ignore[no-untyped-def]
        save_token(self.ctx, token, request)

    def create_oauth2_request(self, request: HttpIn | OAuth2Request) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        query = urllib.parse.urlencode(request.query)
        uri = f"{self.base_url}{request.path}" + (f"?{query}" if query else "")
        return _Request(request.method, uri, request.query, request.form, request.headers)

    def handle_response(self, status: int, body: object, headers: list) -> HttpAnswer:
        text = body if isinstance(body, str) else json.dumps(body)
        return HttpAnswer(status, text, list(headers))

    def send_signal(self, name: str, *args: object, **kwargs: object) -> None:
        pass  # no listeners: auditing happens in Provider.token


class Provider:
    """One context's OpenID Connect provider (cheap to build; keys are read per instance)."""

    def __init__(self, ctx: Context) -> None:
        from joserfc.jwk import RSAKey

        self.ctx = ctx
        self.ends = endpoints(ctx.config)
        signing = keys.load(ctx.config)
        self.server = _Server(ctx, self.ends.base_url)
        lifetime = ctx.config.federation.token_seconds
        self.server.register_token_generator(
            "default",
            BearerTokenGenerator(new_access_token, expires_generator=lambda c, g: lifetime),
        )
        private = RSAKey.import_key(signing.key_pem)
        self.server.register_grant(
            make_grant(ctx), [make_openid(ctx, private, signing.kid), Pkce(required=True)]
        )

    # -- discovery ---------------------------------------------------------------------------

    def discovery(self) -> dict[str, object]:
        e = self.ends
        return {
            "issuer": e.issuer,
            "authorization_endpoint": e.authorize,
            "token_endpoint": e.token,
            "userinfo_endpoint": e.userinfo,
            "jwks_uri": e.jwks,
            "end_session_endpoint": e.end_session,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise", "public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": list(SCOPES),
            "claims_supported": list(CLAIMS),
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "none",
            ],
            "code_challenge_methods_supported": ["S256"],
            "prompt_values_supported": ["none", "login"],
            "acr_values_supported": [ACR_PASSWORD],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
        }

    def jwks(self) -> dict[str, object]:
        return keys.jwks(keys.load(self.ctx.config))

    # -- authorization -----------------------------------------------------------------------

    def check(self, req: HttpIn) -> HttpAnswer | None:
        """Validate an authorization request before anyone signs in.

        Returns an answer for the client (a redirect with an error) or None when the request
        is fine; raises ``Refusal`` when the client or redirect URI cannot be trusted, so
        nothing may be sent back to it.
        """
        if len(urllib.parse.urlencode(req.query)) > MAX_PARAMS_BYTES:
            raise Refusal("fed_too_large")
        with self.ctx.store.read():
            try:
                self.server.get_consent_grant(req, end_user=_NOBODY)
            except OAuth2Error as error:
                return self._error(req, error)
        return None

    def _error(self, req: HttpIn, error: OAuth2Error) -> HttpAnswer:
        if not error.redirect_uri:
            raise _plain(error)
        return self.server.handle_response(*error())

    def login_required(self, req: HttpIn, auth_time: int, now: int) -> bool:
        """``prompt=login`` and ``max_age``: must the parent type the password again?"""
        params = dict(req.query)
        if "login" in params.get("prompt", "").split():
            after = params.get(LOGIN_AFTER, "")
            return not after.isdigit() or auth_time < int(after)
        max_age = params.get("max_age", "")
        return max_age.isdigit() and now - auth_time > int(max_age)

    def prompt_none_answer(self, req: HttpIn) -> HttpAnswer | None:
        """``prompt=none`` without a session: tell the client login is required."""
        if "none" not in dict(req.query).get("prompt", "").split():
            return None
        with self.ctx.store.read():
            try:
                self.server.get_consent_grant(req, end_user=None)
            except OAuth2Error as error:
                return self._error(req, error)
        return None

    def authorize(self, req: HttpIn, account_id: int, auth_time: int, locale: str) -> HttpAnswer:
        """Issue a code to a signed-in parent (after ``check`` and the sign-in checks)."""
        client_id = dict(req.query).get("client_id", "")
        try:
            with self.ctx.store.write():
                client = self.server.query_client(client_id)
                subject = subject_for(self.ctx, account_id)
                user = FederatedUser(subject, auth_time, client.row if client else None, locale)
                grant = self.server.get_consent_grant(req, end_user=user)
                return self.server.create_authorization_response(req, grant_user=user, grant=grant)
        except PermissionDenied as exc:
            record_refusal(self.ctx, account_id, "federation.oidc_code", client_id, exc)
            refusal = Refusal(exc.code, **exc.params)
            refusal.status = 403
            raise refusal from None

    # -- token and userinfo ------------------------------------------------------------------

    def token(self, req: HttpIn) -> HttpAnswer:
        """The token endpoint; every token issued (or refused) is an audit event."""
        with self.ctx.store.write():
            answer = self.server.create_token_response(req)
            form = dict(req.form)
            ok = answer.status == 200
            issued = json.loads(answer.body) if ok else {}
            client = self.server.query_client(form.get("client_id") or _basic_id(req.headers))
            audit.record(
                self.ctx,
                "oidc:" + (client.row.name if client else "unknown-client"),
                "federation.oidc_token",
                outcome="ok" if ok else str(json.loads(answer.body).get("error", "refused")),
                target=_token_target(self.ctx, issued),
                detail={"scope": issued.get("scope", "")} if ok else {},
            )
        return answer

    def userinfo(self, authorization: str) -> HttpAnswer:
        scheme, _, token = (authorization or "").partition(" ")
        with self.ctx.store.read():
            found = token_owner(self.ctx, token.strip()) if scheme.lower() == "bearer" else None
            if found is None:
                return HttpAnswer(
                    401,
                    json.dumps({"error": "invalid_token"}),
                    [("WWW-Authenticate", 'Bearer error="invalid_token"')],
                )
            user, scope = found
            assert user.client is not None
            claims = claims_for(user, user.client, scope)
        return HttpAnswer(200, json.dumps(claims), [("Content-Type", "application/json")])

    # -- RP-initiated logout -----------------------------------------------------------------

    def logout_target(self, params: dict[str, str]) -> str | None:
        """Where to send the browser after signing out, or None (show Front Desk's page).

        ``post_logout_redirect_uri`` is honoured only when it is one of the registered redirect
        URIs of the client named by ``client_id`` or by a valid ``id_token_hint``.
        """
        target = params.get("post_logout_redirect_uri", "")
        if not target:
            return None
        client_id = params.get("client_id") or self.hinted_client(params.get("id_token_hint"))
        with self.ctx.store.read():
            client = self.server.query_client(client_id or "")
        if client is None or not client.check_redirect_uri(target):
            raise NotFound("fed_logout_unregistered")
        state = params.get("state")
        if state:
            sep = "&" if "?" in target else "?"
            target = f"{target}{sep}{urllib.parse.urlencode({'state': state})}"
        return target

    def hinted_client(self, hint: str | None) -> str | None:
        """The client an ``id_token_hint`` we signed was issued to, or None."""
        from joserfc import jwt
        from joserfc.errors import JoseError
        from joserfc.jwk import KeySet, RSAKey

        if not hint:
            return None
        keyset = KeySet([RSAKey.import_key(k) for k in self.jwks()["keys"]])  # type: ignore[union-attr]
        try:
            token = jwt.decode(hint, keyset, algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        aud = token.claims.get("aud")
        return aud[0] if isinstance(aud, list) and aud else aud


class _Somebody:
    """Stands for a signed-in parent while only the request's shape is checked."""


_NOBODY = _Somebody()


def _plain(error: OAuth2Error) -> Refusal:
    return Refusal("fed_app_request", reason=error.description or error.error)


def _basic_id(headers: Mapping[str, str]) -> str:
    import base64

    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    scheme, _, cred = value.partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return urllib.parse.unquote(base64.b64decode(cred).decode().partition(":")[0])
    except ValueError:
        return ""


def _token_target(ctx: Context, issued: dict) -> str:
    if not issued:
        return ""
    from kiosk.federation.oidc_grants import token_owner as owner

    found = owner(ctx, issued.get("access_token", ""))
    return found[0].subject.guardian_id if found else ""


_providers: dict[tuple, Provider] = {}


def provider_for(ctx: Context) -> Provider:
    """The context's provider, rebuilt when the signing key changes (after a rotation)."""
    path = keys.key_paths(ctx.config).key
    stamp = (id(ctx), path.stat().st_mtime_ns if path.exists() else 0)
    provider = _providers.get(stamp)
    if provider is None:
        provider = Provider(ctx)
        if len(_providers) > 8:
            _providers.clear()
        _providers[stamp] = provider
    return provider
