"""The public addresses of the identity provider, worked out from the configuration once."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import Config

#: Where ``kiosk serve`` listens by default, for a development set-up without a base_url.
LOCAL_BASE_URL = "http://127.0.0.1:8080"

ACR_PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


@dataclass(frozen=True)
class Endpoints:
    base_url: str
    entity_id: str
    issuer: str

    @property
    def saml_metadata(self) -> str:
        return f"{self.base_url}/saml/metadata"

    @property
    def saml_sso(self) -> str:
        return f"{self.base_url}/saml/sso"

    @property
    def authorize(self) -> str:
        return f"{self.base_url}/oidc/authorize"

    @property
    def token(self) -> str:
        return f"{self.base_url}/oidc/token"

    @property
    def userinfo(self) -> str:
        return f"{self.base_url}/oidc/userinfo"

    @property
    def jwks(self) -> str:
        return f"{self.base_url}/oidc/jwks"

    @property
    def end_session(self) -> str:
        return f"{self.base_url}/oidc/end-session"


def endpoints(config: Config) -> Endpoints:
    f = config.federation
    web = getattr(config, "web", None)  # [web] arrives with the parent web (issue 12)
    base = (f.base_url or getattr(web, "base_url", "") or LOCAL_BASE_URL).rstrip("/")
    return Endpoints(base, f.entity_id or f"{base}/saml/metadata", f.issuer or base)
