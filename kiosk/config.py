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

from kiosk.errors import ConfigError

# The sections below are frozen (nothing may change a setting after it was checked) but carry
# no value equality (``eq=False``): nothing compares two configurations, and generating
# ``__eq__`` and ``__hash__`` for every section is a millisecond of every kiosk start.

CONFIG_ENV = "KIOSK_CONFIG"
DEFAULT_CONFIG_NAME = "kiosk.toml"


@dataclass(frozen=True, eq=False)
class School:
    """A school of the district as ``[[schools]]`` names it; the roster can adopt it by code."""

    code: str
    name: str
    sourced_id: str = ""


@dataclass(frozen=True, eq=False)
class DistrictConfig:
    """``[district]``: the name parents see on every screen and letter."""

    name: str = "Front Desk Demo District"
    #: The code or ID parents type into the mobile app (Henderson: "Henderson", Clayton: "JPRQQH").
    mobile_app_code: str = ""
    state: str = ""


@dataclass(frozen=True, eq=False)
class SupportConfig:
    """``[support]``: who a parent contacts when the kiosk cannot help, and how fast."""

    email: str = ""
    phone: str = ""
    #: Free text shown to parents, e.g. "within 24 hours; allow up to two school days".
    response_time: str = ""


@dataclass(frozen=True, eq=False)
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


@dataclass(frozen=True, eq=False)
class PasswordPolicy:
    """``[passwords]``: the district's rules for parent passwords (staff keep NIST's)."""

    min_length: int = 15
    max_length: int = 64
    require_letter: bool = False
    require_digit: bool = False
    require_symbol: bool = False
    #: Henderson County: "a combination of letters, numbers, or symbols".
    require_digit_or_symbol: bool = False
    block_common: bool = True
    block_context: bool = True


@dataclass(frozen=True, eq=False)
class UsernamePolicy:
    """``[usernames]``: what a parent may choose as a username."""

    min_length: int = 3
    max_length: int = 32
    #: "any" allows letters, digits and . _ - @; "alphanumeric" only letters and digits (Clayton).
    allowed: str = "any"
    forbid_all_numeric: bool = False


@dataclass(frozen=True, eq=False)
class KeysConfig:
    """``[keys]``: how long an issued activation key stays valid."""

    lifetime_days: int = 30


@dataclass(frozen=True, eq=False)
class SecurityConfig:
    """``[security]``: lockout, sign-in delays and the lifetimes of one-time secrets."""

    #: Consecutive failed sign-ins before an account is locked.
    lockout_threshold: int = 10
    lockout_minutes: int = 30
    #: Failed attempts allowed before delays start; each further failure doubles the delay.
    delay_after: int = 3
    delay_base_seconds: float = 1.0
    delay_max_seconds: float = 30.0
    temporary_password_hours: int = 72
    email_code_minutes: int = 15
    email_code_attempts: int = 5
    #: How many sign-ins may skip the recovery email and pictures before they are required.
    setup_skips_allowed: int = 2
    #: A secret used to key hashes of imported SSNs. Read from this file (created by
    #: ``kiosk init``) or from the ``KIOSK_SECRET`` environment variable.
    secret_file: str = "kiosk.secret"
    #: The signed audit checkpoint (count and head of the chain), kept outside the database and
    #: written by ``kiosk audit verify`` and ``kiosk audit checkpoint``.
    audit_checkpoint_file: str = "kiosk.audit-checkpoint"


@dataclass(frozen=True, eq=False)
class TimeoutsConfig:
    """``[timeouts]``: how long an idle screen waits before going back to Welcome."""

    parent_idle_seconds: int = 120
    staff_idle_seconds: int = 600


@dataclass(frozen=True, eq=False)
class MailConfig:
    """``[mail]``: how codes and notices leave the kiosk (an outbox folder or SMTP)."""

    #: "outbox" writes .eml files to ``outbox_dir`` (offline kiosks); "smtp" sends them.
    mode: str = "outbox"
    from_address: str = "portal@example.org"
    outbox_dir: str = "outbox"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str = ""
    #: Name of the environment variable holding the SMTP password (never the password itself).
    smtp_password_env: str = "KIOSK_SMTP_PASSWORD"
    smtp_timeout_seconds: float = 10.0


