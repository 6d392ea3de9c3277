"""Route groups of the parent web, one module each (listed in ``kiosk.web.app.ROUTE_GROUPS``)."""
