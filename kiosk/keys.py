"""Activation keys: 128 random bits, shown in GUID grouping, stored only as a hash.

A key has 128 bits of entropy, so a plain SHA-256 is enough to make the stored value useless to
someone who reads the database (there is nothing to brute-force), and every kiosk of a district
can check it without sharing a secret.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from kiosk.errors import KeyProblem, Label

_HEX = set("0123456789abcdefABCDEF")
_IGNORED = set("{}- \t")


def new_key() -> str:
    """A fresh key as 32 upper-case hex digits (no punctuation)."""
    return secrets.token_hex(16).upper()


def format_key(key: str) -> str:
    """``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}``, the form parents see in letters and on screen."""
    k = normalize_key(key)
    return "{" + f"{k[:8]}-{k[8:12]}-{k[12:16]}-{k[16:20]}-{k[20:]}" + "}"


def format_partial(typed: str) -> str:
    """Group what a parent has typed so far, for live formatting in the key field."""
    hex_only = "".join(ch for ch in typed if ch in _HEX).upper()[:32]
    groups, cuts = [], (8, 12, 16, 20, 32)
    start = 0
    for cut in cuts:
        if len(hex_only) > start:
            groups.append(hex_only[start:cut])
        start = cut
    return "-".join(groups)


def normalize_key(text: str) -> str:
    """Accept braces or none, dashes or none, spaces, any case; explain anything else.

    Returns the 32 hex digits in upper case, or raises ``KeyProblem`` saying what is wrong.
    """
    if not isinstance(text, str) or not text.strip():
        raise KeyProblem("empty")
    wrong = []
    for ch in text:
        if ch not in _HEX and ch not in _IGNORED and ch not in wrong:
            wrong.append(ch)
    if wrong:
        shown = ", ".join(repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}" for ch in wrong)
        code = "key_chars"
        if any(ch in "oO" for ch in wrong):
            code = "key_chars_o"
        elif any(ch in "iIlL" for ch in wrong):
            code = "key_chars_il"
        raise KeyProblem(code, shown=shown)
    digits = re.sub(r"[{}\-\s]", "", text).upper()
    if len(digits) != 32:
        more = Label("missing" if len(digits) < 32 else "too many")
        raise KeyProblem("key_length", n=len(digits), more=more)
    return digits


def hash_key(key: str) -> str:
    return hashlib.sha256(normalize_key(key).encode("ascii")).hexdigest()


def activation_link(template: str, key: str) -> str:
    """What the QR code carries: the district's activation URL with the key, or the bare key."""
    formatted = format_key(key)
    if not template:
        return formatted
    bare = normalize_key(key)
    if "{key}" in template:
        return template.replace("{key}", bare)
    separator = "&" if "#" in template else "#"
    return f"{template}{separator}key={bare}"
