"""Front Desk as the parents' identity provider: a SAML 2.0 IdP and an OpenID Connect provider.

Everything here but ``routes.py`` (Starlette) and ``cli.py`` (click) is UI-free: the route module
turns HTTP requests into calls on these services and their answers back into responses.
"""
