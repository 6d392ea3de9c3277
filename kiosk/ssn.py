"""Social Security numbers, if a district imports them at all: a keyed hash plus last four.

Henry County's guardianship questions ask for the student's SSN. Keeping only an HMAC (keyed
with the district secret that never enters the database) and the last four digits lets staff
check an answer without the database ever holding the number: 10^9 possible SSNs are trivial
to brute-force from a plain hash, not from a keyed one.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from kiosk.errors import ValidationError


def _digits(ssn: str) -> str:
    value = re.sub(r"[\s-]", "", ssn or "")
    if not re.fullmatch(r"\d{9}", value):
        raise ValidationError("ssn_format")
    return value


def protect(ssn: str, key: bytes) -> tuple[str, str]:
    """(keyed hash, last four digits) for storage."""
    value = _digits(ssn)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest(), value[-4:]


def matches(ssn: str, stored_hash: str | None, key: bytes) -> bool:
    """Whether a spoken SSN matches the stored keyed hash (constant-time compare)."""
    if not stored_hash:
        return False
    try:
        candidate, _ = protect(ssn, key)
    except ValidationError:
        return False
    return hmac.compare_digest(candidate, stored_hash)
