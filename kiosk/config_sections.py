"""The sections of ``kiosk.toml``, one frozen dataclass per table, with their bounds.

Bounds and choices are field metadata (``_bounds``, ``_choices``) that ``kiosk.config`` checks
in one loop when it loads the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.i18n import N_


def _bounds(low: float, high: float) -> dict[str, tuple[float, float]]:
    """Field metadata: the setting must lie from ``low`` to ``high`` (checked on load)."""
    return {"range": (low, high)}


def _choices(*allowed: str) -> dict[str, tuple[str, ...]]:
    """Field metadata: the setting must be one of ``allowed``."""
    return {"choices": allowed}


@dataclass(frozen=True)
class School:
    """A school of the district as ``[[schools]]`` names it; the roster can adopt it by code."""

    code: str
    name: str
    sourced_id: str = ""


@dataclass(frozen=True)
class DistrictConfig:
    """``[district]``: the name parents see on every screen and letter."""

    name: str = "Front Desk Demo District"
    #: The code or ID parents type into the mobile app (Henderson: "Henderson", Clayton: "JPRQQH").
    mobile_app_code: str = ""
    state: str = ""
    #: The district's IANA time zone (e.g. "America/Chicago"): times on staff screens use it.
    time_zone: str = "UTC"


@dataclass(frozen=True)
class SupportConfig:
    """``[support]``: who a parent contacts when the kiosk cannot help, and how fast."""

    email: str = ""
    phone: str = ""
    #: Free text shown to parents, e.g. "within 24 hours; allow up to two school days".
    response_time: str = ""


@dataclass(frozen=True)
class PortalConfig:
    """``[portal]``: where keys are redeemed and what the district's portal shows."""

    #: Where a key is redeemed online. ``{key}`` is replaced by the key; empty means the QR code
    #: carries the bare key.
    activation_url: str = ""
    url: str = ""
    #: Which student data the portal shows parents (Hardin County turns attendance off).
    shows: tuple[str, ...] = ("grades", "assignments", "attendance", "schedule", "report_cards")
    #: Whether schools may create the account for the parent (Hardin County).
    staff_may_create_accounts: bool = False
    #: Steps printed on key letters and emailed with a key (these defaults are translated in
    #: the emails; a district's own steps are shown as written).
    steps: tuple[str, ...] = (
        N_("Open the parent portal and choose 'I have an activation key'."),
        N_("Type the activation key exactly as printed, or scan the QR code."),
        N_("Choose a username and a password, then set your recovery email."),
    )


PORTAL_SECTIONS = (
    "grades",
    "assignments",
    "attendance",
    "schedule",
    "report_cards",
    "transcript",
    "messages",
    "immunizations",
    "registration",
)


@dataclass(frozen=True)
class PasswordPolicy:
    """``[passwords]``: the district's rules for parent passwords (staff keep NIST's)."""

    min_length: int = field(default=15, metadata=_bounds(4, 64))
    #: NIST: accept at least 64 characters.
    max_length: int = field(default=64, metadata=_bounds(64, 1024))
    require_letter: bool = False
    require_digit: bool = False
    require_symbol: bool = False
    #: Henderson County: "a combination of letters, numbers, or symbols".
    require_digit_or_symbol: bool = False
    block_common: bool = True
    block_context: bool = True


@dataclass(frozen=True)
class UsernamePolicy:
    """``[usernames]``: what a parent may choose as a username."""

    min_length: int = field(default=3, metadata=_bounds(1, 128))
    max_length: int = field(default=32, metadata=_bounds(1, 128))
    #: "any" allows letters, digits and . _ - @; "alphanumeric" only letters and digits (Clayton).
    allowed: str = field(default="any", metadata=_choices("any", "alphanumeric"))
    forbid_all_numeric: bool = False


@dataclass(frozen=True)
class KeysConfig:
    """``[keys]``: how long an issued activation key stays valid."""

    lifetime_days: int = field(default=30, metadata=_bounds(1, 366))


