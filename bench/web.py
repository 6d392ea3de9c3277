"""The parent web under load: ``kiosk serve`` in its own process, driven over 127.0.0.1.

* Pages that do not hash: 100 concurrent clients (httpx, asyncio) each loading the signed-in
  students page, account settings and the front page in turn. The baseline is a bare Starlette
  app served by uvicorn exactly as ``kiosk serve`` serves (``kiosk.web.server.run``: the
  same workers, access log, protocol and socket) under the same load in the same run, in rounds
  that alternate between the two servers so that both meet the same machine load.
* Sign-ins per second against the machine's argon2 limit, with as many ``kiosk serve`` workers
  as cores. The limit is measured twice in the same run: as the issue defines it (cores / one
  argon2 verify with the production parameters), and directly, as ``cores`` threads verifying
  in parallel, just before and just after the sign-ins (so it meets the same machine load).
* The event loop while sign-ins hash: a light page is loaded every 20 ms during the sign-in
  load; if hashing ran on the loop, its worst wait would be whole argon2 verifies.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.workspace import Workspace

CLIENTS = 100
#: The page loads are measured in this many rounds, alternating bare and kiosk servers.
ROUNDS = 4
#: Mean pause between one client's page loads, in seconds.
THINK_S = 1.0
BARE_APP = """
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

async def page(request):
    return HTMLResponse("<!doctype html><title>bare</title><p>bare page</p>")

app = Starlette(routes=[Route("/", page), Route("/healthz", page)])
"""


@dataclass(frozen=True)
class WebResult:
    requests: int
    bare_p95_ms: float
    pages_p50_ms: float
    pages_p95_ms: float
    pages_ratio: float
    verify_ms: float
    cores: int
    argon2_limit_per_s: float
    argon2_parallel_per_s: float
    signins_per_s: float
    signin_ratio: float
    signin_ratio_parallel: float
    load_average: str  # during the sign-ins
    pages_load_average: str
    probe_idle_p95_ms: float
    probe_busy_p95_ms: float
    probe_busy_max_ms: float


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(args: list[str], cwd: Path, env: dict[str, str], workers: int = 1) -> subprocess.Popen:
    """Start a server and wait until each of its ``workers`` has started its application."""
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    started = 0
    for line in process.stdout:  # type: ignore[union-attr]
        started += "Application startup complete" in line
        if started == workers:
            break
    else:
        raise RuntimeError("the server did not start")
    # Keep reading so a full pipe never blocks the server (access logs).
    import threading

    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # type: ignore[union-attr]
    return process


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _load(
    base: str, paths: list[str], per_client: int, cookies: dict[str, str]
) -> list[float]:
    import httpx

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    times: list[float] = []
    async with httpx.AsyncClient(
        base_url=base, limits=limits, cookies=cookies, timeout=60
    ) as client:

        async def one_client(offset: int) -> None:
            pace = random.Random(offset)
            await asyncio.sleep(pace.uniform(0, THINK_S))  # clients arrive spread out
            for n in range(per_client):
                if n:
                    await asyncio.sleep(pace.uniform(0.5 * THINK_S, 1.5 * THINK_S))
                path = paths[(offset + n) % len(paths)]
                started = time.perf_counter()
                response = await client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code}")

        await asyncio.gather(*(one_client(i) for i in range(CLIENTS)))
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _sign_in_cookies(base: str) -> dict[str, str]:
    import httpx

    with httpx.Client(base_url=base, follow_redirects=False) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/sign-in").text).group(1)
        from kiosk.demo import PARENT_PASSWORD

        client.post(
            "/sign-in", data={"csrf": token, "username": "alopez", "password": PARENT_PASSWORD}
        )
        return dict(client.cookies)


#: Concurrent sign-ins per core: enough to keep the cores hashing between one sign-in's
#: database writes and the next's.
SIGNERS_PER_CORE = 2
#: The benchmark parents' password (each has an account of their own, as real parents do).
BENCH_PASSWORD = "a long benchmark passphrase 42"


def _parents(web: Workspace, count: int) -> list[str]:
    """``count`` roster guardians with accounts of their own (usernames), made as a parent
    would: a key issued by staff and redeemed. Sign-ins of one account at the same time are
    counted as guesses by the throttle (each attempt counts until its verify clears it), so a
    load of many sign-ins must, like real parents, use many accounts."""
    from bench.concurrency import eligible_guardians
    from kiosk.auth import SYSTEM
    from kiosk.services.activation import issue_key, redeem_key

    ctx = web.context()
    try:
        names = []
        for n, guardian in enumerate(eligible_guardians(web, count)):
            issued = issue_key(ctx, SYSTEM, guardian)
            redeem_key(ctx, issued.key, f"benchparent{n}", BENCH_PASSWORD, BENCH_PASSWORD)
            names.append(f"benchparent{n}")
    finally:
        ctx.close()
    if len(names) < count:
        raise RuntimeError(f"only {len(names)} guardians could get an account, {count} needed")
    return names


async def _sign_ins(
    base: str, usernames: list[str], each: int, probe_every: float | None
) -> tuple[float, list[float]]:
    """Sign-ins per second, one signer per username signing in ``each`` times one after the
    other; and, with ``probe_every``, a light page's waits meanwhile (the probe's own requests
    take CPU from the sign-ins, so the rate is measured in a run without it)."""
    import httpx

    done = asyncio.Event()
    waits: list[float] = []

    async def probe() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            while not done.is_set():
                started = time.perf_counter()
                await client.get("/healthz")
                waits.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(probe_every)

    async def signer(username: str) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120, follow_redirects=False) as client:
            for _ in range(each):
                page = await client.get("/sign-in?reauth=1")
                token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
                response = await client.post(
                    "/sign-in?reauth=1",
                    data={"csrf": token, "username": username, "password": BENCH_PASSWORD},
                )
                if response.status_code != 303:
                    raise RuntimeError(f"sign-in answered {response.status_code}")

    prober = asyncio.create_task(probe() if probe_every else done.wait())
    started = time.perf_counter()
    await asyncio.gather(*(signer(name) for name in usernames))
    elapsed = time.perf_counter() - started
    done.set()
    await prober
    return len(usernames) * each / elapsed, waits


async def _probe_alone(base: str, seconds: float) -> list[float]:
    """The light page's waits with nothing else running (the probe's own baseline)."""
    import httpx

    waits: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            started = time.perf_counter()
            await client.get("/healthz")
            waits.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.02)
    return waits


def _verify_ms() -> float:
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    stored = hasher.hash("correct horse battery staple")
    times = []
    for _ in range(7):
        started = time.perf_counter()
        hasher.verify(stored, "correct horse battery staple")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _argon2_parallel(threads: int, total: int) -> float:
    """Verifies per second with ``threads`` verifying at once (argon2-cffi releases the GIL):
    the machine's argon2 limit as it stands, other load included."""
    from concurrent.futures import ThreadPoolExecutor

    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    secret = "correct horse battery staple"
    stored = hasher.hash(secret)
    with ThreadPoolExecutor(threads) as pool:
        started = time.perf_counter()
        for _ in pool.map(lambda _: hasher.verify(stored, secret), range(total)):
            pass
        return total / (time.perf_counter() - started)


