"""Authlib's authorization-code grant, OpenID Connect and PKCE, wired to the Front Desk store.

Codes and access tokens are stored as SHA-256 hashes. A code is claimed with one conditional
update (unused and unexpired -> used), so two token requests with the same code cannot both win,
on SQLite or PostgreSQL; the parent's session epoch travels with it, so a staff reset between
the sign-in and the token request refuses the token.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass

from authlib.oauth2.rfc6749 import ClientMixin, InvalidGrantError, InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core import grants as oidc_grants
from authlib.oidc.core.models import AuthorizationCodeMixin

from kiosk.clock import iso, parse
from kiosk.context import Context
from kiosk.errors import PermissionDenied
from kiosk.federation.endpoints import ACR_PASSWORD, endpoints
from kiosk.federation.identity import Subject, pairwise_sub, subject_for
from kiosk.federation.registry import digest, same_secret
from kiosk.store.models import AccessToken, AuthorizationCode, OidcClient

SCOPES = ("openid", "profile", "email", "guardian")
CLAIMS = (
    "sub",
    "preferred_username",
    "name",
    "locale",
    "email",
    "email_verified",
    "guardian_id",
    "students",
    "auth_time",
    "acr",
    "nonce",
)


class Client(ClientMixin):
    """An ``OidcClient`` row as Authlib sees it: exact redirect URIs, S256 PKCE, code only."""

    def __init__(self, row: OidcClient) -> None:
        self.row = row
        self.uris = tuple(row.redirect_uris.split())

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.uris[0] if len(self.uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str:
        asked = (scope or "openid").split()
        return " ".join(s for s in asked if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.uris  # exact match: no prefixes, no wildcards

    def check_client_secret(self, client_secret: str) -> bool:
        return not self.row.public and same_secret(client_secret, self.row.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.row.public:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class FederatedUser:
    """The parent an authorization is for, with the client (pairwise subjects need it)."""

    subject: Subject
    auth_time: int
    client: OidcClient | None = None
    locale: str = "en"


class Code(AuthorizationCodeMixin):
    def __init__(self, row: AuthorizationCode) -> None:
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope

    def get_nonce(self) -> str | None:
        return self.row.nonce

    def get_auth_time(self) -> int:
        return self.row.auth_time

    def get_acr(self) -> str:
        return ACR_PASSWORD

    def get_amr(self) -> list[str]:
        return ["pwd"]


class Pkce(CodeChallenge):
    """S256 only; a public client without a challenge is refused at the authorize step."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):  # type: ignore[no-untyped-def]
        data = grant.request.payload.data
        client = grant.request.client
        if client is not None and client.row.public and not data.get("code_challenge"):
            raise InvalidRequestError(
                "This app must use PKCE (code_challenge with S256).", redirect_uri=redirect_uri
            )
        if data.get("code_challenge") and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError(
                "Only code_challenge_method=S256 is accepted.", redirect_uri=redirect_uri
            )
        return super().validate_code_challenge(grant, redirect_uri)


def claims_for(user: FederatedUser, client: OidcClient, scope: str) -> dict[str, object]:
    """The claims a client may see for the scopes it was granted, and no others."""
    s = user.subject
    scopes = scope.split()
    sub = pairwise_sub(
        client.pairwise_salt if client.subject_type == "pairwise" else "public", s.guardian_id
    )
    claims: dict[str, object] = {"sub": sub}
    if "profile" in scopes:
        claims.update(preferred_username=s.username, name=s.name, locale=user.locale)
    if "email" in scopes:
        claims["email_verified"] = bool(s.email)
        if s.email:
            claims["email"] = s.email
    if "guardian" in scopes:
        claims.update(guardian_id=s.guardian_id, students=list(s.students))
    return claims


