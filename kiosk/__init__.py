"""Front Desk: a terminal kiosk that gets a parent a working parent-portal account in one visit."""

__version__ = "0.1.0"
