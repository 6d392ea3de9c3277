"""Untrusted text: reject what can hurt a terminal at the door, and clean what is shown.

Names, emails and usernames come from rosters and keyboards. Control characters and ESC
sequences could drive the terminal; bidi overrides can make a name read differently from what
it is. They are refused at input and import, and stripped again before display in case older
data holds them.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.errors import Label, ValidationError

# C0/C1 controls (tab and newline are not allowed in single-line fields either), DEL,
# bidi embeddings/overrides/isolates, and the line/paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u061c\ufeff]"
)


def has_unsafe(value: str) -> bool:
    """Whether ``value`` holds any character ``check_text`` refuses (one regex pass)."""
    return _UNSAFE.search(value) is not None


def unsafe_characters(value: str) -> list[str]:
    """The distinct unsafe characters in ``value``, as ``U+XXXX`` names, in order of first use."""
    seen: list[str] = []
    for match in _UNSAFE.finditer(value):
        label = f"U+{ord(match.group()):04X}"
        if label not in seen:
            seen.append(label)
    return seen


def check_text(value: str, field: str, *, max_length: int = 200, required: bool = False) -> str:
    """Validate one line of untrusted text and return it trimmed.

    Raises ``ValidationError`` naming the field and what to change.
    """
    if not isinstance(value, str):
        raise ValidationError("text_type", field=Label(field))
    bad = unsafe_characters(value)
    if bad:
        raise ValidationError("text_control", field=Label(field), chars=", ".join(bad))
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError("text_required", field=Label(field))
    if len(cleaned) > max_length:
        raise ValidationError("text_too_long", field=Label(field), n=max_length)
    return cleaned


def escape_unsafe(value: str) -> str:
    """``value`` with each unsafe character written as ``\\uXXXX`` (text kept for the record,
    e.g. the audit log, that must stay readable and harmless in a terminal)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def display(value: object) -> str:
    """Text safe to hand to a widget as plain (non-markup) content."""
    if value is None:
        return ""
    return _UNSAFE.sub("", str(value))


def fold(value: str) -> str:
    """Case- and compatibility-folded form used for uniqueness and search."""
    return unicodedata.normalize("NFKC", value).casefold().strip()


_SPACES = re.compile(r"\s+")


def name_key(value: str) -> str:
    """A normalised name for duplicate detection: folded, accents removed, spaces squeezed."""
    decomposed = unicodedata.normalize("NFKD", fold(value))
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", re.sub(r"[^\w ]", " ", no_marks)).strip()


def digits(value: str | None) -> str:
    """Only the digits of a phone number or similar, for matching."""
    return re.sub(r"\D", "", value or "")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Spreadsheet formula injection guard: a cell starting with = + - @ tab CR gets a quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value
