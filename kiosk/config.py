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
from kiosk.config_sections import (
    PORTAL_SECTIONS,
    DatabaseConfig,
    DistrictConfig,
    FederationConfig,
    KeysConfig,
    KioskConfig,
    MailConfig,
    PasswordPolicy,
    PortalConfig,
    RosterConfig,
    School,
    SecurityConfig,
    SupportConfig,
    TimeoutsConfig,
    UiConfig,
    UsernamePolicy,
    WebConfig,
)
from kiosk.errors import ConfigError

# The sections below are frozen: nothing may change a setting after it was checked.

CONFIG_ENV = "KIOSK_CONFIG"
DEFAULT_CONFIG_NAME = "kiosk.toml"

#: The sections are defined in ``kiosk.config_sections`` and part of this module's API.
__all__ = [
    "CONFIG_ENV",
    "PORTAL_SECTIONS",
    "Config",
    "DatabaseConfig",
    "DistrictConfig",
    "FederationConfig",
    "KeysConfig",
    "KioskConfig",
    "MailConfig",
    "PasswordPolicy",
    "PortalConfig",
    "RosterConfig",
    "School",
    "SecurityConfig",
    "SupportConfig",
    "TimeoutsConfig",
    "UiConfig",
    "UsernamePolicy",
    "WebConfig",
    "config_from_dict",
    "find_config_path",
    "load_config",
]


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
