"""Reusable Textual widgets of the Front Desk app (Textual only here, in screens and the app)."""
