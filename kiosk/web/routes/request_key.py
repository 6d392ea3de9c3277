"""/request-key (Henry County; ``[web] request_key``): a key by email, never on the page.

The page answers at once and the same way whatever was typed; the look-up, the key and the
email happen after the answer (a background task), so neither the words nor the timing tell
whether anything matched. Limited per client address here and per student in the service.
"""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kiosk.services import key_requests
from kiosk.web.forms import checked_form, form_post, text
from kiosk.web.limits import limited
from kiosk.web.templating import render


def _enabled(request: Request) -> None:
    if not request.app.state.ctx.config.web.request_key:
        raise HTTPException(status_code=404)


def _values(request: Request) -> dict:
    return {"alternative": request.app.state.ctx.config.web.request_key_alternative}


async def request_key_page(request: Request) -> Response:
    _enabled(request)
    return render(request, "request_key.html", _values(request))


async def request_key(request: Request) -> Response:
    _enabled(request)
    form = await checked_form(request)
    refused = await limited(request, "request-key")
    if refused is not None:
        return refused
    task = BackgroundTask(
        key_requests.request_key,
        request.app.state.ctx,
        text(form, "student_number", 64),
        text(form, "birth_date", 32),
        text(form, "ssn", 32),
        text(form, "alternative", 32),
    )
    response = render(request, "request_key.html", {**_values(request), "sent": True})
    response.background = task
    return response


routes: list[BaseRoute] = [
    Route("/request-key", request_key_page, methods=["GET"]),
    form_post("/request-key", request_key),
]
