"""Password and username rules (hashing is in ``kiosk.hashing``).

The default policy follows NIST SP 800-63B-4: length matters, composition rules do not, and
known-bad passwords are refused with the reason shown. Districts that must keep their published
rules (Henderson's 9+ mixed, Jefferson City's 8+ with letters, digits and symbols) configure them
in ``[passwords]``. The common-password list is zxcvbn's list of 30,000 leaked passwords rather
than a hand-kept file.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.config import PasswordPolicy, UsernamePolicy
from kiosk.errors import Message, message
from kiosk.text import fold, unsafe_characters

# Words so common in district and school names that matching them would refuse good passwords.
_GENERIC = {
    "county",
    "city",
    "school",
    "schools",
    "district",
    "public",
    "unified",
    "independent",
    "elementary",
    "middle",
    "high",
    "academy",
    "center",
    "primary",
    "junior",
    "senior",
    "the",
    "and",
    "of",
    "for",
    "magnet",
    "charter",
    "early",
    "learning",
    "community",
}


_REPEATED = re.compile(r"^(.{1,8}?)\1+$", re.DOTALL)


@functools.cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.casefold() for p in FREQUENCY_LISTS["passwords"])


@dataclass(frozen=True)
class RuleCheck:
    """One line of the live checklist: the rule in words and whether it is met."""

    rule: Message
    ok: bool


def _context_words(context: Iterable[str]) -> list[tuple[str, str]]:
    """(label, folded token) pairs worth refusing in a password."""
    words: list[tuple[str, str]] = []
    for item in context:
        if not item:
            continue
        whole = re.sub(r"[\W_]+", "", fold(item))
        if len(whole) >= 4:
            words.append((item, whole))
        for part in re.split(r"[\W_]+", fold(item.split("@")[0] if "@" in item else item)):
            if len(part) >= 5 and part not in _GENERIC and part != whole:
                words.append((item, part))
    return words


def password_problems(
    password: str,
    policy: PasswordPolicy,
    *,
    context: Iterable[str] = (),
) -> list[Message]:
    """Every reason ``password`` is refused under ``policy``; empty when it is acceptable.

    ``context`` holds the username, email, district and school names the password must not be
    built from.
    """
    problems: list[Message] = []
    if unsafe_characters(password):
        problems.append(message("pw_control"))
    length = len(password)
    if length < policy.min_length:
        problems.append(message("pw_too_short", n=policy.min_length, m=length))
    if length > policy.max_length:
        problems.append(message("pw_too_long", n=policy.max_length, m=length))
    has_letter = any(ch.isalpha() for ch in password)
    has_digit = any(ch.isdigit() for ch in password)
    has_symbol = any(not ch.isalnum() and not ch.isspace() for ch in password)
    if policy.require_letter and not has_letter:
        problems.append(message("pw_letter"))
    if policy.require_digit and not has_digit:
        problems.append(message("pw_digit"))
    if policy.require_symbol and not has_symbol:
        problems.append(message("pw_symbol"))
    if policy.require_digit_or_symbol and not (has_digit or has_symbol):
        problems.append(message("pw_digit_or_symbol"))
    folded = fold(password)
    if policy.block_common and password:
        core = folded.strip(string.digits + string.punctuation + " ")
        if folded in common_passwords() or (len(core) >= 4 and core in common_passwords()):
            problems.append(message("pw_common"))
        elif _REPEATED.match(folded):
            problems.append(message("pw_repeats"))
    if policy.block_context and password:
        squeezed = re.sub(r"[\W_]+", "", folded)
        for label, token in _context_words(context):
            if token and token in squeezed:
                problems.append(message("pw_context", word=label))
                break
    return problems


def password_checklist(
    password: str, policy: PasswordPolicy, *, context: Iterable[str] = ()
) -> list[RuleCheck]:
    """The policy as a checklist, for showing live while a parent types."""
    codes = {p.code for p in password_problems(password, policy, context=context)}
    rules = [
        RuleCheck(
            message("rule_min_length", n=policy.min_length), len(password) >= policy.min_length
        )
    ]
    if policy.require_letter:
        rules.append(RuleCheck(message("rule_letter"), any(c.isalpha() for c in password)))
    if policy.require_digit:
        rules.append(RuleCheck(message("rule_digit"), any(c.isdigit() for c in password)))
    if policy.require_symbol:
        rules.append(
            RuleCheck(
                message("rule_symbol"), any(not c.isalnum() and not c.isspace() for c in password)
            )
        )
    if policy.require_digit_or_symbol:
        rules.append(
            RuleCheck(
                message("rule_digit_or_symbol"),
                any(not c.isalpha() and not c.isspace() for c in password),
            )
        )
    if policy.block_common:
        rules.append(
            RuleCheck(
                message("rule_not_common"),
                bool(password) and not codes & {"pw_common", "pw_repeats"},
            )
        )
    if policy.block_context:
        rules.append(
            RuleCheck(
                message("rule_not_context"),
                bool(password) and "pw_context" not in codes,
            )
        )
    return rules


def strength(password: str, context: Iterable[str] = ()) -> int:
    """0 (very weak) to 4 (strong), from zxcvbn, for the strength meter only."""
    if not password:
        return 0
    from zxcvbn import zxcvbn

    return int(zxcvbn(password[:100], user_inputs=[c for c in context if c])["score"])


_USERNAME_ANY = re.compile(r"^[\w.@-]+$")
_USERNAME_ALNUM = re.compile(r"^[A-Za-z0-9]+$")


def normalize_username(username: str) -> str:
    """The form usernames are compared in: NFKC, case-folded."""
    return fold(username)


def username_problems(username: str, policy: UsernamePolicy) -> list[Message]:
    problems: list[Message] = []
    name = unicodedata.normalize("NFKC", username)
    if unsafe_characters(name) or any(ch.isspace() for ch in name):
        problems.append(message("user_spaces"))
    if len(name) < policy.min_length:
        problems.append(message("user_too_short", n=policy.min_length))
    if len(name) > policy.max_length:
        problems.append(message("user_too_long", n=policy.max_length))
    if name and not problems:
        if policy.allowed == "alphanumeric" and not _USERNAME_ALNUM.match(name):
            problems.append(message("user_alnum"))
        elif policy.allowed == "any" and not _USERNAME_ANY.match(name):
            problems.append(message("user_chars"))
    if policy.forbid_all_numeric and name.isdigit():
        problems.append(message("user_all_digits"))
    return problems