def _load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def _prepare(ws: Workspace, scratch: Path) -> Workspace:
    from bench.web_load import enable_web

    web = ws.copy_to(scratch / "web")
    enable_web(web)
    return web


def measure(ws: Workspace, scratch: Path, per_client: int = 20, sign_ins: int = 48) -> WebResult:
    web = _prepare(ws, scratch)
    try:
        return _measure(web, scratch, per_client, sign_ins)
    finally:
        web.discard()


def _measure(web: Workspace, scratch: Path, per_client: int, sign_ins: int) -> WebResult:
    env = {**web.env(), "KIOSK_CONFIG": str(web.config_path)}
    env.pop("KIOSK_DATABASE_URL", None)
    cores = os.cpu_count() or 1
    parents = _parents(web, cores * SIGNERS_PER_CORE)
    (scratch / "bare_app.py").write_text(BARE_APP)
    port = _port()
    launch = (
        "from kiosk.web.server import run; "
        f"run('bare_app:app', factory=False, host='127.0.0.1', port={port}, workers={cores})"
    )
    bare = _serve([sys.executable, "-c", launch], scratch, env, cores)
    bare_base = f"http://127.0.0.1:{port}"
    port = _port()
    try:
        server = _serve(
            [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--workers", str(cores)],
            web.folder,
            env,
            cores,
        )
    except BaseException:
        _stop(bare)
        raise
    base = f"http://127.0.0.1:{port}"
    try:
        cookies = _sign_in_cookies(base)
        # Rounds alternate between the two servers, so both meet the same machine load.
        bare_times: list[float] = []
        times: list[float] = []
        rounds = min(ROUNDS, per_client)
        for _ in range(rounds):
            bare_times += asyncio.run(_load(bare_base, ["/"], per_client // rounds, {}))
            times += asyncio.run(
                _load(base, ["/students", "/account", "/"], per_client // rounds, cookies)
            )
        _stop(bare)
        pages_loads = _load_average()
        idle = asyncio.run(_probe_alone(base, 1.0))
        verify = _verify_ms()
        before = _argon2_parallel(cores, sign_ins // 2)
        loads = _load_average()
        each = max(1, sign_ins // len(parents))
        rate, _ = asyncio.run(_sign_ins(base, parents, each, None))
        parallel = (before + _argon2_parallel(cores, sign_ins // 2)) / 2
        _, waits = asyncio.run(_sign_ins(base, parents, each, 0.02))
    finally:
        _stop(server)
        _stop(bare)
    limit = cores * 1000 / verify
    return WebResult(
        requests=len(times),
        bare_p95_ms=_p95(bare_times),
        pages_p50_ms=statistics.median(times),
        pages_p95_ms=_p95(times),
        pages_ratio=_p95(times) / _p95(bare_times),
        verify_ms=verify,
        cores=cores,
        argon2_limit_per_s=limit,
        argon2_parallel_per_s=parallel,
        signins_per_s=rate,
        signin_ratio=rate / limit,
        signin_ratio_parallel=rate / parallel,
        load_average=loads,
        pages_load_average=pages_loads,
        probe_idle_p95_ms=_p95(idle),
        probe_busy_p95_ms=_p95(waits) if len(waits) >= 2 else max(waits, default=0.0),
        probe_busy_max_ms=max(waits, default=0.0),
    )


KEYS = ("web_pages", "web_signins", "web_loop")


def web_rows(suite) -> None:  # type: ignore[no-untyped-def]
    """Measure on a copy of the suite's district and add the three rows."""
    quick = suite.sizes.students <= 200
    r = measure(suite.ws, suite.scratch, 2 if quick else 20, 8 if quick else 48)
    suite.keep("web", r)
    suite.rows.update(rows(r))


def rows(r: WebResult) -> dict[str, object]:
    """The three rows of the results table (``bench.report.Row``)."""
    from bench.report import Row

    return {
        "web_pages": Row(
            "web_pages",
            f"parent web pages that do not hash, {CLIENTS} concurrent clients ({r.requests} loads, "
            f"load average {r.pages_load_average})",
            f"bare Starlette page, served as kiosk serve serves, same load: "
            f"p95 {r.bare_p95_ms:.1f} ms",
            f"p50 {r.pages_p50_ms:.1f} ms, p95 {r.pages_p95_ms:.1f} ms",
            f"p95 {r.pages_p95_ms:.1f} ms, {r.pages_ratio:.2f}x",
            "p95 <= 50 ms",
            r.pages_p95_ms <= 50,
        ),
        "web_signins": Row(
            "web_signins",
            f"web sign-ins per second, {r.cores} workers (load average {r.load_average})",
            f"argon2 limit: {r.cores} cores / one verify ({r.verify_ms:.0f} ms) = "
            f"{r.argon2_limit_per_s:.1f}/s; {r.cores} threads verifying, measured around the "
            f"sign-ins: {r.argon2_parallel_per_s:.1f}/s",
            f"{r.signins_per_s:.1f} sign-ins/s",
            f"{r.signin_ratio_parallel:.2f}x the measured limit, "
            f"{r.signin_ratio:.2f}x cores / one verify",
            ">= 0.8x",
            r.signin_ratio_parallel >= 0.8,
        ),
        "web_loop": Row(
            "web_loop",
            "a light page while sign-ins hash (the event loop is not blocked)",
            f"the same page alone: p95 {r.probe_idle_p95_ms:.1f} ms",
            f"p95 {r.probe_busy_p95_ms:.1f} ms, worst {r.probe_busy_max_ms:.1f} ms",
            f"worst {r.probe_busy_max_ms:.1f} ms vs one verify {r.verify_ms:.0f} ms",
            "worst < one argon2 verify",
            r.probe_busy_max_ms < r.verify_ms,
        ),
    }
