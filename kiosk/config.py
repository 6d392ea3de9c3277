"""The district's configuration: ``kiosk.toml`` read once into typed, validated objects.

Every rule a district does differently (password rules, username rules, what the portal shows,
key lifetime, support contact, mail, database) lives here, so the services never hard-code one
district. Unknown keys, wrong types and bad values are refused with the file, the key and what is
allowed, because a typo in a security setting must not silently fall back to a default.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.clock import known_time_zone
from kiosk.errors import ConfigError

# The sections below are frozen: nothing may change a setting after it was checked.

CONFIG_ENV = "KIOSK_CONFIG"
DEFAULT_CONFIG_NAME = "kiosk.toml"


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
    #: Steps printed on key letters and shown after issuing a key.
    steps: tuple[str, ...] = (
        "Open the parent portal and choose 'I have an activation key'.",
        "Type the activation key exactly as printed, or scan the QR code.",
        "Choose a username and a password, then set your recovery email.",
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
    #: What /request-key asks for when a student has no SSN on file: "" (nothing: no match)
    #: or "guardian_birth_date" (the guardian's birth date on record).
    request_key_alternative: str = field(default="", metadata=_choices("", "guardian_birth_date"))
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


@dataclass(frozen=True)
class Config:
    """The whole ``kiosk.toml``, one typed section per table; built by ``load_config``."""

    district: DistrictConfig = field(default_factory=DistrictConfig)
    schools: tuple[School, ...] = ()
    support: SupportConfig = field(default_factory=SupportConfig)
    portal: PortalConfig = field(default_factory=PortalConfig)
    passwords: PasswordPolicy = field(default_factory=PasswordPolicy)
    usernames: UsernamePolicy = field(default_factory=UsernamePolicy)
    keys: KeysConfig = field(default_factory=KeysConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    timeouts: TimeoutsConfig = field(default_factory=TimeoutsConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    roster: RosterConfig = field(default_factory=RosterConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    web: WebConfig = field(default_factory=WebConfig)
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    federation: FederationConfig = field(default_factory=FederationConfig)
    #: The file this was read from (None for built-in defaults); relative paths resolve from here.
    source: Path | None = None

    @property
    def base_dir(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    @property
    def activation_url(self) -> str:
        """Where a key is redeemed: ``[portal] activation_url``, else this district's parent web
        (``{base_url}/activate#key={key}``), else "" (the QR code carries the bare key)."""
        if self.portal.activation_url:
            return self.portal.activation_url
        base = self.web.base_url.rstrip("/")
        return f"{base}/activate#key={{key}}" if base else ""

    @property
    def database_url(self) -> str:
        url = os.environ.get("KIOSK_DATABASE_URL") or self.database.url
        if "://" in url or url == ":memory:":
            return url
        return f"sqlite:///{self.resolve(url)}"


# ---------------------------------------------------------------------------------------------
# Loading and validation


def find_config_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """``--config`` beats ``$KIOSK_CONFIG`` beats ``./kiosk.toml``; None means built-in defaults."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = Path.cwd() / DEFAULT_CONFIG_NAME
    return local if local.exists() else None


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    path = find_config_path(explicit)
    if path is None:
        return Config()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("config_missing", path=path, env=CONFIG_ENV) from None
    except OSError as exc:
        raise ConfigError("config_unreadable", path=path, reason=exc.strerror) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("config_not_utf8", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config_toml", path=path, detail=str(exc)) from None
    return config_from_dict(data, path)


def config_from_dict(data: dict[str, typing.Any], path: Path | None = None) -> Config:
    label = str(path) if path else "configuration"
    values: dict[str, typing.Any] = {}
    hints = typing.get_type_hints(Config)
    for key, value in data.items():
        if key == "source" or key not in hints:
            allowed = ", ".join(f.name for f in dataclasses.fields(Config) if f.name != "source")
            raise ConfigError("config_unknown_key", where=label, key=key, allowed=allowed)
        if key == "schools":
            values[key] = _schools(value, label)
        else:
            values[key] = _section(hints[key], value, f"{label}: [{key}]", key)
    config = Config(**values, source=path.resolve() if path else None)
    _check_values(config, label)
    return config


def _schools(value: typing.Any, label: str) -> tuple[School, ...]:
    if not isinstance(value, list):
        raise ConfigError("config_schools_list", where=label)
    schools = []
    for index, item in enumerate(value, start=1):
        school = _section(School, item, f"{label}: [[schools]] #{index}", f"schools[{index}]")
        if not school.code or not school.name:
            raise ConfigError("config_school_fields", where=label, index=index)
        schools.append(school)
    codes = [s.code for s in schools]
    if len(set(codes)) != len(codes):
        raise ConfigError("config_school_codes", where=label, codes=codes)
    return tuple(schools)


def _section(cls: type, value: typing.Any, where: str, dotted: str) -> typing.Any:
    if not isinstance(value, dict):
        raise ConfigError("config_table", where=where, dotted=dotted)
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, item in value.items():
        if key not in hints:
            allowed = ", ".join(f.name for f in dataclasses.fields(cls))
            raise ConfigError("config_unknown_key", where=where, key=key, allowed=allowed)
        kwargs[key] = _coerce(hints[key], item, f"{where}: '{key}'")
    return cls(**kwargs)


def _coerce(hint: typing.Any, value: typing.Any, where: str) -> typing.Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("config_str_list", where=where)
        return tuple(value)
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError("config_bool", where=where, value=repr(value))
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError("config_int", where=where, value=repr(value))
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError("config_float", where=where, value=repr(value))
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError("config_str", where=where, value=repr(value))
        return value
    raise ConfigError("config_type", where=where)  # pragma: no cover


def _check_fields(section: object, where: str) -> None:
    """Every ``range`` and ``choices`` bound declared on a section's fields, in one loop."""
    for spec in dataclasses.fields(section):  # type: ignore[arg-type]
        value = getattr(section, spec.name)
        here = f"{where} '{spec.name}'"
        if "range" in spec.metadata:
            low, high = spec.metadata["range"]
            if not low <= value <= high:
                raise ConfigError("config_range", where=here, low=low, high=high)
        if "choices" in spec.metadata and value not in spec.metadata["choices"]:
            choices = " or ".join(f'"{c}"' for c in spec.metadata["choices"])
            raise ConfigError("config_choice", where=here, choices=choices, value=repr(value))


def _need(ok: bool, where: str, rule: str) -> None:
    if not ok:
        raise ConfigError("config_rule", where=where, rule=rule)


def _check_values(c: Config, label: str) -> None:
    for spec in dataclasses.fields(c):
        section = getattr(c, spec.name)
        if dataclasses.is_dataclass(section):
            _check_fields(section, f"{label}: [{spec.name}]")
    u, s = c.usernames, c.security
    _need(u.min_length <= u.max_length, f"{label}: [usernames]", "need min_length <= max_length.")
    _need(
        s.lockout_minutes <= s.lockout_threshold,
        f"{label}: [security]",
        "'lockout_minutes' must not exceed 'lockout_threshold' (a lock must cost an attacker "
        "at least one guess a minute).",
    )
    _need(
        s.delay_after < s.lockout_threshold,
        f"{label}: [security]",
        "'delay_after' must be below 'lockout_threshold'.",
    )
    _need(
        s.delay_base_seconds <= s.delay_max_seconds,
        f"{label}: [security]",
        "need delay_base_seconds <= delay_max_seconds.",
    )
    _need(
        "@" in c.mail.from_address, f"{label}: [mail]", "'from_address' must be an email address."
    )
    unknown = [s for s in c.portal.shows if s not in PORTAL_SECTIONS]
    _need(
        not unknown,
        f"{label}: [portal]",
        f"'shows' has unknown sections {unknown}; choose from {', '.join(PORTAL_SECTIONS)}.",
    )
    url = c.portal.activation_url
    _need(
        not url or url.startswith(("https://", "http://")),
        f"{label}: [portal]",
        "'activation_url' must start with https:// (or be empty).",
    )
    _need(
        "{key}" not in url.split("#")[0],
        f"{label}: [portal]",
        "'activation_url' must carry the key after '#' (e.g. "
        "https://portal.example.org/activate#key={key}): a key in the query reaches server logs.",
    )
    _check_web(c.web, label)
    db = c.database.url
    _need(bool(db), f"{label}: [database]", "'url' must not be empty.")
    _need(
        "://" not in db or db.startswith(("sqlite://", "postgresql://", "postgres://")),
        f"{label}: [database]",
        "'url' must be a file path, sqlite:///path or postgresql://...",
    )
    langs = [lang for lang in c.ui.languages if lang not in ("en", "es")]
    _need(
        not langs and bool(c.ui.languages),
        f"{label}: [ui]",
        """languages' must list one or both of "en", "es".""",
    )
    _need(
        c.ui.accent.startswith("#") and len(c.ui.accent) in (4, 7),
        f"{label}: [ui]",
        "'accent' must be a colour like \"#1f6feb\".",
    )
    _need(bool(c.kiosk.id.strip()), f"{label}: [kiosk]", "'id' must not be empty.")
    _need(bool(c.kiosk.export_dir.strip()), f"{label}: [kiosk]", "'export_dir' must not be empty.")
    _need(
        known_time_zone(c.district.time_zone),
        f"{label}: [district]",
        '\'time_zone\' must be an IANA time zone name such as "America/Chicago" or "UTC".',
    )

    _check_federation(c.federation, label)


def _check_federation(f: FederationConfig, label: str) -> None:
    """What field bounds cannot say about ``[federation]``: its addresses."""
    for key in ("base_url", "entity_id", "issuer"):
        value = getattr(f, key)
        _need(
            not value or value.startswith(("https://", "http://")),
            f"{label}: [federation]",
            f"'{key}' must start with https:// (or be empty).",
        )


def _check_web(w: WebConfig, label: str) -> None:
    """What field bounds cannot say about ``[web]``."""
    where = f"{label}: [web]"
    _need(
        not w.base_url
        or (w.base_url.startswith(("https://", "http://")) and "#" not in w.base_url),
        where,
        "'base_url' must start with https:// (or http:// for a test machine).",
    )
    _need(
        w.session_absolute_hours * 60 >= w.session_idle_minutes,
        where,
        "'session_absolute_hours' must cover 'session_idle_minutes'.",
    )
    import ipaddress

    for proxy in w.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            _need(
                False,
                where,
                f"'trusted_proxies' has {proxy!r}, which is not an IP address or network "
                '(e.g. "127.0.0.1" or "10.0.0.0/8").',
            )
