"""Running the web under uvicorn: the server, the app factory each worker calls, log redaction."""

from __future__ import annotations

import logging
import socket
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


def run(app: str, *, factory: bool, host: str, port: int, workers: int) -> None:
    """Serve ``app`` (an import string) as ``kiosk serve`` does; the benchmark serves its bare
    baseline app through here too, so the two differ only in the application."""
    import uvicorn

    config = uvicorn.Config(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,  # the app believes forwarded headers from trusted_proxies only
        server_header=False,
        log_level="info",
    )
    try:
        if workers == 1:
            server = uvicorn.Server(config)
            server.run()
            if not server.started:  # e.g. the port is taken: uvicorn logged why
                raise SystemExit(3)
            return
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[listening_socket(config)]).run()
    except KeyboardInterrupt:
        pass


def listening_socket(config: object) -> socket.socket:
    """The socket several workers share, with Nagle's algorithm off for every connection.

    uvicorn binds it without naming TCP as its protocol, so asyncio does not turn Nagle off on
    the connections accepted from it; a response written in two parts (head, body) then waited
    for the client's delayed ACK: about 40 ms on every page with two workers, 2 ms with this.
    Linux gives accepted connections the listening socket's TCP_NODELAY.
    """
    sock = config.bind_socket()  # type: ignore[attr-defined]
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


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
