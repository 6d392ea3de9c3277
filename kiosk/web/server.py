"""Running the web under uvicorn: the app factory each worker calls, and log redaction."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from starlette.applications import Starlette

#: Where ``kiosk serve`` tells its workers which kiosk.toml to read.
CONFIG_ENV = "KIOSK_CONFIG"


class RedactQuery(logging.Filter):
    """Access-log lines keep the path and drop the query string: a key pasted into a query,
    an ID-token hint or any other secret a client put there never reaches the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            parts = urlsplit(args[2])
            if parts.query:
                record.args = (*args[:2], parts.path + "?[query removed]", *args[3:])
        return True


def uvicorn_options(host: str, port: int, workers: int) -> dict[str, object]:
    """How ``kiosk serve`` runs uvicorn (the benchmark serves its bare baseline app the same
    way, so the two differ only in the application)."""
    return {
        "host": host,
        "port": port,
        "workers": workers,
        "proxy_headers": False,  # the app believes forwarded headers from trusted_proxies only
        "server_header": False,
        "log_level": "info",
    }


def quiet_secrets() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuery) for f in access.filters):
        access.addFilter(RedactQuery())


def app_from_environment() -> Starlette:
    """The app for one worker process: its own Context (database connection, mailer)."""
    from kiosk.config import load_config
    from kiosk.context import make_context
    from kiosk.services.web_sessions import purge_expired
    from kiosk.web.app import create_app

    quiet_secrets()
    ctx = make_context(load_config())
    purge_expired(ctx)
    return create_app(ctx)