def make_grant(ctx: Context) -> type[grants.AuthorizationCodeGrant]:
    """The code grant bound to one context (store, clock, lifetimes)."""
    lifetime = ctx.config.federation.code_seconds

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

        def save_authorization_code(self, code: str, request) -> None:  # type: ignore[no-untyped-def]
            user: FederatedUser = request.user
            data = request.payload.data
            now = ctx.clock.now()
            AuthorizationCode.create(
                code_hash=digest(code),
                client=request.client.row,
                account=user.subject.account_id,
                session_epoch=user.subject.session_epoch,
                redirect_uri=request.payload.redirect_uri or "",
                scope=request.scope or "",
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                auth_time=user.auth_time,
                created_at=iso(now),
                expires_at=iso(now + dt.timedelta(seconds=lifetime)),
            )

        def query_authorization_code(self, code: str, client: Client):  # type: ignore[no-untyped-def]
            now = ctx.clock.now_iso()
            claimed = (
                AuthorizationCode.update(used_at=now)
                .where(
                    AuthorizationCode.code_hash == digest(code or ""),
                    AuthorizationCode.client == client.row,
                    AuthorizationCode.used_at.is_null(),
                    AuthorizationCode.expires_at > now,
                )
                .execute()
            )
            if claimed != 1:
                raise InvalidGrantError(
                    "This code is unknown, already used or expired; sign in again."
                )
            return Code(AuthorizationCode.get(AuthorizationCode.code_hash == digest(code)))

        def delete_authorization_code(self, authorization_code: Code) -> None:
            pass  # claimed (marked used) in query_authorization_code

        def authenticate_user(self, authorization_code: Code) -> FederatedUser:
            row = authorization_code.row
            try:
                subject = subject_for(ctx, row.account_id, row.session_epoch)
            except PermissionDenied as exc:
                raise InvalidGrantError(str(exc)) from None
            return FederatedUser(subject, row.auth_time, row.client)

    return CodeGrant


def make_openid(ctx: Context, private_key: object, kid: str) -> oidc_grants.OpenIDCode:
    ends = endpoints(ctx.config)
    lifetime = ctx.config.federation.token_seconds

    class OpenID(oidc_grants.OpenIDCode):
        def exists_nonce(self, nonce: str, request) -> bool:  # type: ignore[no-untyped-def]
            return (
                AuthorizationCode.select()
                .where(
                    AuthorizationCode.client == request.client.row,
                    AuthorizationCode.nonce == nonce,
                )
                .exists()
            )

        def resolve_client_private_key(self, client: Client) -> object:
            return private_key

        def get_client_algorithm(self, client: Client) -> str:
            return "RS256"

        def get_encode_header(self, client: Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": kid, "typ": "JWT"}

        def get_client_claims(self, client: Client) -> dict[str, object]:
            now = int(time.time())
            return {
                "iss": ends.issuer,
                "aud": [client.get_client_id()],
                "iat": now,
                "exp": now + lifetime,
            }

        def generate_user_info(self, user: FederatedUser, scope: str) -> UserInfo:
            assert user.client is not None
            return UserInfo(claims_for(user, user.client, scope))

    return OpenID(require_nonce=False)


def new_access_token(**_: object) -> str:
    return secrets.token_urlsafe(32)


def save_token(ctx: Context, token: dict, request) -> None:  # type: ignore[no-untyped-def]
    now = ctx.clock.now()
    user: FederatedUser = request.user
    AccessToken.create(
        token_hash=digest(token["access_token"]),
        client=request.client.row,
        account=user.subject.account_id,
        session_epoch=user.subject.session_epoch,
        scope=token.get("scope", ""),
        created_at=iso(now),
        expires_at=iso(now + dt.timedelta(seconds=int(token.get("expires_in", 0)))),
    )


def token_owner(ctx: Context, access_token: str) -> tuple[FederatedUser, str] | None:
    """The parent and scope behind a live access token, or None."""
    row = AccessToken.get_or_none(AccessToken.token_hash == digest(access_token or ""))
    if row is None or (parse(row.expires_at) or ctx.clock.now()) <= ctx.clock.now():
        return None
    try:
        subject = subject_for(ctx, row.account_id, row.session_epoch)
    except PermissionDenied:
        return None
    return FederatedUser(subject, 0, row.client), row.scope