@dataclass(frozen=True)
class SecurityConfig:
    """``[security]``: lockout, sign-in delays and the lifetimes of one-time secrets."""

    #: Consecutive failed sign-ins before an account is locked.
    lockout_threshold: int = field(default=10, metadata=_bounds(3, 50))
    #: At most ``lockout_threshold``: keeping a name locked must cost an attacker at least one
    #: guess a minute (docs/SECURITY.md, "Sign-in throttling and lockout").
    lockout_minutes: int = field(default=10, metadata=_bounds(1, 50))
    #: Failed attempts allowed before delays start; each further failure doubles the delay.
    delay_after: int = field(default=3, metadata=_bounds(0, 49))
    delay_base_seconds: float = field(default=1.0, metadata=_bounds(0, 300))
    delay_max_seconds: float = field(default=30.0, metadata=_bounds(0, 300))
    temporary_password_hours: int = field(default=72, metadata=_bounds(1, 24 * 14))
    email_code_minutes: int = field(default=15, metadata=_bounds(1, 30))
    email_code_attempts: int = field(default=5, metadata=_bounds(1, 10))
    #: Wrong staff passwords at "Return to front desk" / "Exit kiosk" before the staff member
    #: is signed out (they count as failed sign-ins too).
    recheck_attempts: int = field(default=3, metadata=_bounds(1, 10))
    #: How many sign-ins may skip the recovery email and pictures before they are required.
    setup_skips_allowed: int = field(default=2, metadata=_bounds(0, 10))
    #: A secret used to key hashes of imported SSNs. Read from this file (created by
    #: ``kiosk init``) or from the ``KIOSK_SECRET`` environment variable.
    secret_file: str = "kiosk.secret"
    #: The signed audit checkpoint (count and head of the chain), kept outside the database and
    #: written by ``kiosk audit verify`` and ``kiosk audit checkpoint``.
    audit_checkpoint_file: str = "kiosk.audit-checkpoint"


@dataclass(frozen=True)
class TimeoutsConfig:
    """``[timeouts]``: how long an idle screen waits before going back to Welcome."""

    parent_idle_seconds: int = field(default=120, metadata=_bounds(15, 3600))
    staff_idle_seconds: int = field(default=600, metadata=_bounds(30, 8 * 3600))


@dataclass(frozen=True)
class MailConfig:
    """``[mail]``: how codes and notices leave the kiosk (an outbox folder or SMTP)."""

    #: "outbox" writes .eml files to ``outbox_dir`` (offline kiosks); "smtp" sends them.
    mode: str = field(default="outbox", metadata=_choices("outbox", "smtp"))
    from_address: str = "portal@example.org"
    outbox_dir: str = "outbox"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = field(default=25, metadata=_bounds(1, 65535))
    smtp_starttls: bool = False
    smtp_username: str = ""
    #: Name of the environment variable holding the SMTP password (never the password itself).
    smtp_password_env: str = "KIOSK_SMTP_PASSWORD"
    smtp_timeout_seconds: float = 10.0


@dataclass(frozen=True)
class DatabaseConfig:
    """``[database]``: the SQLite file or PostgreSQL server behind the kiosk."""

    #: A SQLite file path (relative to this file), or ``sqlite:///path`` or
    #: ``postgresql://user@host:port/dbname``. ``$KIOSK_DATABASE_URL`` overrides it.
    url: str = "kiosk.db"
    busy_timeout_ms: int = 10000


@dataclass(frozen=True)
class RosterConfig:
    """``[roster]``: bounds on a OneRoster import (the other bounds are in docs/SECURITY.md)."""

    #: All files of an export together, uncompressed, in MB (a 100,000-student district's
    #: export is about 250 MB).
    max_total_mb: int = field(default=4096, metadata=_bounds(1, 1024 * 1024))