@dataclass(frozen=True, eq=False)
class DatabaseConfig:
    """``[database]``: the SQLite file or PostgreSQL server behind the kiosk."""

    #: A SQLite file path (relative to this file), or ``sqlite:///path`` or
    #: ``postgresql://user@host:port/dbname``. ``$KIOSK_DATABASE_URL`` overrides it.
    url: str = "kiosk.db"
    busy_timeout_ms: int = 10000


@dataclass(frozen=True, eq=False)
class RosterConfig:
    """``[roster]``: bounds on a OneRoster import (the other bounds are in docs/SECURITY.md)."""

    #: All files of an export together, uncompressed, in MB (a 100,000-student district's
    #: export is about 250 MB).
    max_total_mb: int = 4096


@dataclass(frozen=True, eq=False)
class UiConfig:
    """``[ui]``: the look (theme, accent colour) and the languages offered on Welcome."""

    theme: str = "front-desk"
    accent: str = "#1f6feb"
    languages: tuple[str, ...] = ("en", "es")


@dataclass(frozen=True, eq=False)
class KioskConfig:
    """``[kiosk]``: this terminal's own settings."""

    #: Identifies this terminal in portal requests and audit events.
    id: str = "front-desk-1"


@dataclass(frozen=True, eq=False)
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
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    #: The file this was read from (None for built-in defaults); relative paths resolve from here.
    source: Path | None = None

    @property
    def base_dir(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.base_dir / p

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
        raise ConfigError(
            f"{path}: configuration file not found. Create it (see kiosk.toml in the project) "
            f"or point --config / ${CONFIG_ENV} at an existing file."
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc.strerror}).") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the file is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}. Fix the syntax and try again.") from None
    return config_from_dict(data, path)


def config_from_dict(data: dict[str, typing.Any], path: Path | None = None) -> Config:
    label = str(path) if path else "configuration"
    values: dict[str, typing.Any] = {}
    hints = typing.get_type_hints(Config)
    for key, value in data.items():
        if key == "source" or key not in hints:
            allowed = ", ".join(f.name for f in dataclasses.fields(Config) if f.name != "source")
            raise ConfigError(f"{label}: unknown key '{key}'. Allowed top-level keys: {allowed}.")
        if key == "schools":
            values[key] = _schools(value, label)
        else:
            values[key] = _section(hints[key], value, f"{label}: [{key}]", key)
    config = Config(**values, source=path.resolve() if path else None)
    _check_values(config, label)
    return config


def _schools(value: typing.Any, label: str) -> tuple[School, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{label}: 'schools' must be a list of [[schools]] tables.")
    schools = []
    for index, item in enumerate(value, start=1):
        school = _section(School, item, f"{label}: [[schools]] #{index}", f"schools[{index}]")
        if not school.code or not school.name:
            raise ConfigError(f"{label}: [[schools]] #{index} needs both 'code' and 'name'.")
        schools.append(school)
    codes = [s.code for s in schools]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"{label}: school codes must be unique; found {codes}.")
    return tuple(schools)


def _section(cls: type, value: typing.Any, where: str, dotted: str) -> typing.Any:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table (key = value lines under [{dotted}]).")
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, item in value.items():
        if key not in hints:
            allowed = ", ".join(f.name for f in dataclasses.fields(cls))
            raise ConfigError(f"{where}: unknown key '{key}'. Allowed keys: {allowed}.")
        kwargs[key] = _coerce(hints[key], item, f"{where}: '{key}'")
    return cls(**kwargs)


def _coerce(hint: typing.Any, value: typing.Any, where: str) -> typing.Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{where} must be a list of strings, e.g. ["a", "b"].')
        return tuple(value)
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}.")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be a whole number, not {value!r}.")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} must be a number, not {value!r}.")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string in quotes, not {value!r}.")
        return value
    raise ConfigError(f"{where}: unsupported setting type.")  # pragma: no cover


def _need(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message)


