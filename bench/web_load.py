"""Parent-web sign-ins beside the kiosks and the import (the concurrency row).

``kiosk serve`` with two workers on the same database signs a parent in again and again, four
sign-ins in flight, for as long as the import runs. Every answer is timed; every refusal is an
error. Afterwards the audit log must hold one successful sign-in event per sign-in the web
answered with success (no lost writes).
"""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field

from bench.workspace import Workspace

#: Sign-ins in flight at once (two per worker: one hashing while the other's answer is sent).
IN_FLIGHT = 4
ACCOUNT = "alopez"
MIN_ROUNDS = 2  # each in-flight signer signs in at least this often


@dataclass
class WebLoadResult:
    workers: int
    sign_ins: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    audited: int = 0  # successful sign-in events the audit log gained meanwhile
    errors: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.sign_ins - self.audited

    def words(self) -> str:
        return (
            f"{self.workers} web workers: {self.sign_ins} sign-ins p50 {self.p50_ms:.1f} ms, "
            f"p95 {self.p95_ms:.1f} ms, {self.audited} of them in the audit log, "
            f"{len(self.errors)} errors"
        )


def enable_web(work: Workspace) -> None:
    """The parent web on ``work``: a base URL, no per-address limit in the way of one load
    generator, and the district secret its sessions need."""
    from kiosk.cli.start import create_secret_key

    with work.config_path.open("a") as handle:
        handle.write('\n[web]\nbase_url = "http://127.0.0.1"\nclient_requests_per_minute = 10000\n')
    create_secret_key(work.config())


def _signed_in_events(work: Workspace) -> int:
    con = work.raw()
    sql = (
        "SELECT COUNT(*) FROM audit_event WHERE action = 'signin' AND outcome = 'ok' "  # noqa: S608
        f"AND actor = {work.param}"
    )
    row = con.execute(sql, (f"parent:{ACCOUNT}",)).fetchone()
    con.close()
    return int(row[0])


async def _sign_ins(
    base: str, stop: threading.Event, times: list[float], errors: list[str]
) -> None:
    import httpx

    from kiosk.demo import PARENT_PASSWORD

    async def signer() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=300, follow_redirects=False) as client:
            token = re.search(r'name="csrf" value="([^"]+)"', (await client.get("/sign-in")).text)
            rounds = 0
            while rounds < MIN_ROUNDS or not stop.is_set():  # however short the import
                rounds += 1
                started = time.perf_counter()
                response = await client.post(
                    "/sign-in?reauth=1",
                    data={"csrf": token.group(1) if token else "", "username": ACCOUNT,
                          "password": PARENT_PASSWORD},
                )  # fmt: skip
                if response.status_code != 303:
                    errors.append(f"web sign-in answered {response.status_code}")
                    return
                times.append((time.perf_counter() - started) * 1000)
                page = await client.get("/account")
                token = re.search(r'name="csrf" value="([^"]+)"', page.text)

    await asyncio.gather(*(signer() for _ in range(IN_FLIGHT)))


class WebLoad:
    """Start with ``start()`` before the import, end with ``stop()`` after it."""

    def __init__(self, work: Workspace, workers: int = 2) -> None:
        self.work = work
        self.result = WebLoadResult(workers)
        self._stop = threading.Event()
        self._times: list[float] = []
        self._thread: threading.Thread | None = None
        self._server = None
        self._before = 0

    def start(self) -> None:
        from bench.web import _port, _serve

        enable_web(self.work)
        self._before = _signed_in_events(self.work)
        env = {**self.work.env(), "KIOSK_CONFIG": str(self.work.config_path)}
        env.pop("KIOSK_DATABASE_URL", None)
        port = _port()
        command = [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--workers",
                   str(self.result.workers)]  # fmt: skip
        self._server = _serve(command, self.work.folder, env)
        base = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(
            target=lambda: asyncio.run(
                _sign_ins(base, self._stop, self._times, self.result.errors)
            ),
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> WebLoadResult:
        from bench.web import _stop

        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=600)
        if self._server is not None:
            _stop(self._server)
        r, times = self.result, self._times
        r.sign_ins = len(times)
        if times:
            r.p50_ms = statistics.median(times)
            r.p95_ms = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
        r.audited = _signed_in_events(self.work) - self._before
        return r