@dataclass(frozen=True)
class UiConfig:
    """``[ui]``: the look (theme, accent colour) and the languages offered on Welcome."""

    theme: str = "front-desk"
    accent: str = "#1f6feb"
    languages: tuple[str, ...] = ("en", "es")


@dataclass(frozen=True)
class WebConfig:
    """``[web]``: the parent web (``kiosk serve``): address, proxies, sessions, limits."""

    #: The public address parents use, e.g. "https://portal.example.org". https turns on
    #: Secure cookies and HSTS; it also makes the default activation link.
    base_url: str = ""
    #: Addresses (or CIDR networks) of reverse proxies whose X-Forwarded-For/-Proto are believed.
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    #: A signed-in session ends after this long without a request...
    session_idle_minutes: int = field(default=30, metadata=_bounds(5, 24 * 60))
    #: ...and at the latest this long after sign-in, however busy.
    session_absolute_hours: int = field(default=12, metadata=_bounds(1, 24 * 30))
    #: Henry County: a parent may ask for a key online (sent only to the email on record).
    request_key: bool = False
    #: What /request-key asks for when a student has no SSN on file: "" (nothing: no match;
    #: the parent comes to school), or one fact of the guardian on record, from Henry County's
    #: guardianship questions: "guardian_birth_date", "home_phone" or "mailing_address".
    request_key_alternative: str = field(
        default="",
        metadata=_choices("", "guardian_birth_date", "home_phone", "mailing_address"),
    )
    #: Largest request body accepted, in bytes (forms are small; nothing is uploaded).
    max_request_bytes: int = field(default=65536, metadata=_bounds(1024, 1024 * 1024))
    #: Requests per minute one client address may make to the forms that check a secret or
    #: send email (sign-in, activate, forgot password/username, request key).
    client_requests_per_minute: int = field(default=30, metadata=_bounds(1, 10000))


@dataclass(frozen=True)
class KioskConfig:
    """``[kiosk]``: this terminal's own settings."""

    #: Identifies this terminal in portal requests and audit events.
    id: str = "front-desk-1"
    #: Where the admin console writes CSV exports (owner-only files), relative to this file.
    export_dir: str = "exports"


@dataclass(frozen=True)
class FederationConfig:
    """``[federation]``: Front Desk as the parents' SAML and OpenID Connect identity provider."""

    #: The public https address parents reach; empty means ``[web] base_url``.
    base_url: str = ""
    #: SAML entity ID; empty means ``{base_url}/saml/metadata``.
    entity_id: str = ""
    #: OpenID Connect issuer; empty means ``base_url``.
    issuer: str = ""
    #: The signing key and certificate (owner-only files made by ``kiosk init``), and the
    #: previous certificate, still published after ``kiosk federation rotate``.
    key_file: str = "federation.key"
    cert_file: str = "federation.crt"
    old_cert_file: str = "federation-old.crt"
    #: How long a SAML assertion is valid (NotOnOrAfter), in seconds.
    assertion_seconds: int = field(default=300, metadata=_bounds(30, 600))
    #: How long an OIDC authorization code may wait to be redeemed, in seconds.
    code_seconds: int = field(default=60, metadata=_bounds(10, 600))
    #: Lifetime of OIDC ID tokens and access tokens (for UserInfo), in seconds.
    token_seconds: int = field(default=600, metadata=_bounds(60, 3600))
    #: What the guardian-id profile sends as ``authenticationId``: the roster's guardian
    #: ``sourced_id`` (PowerSchool's PSGUID when the roster comes from PowerSchool) or ``email``.
    guardian_id_column: str = field(default="sourced_id", metadata=_choices("sourced_id", "email"))
    #: The largest SP metadata document or discovery document ``kiosk sps add/test`` reads.
    metadata_max_bytes: int = field(default=1_000_000, metadata=_bounds(10_000, 20_000_000))
