"""Linked students: who the account sees, why a household child is missing, what the portal
shows, the mobile-app district code, and whom to ask (the kiosk's screen, for home)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kiosk.config import PORTAL_SECTIONS
from kiosk.services.households import students_for_parent
from kiosk.web.app import call
from kiosk.web.guard import require_user
from kiosk.web.templating import render


async def students(request: Request) -> Response:
    user = require_user(request)
    if isinstance(user, Response):
        return user
    config = request.app.state.ctx.config
    linked, missing = await call(request, students_for_parent, user.guardian_id)
    return render(
        request,
        "students.html",
        {
            "linked": linked,
            "missing": missing,
            "shown": [s for s in PORTAL_SECTIONS if s in config.portal.shows],
            "hidden": [s for s in PORTAL_SECTIONS if s not in config.portal.shows],
            "mobile_code": config.district.mobile_app_code,
            "support": config.support,
            "portal_url": config.portal.url,
            "welcome": request.query_params.get("welcome") == "1",
        },
    )


routes: list[BaseRoute] = [Route("/students", students, methods=["GET"])]
