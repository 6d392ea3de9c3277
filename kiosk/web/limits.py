"""Per-client-address limits on the forms that check a secret or send email.

Counted by the shared ``services.ratelimit`` (in the database), so every ``kiosk serve`` process
sees the same allowance. The client address is the proxy-corrected one: forwarded headers are
only believed from ``[web] trusted_proxies``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kiosk.services import ratelimit
from kiosk.web.app import call
from kiosk.web.templating import render


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def limited(request: Request, form: str) -> Response | None:
    """None when this client may go on; else the "slow down" page (429, Retry-After)."""
    per_minute = request.app.state.ctx.config.web.client_requests_per_minute
    limit = ratelimit.Limit(f"web:{form}", per_minute, 60)
    decision = await call(request, ratelimit.hit, limit, client_address(request))
    if decision.allowed:
        return None
    response = render(
        request, "slow_down.html", {"retry_after": decision.retry_after}, status_code=429
    )
    response.headers["Retry-After"] = str(decision.retry_after)
    return response