def _check_values(c: Config, label: str) -> None:
    p = c.passwords
    _need(4 <= p.min_length <= 64, f"{label}: [passwords] 'min_length' must be from 4 to 64.")
    _need(
        p.max_length >= 64 and p.max_length <= 1024,
        f"{label}: [passwords] 'max_length' must be from 64 to 1024 (NIST: accept at least 64).",
    )
    u = c.usernames
    _need(
        u.allowed in ("any", "alphanumeric"),
        f'{label}: [usernames] \'allowed\' must be "any" or "alphanumeric", not {u.allowed!r}.',
    )
    _need(
        1 <= u.min_length <= u.max_length <= 128,
        f"{label}: [usernames] need 1 <= min_length <= max_length <= 128.",
    )
    _need(
        1 <= c.keys.lifetime_days <= 366, f"{label}: [keys] 'lifetime_days' must be from 1 to 366."
    )
    _need(
        1 <= c.roster.max_total_mb <= 1024 * 1024,
        f"{label}: [roster] 'max_total_mb' must be from 1 to 1048576.",
    )
    s = c.security
    _need(
        3 <= s.lockout_threshold <= 50,
        f"{label}: [security] 'lockout_threshold' must be from 3 to 50.",
    )
    _need(
        1 <= s.lockout_minutes <= 24 * 60,
        f"{label}: [security] 'lockout_minutes' must be from 1 to 1440.",
    )
    _need(
        0 <= s.delay_after < s.lockout_threshold,
        f"{label}: [security] 'delay_after' must be at least 0 and below 'lockout_threshold'.",
    )
    _need(
        0 <= s.delay_base_seconds <= s.delay_max_seconds <= 300,
        f"{label}: [security] need 0 <= delay_base_seconds <= delay_max_seconds <= 300.",
    )
    _need(
        1 <= s.email_code_minutes <= 30,
        f"{label}: [security] 'email_code_minutes' must be from 1 to 30.",
    )
    _need(
        1 <= s.email_code_attempts <= 10,
        f"{label}: [security] 'email_code_attempts' must be from 1 to 10.",
    )
    _need(
        1 <= s.temporary_password_hours <= 24 * 14,
        f"{label}: [security] 'temporary_password_hours' must be from 1 to 336.",
    )
    _need(
        0 <= s.setup_skips_allowed <= 10,
        f"{label}: [security] 'setup_skips_allowed' must be from 0 to 10.",
    )
    t = c.timeouts
    _need(
        15 <= t.parent_idle_seconds <= 3600,
        f"{label}: [timeouts] 'parent_idle_seconds' must be from 15 to 3600.",
    )
    _need(
        30 <= t.staff_idle_seconds <= 8 * 3600,
        f"{label}: [timeouts] 'staff_idle_seconds' must be from 30 to 28800.",
    )
    m = c.mail
    _need(
        m.mode in ("outbox", "smtp"),
        f'{label}: [mail] \'mode\' must be "outbox" or "smtp", not {m.mode!r}.',
    )
    _need(1 <= m.smtp_port <= 65535, f"{label}: [mail] 'smtp_port' must be from 1 to 65535.")
    _need("@" in m.from_address, f"{label}: [mail] 'from_address' must be an email address.")
    unknown = [s for s in c.portal.shows if s not in PORTAL_SECTIONS]
    _need(
        not unknown,
        f"{label}: [portal] 'shows' has unknown sections {unknown}; "
        f"choose from {', '.join(PORTAL_SECTIONS)}.",
    )
    url = c.portal.activation_url
    _need(
        not url or url.startswith(("https://", "http://")),
        f"{label}: [portal] 'activation_url' must start with https:// (or be empty).",
    )
    db = c.database.url
    _need(bool(db), f"{label}: [database] 'url' must not be empty.")
    _need(
        "://" not in db or db.startswith(("sqlite://", "postgresql://", "postgres://")),
        f"{label}: [database] 'url' must be a file path, sqlite:///path or postgresql://...",
    )
    langs = [lang for lang in c.ui.languages if lang not in ("en", "es")]
    _need(
        not langs and c.ui.languages,
        f'{label}: [ui] \'languages\' must list one or both of "en", "es".',
    )
    _need(
        c.ui.accent.startswith("#") and len(c.ui.accent) in (4, 7),
        f"{label}: [ui] 'accent' must be a colour like \"#1f6feb\".",
    )
    _need(bool(c.kiosk.id.strip()), f"{label}: [kiosk] 'id' must not be empty.")
