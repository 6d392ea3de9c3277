"""Domain services: every rule of the account lifecycle. No Textual, no printing.

Each function takes a ``Context`` and (for staff actions) an ``Actor``, runs its own
transaction, writes its audit events, and returns typed dataclasses or raises ``KioskError``.
"""
