"""Reusable widgets (Textual only here, in kiosk/app.py and kiosk/screens/)."""
