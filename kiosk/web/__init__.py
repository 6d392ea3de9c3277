"""The parent web (``kiosk serve``): Starlette routes and Jinja2 templates over the services."""
