"""Service messages shown to parents, in the parent's language.

The services speak English (their messages are also logged and used by staff). Parent screens
pass every service message through ``translate()``: an exact catalog match first, then the
parametrised messages below (a number or a name inside a sentence), whose templates are catalog
entries too. Anything unknown is shown in English rather than hidden.
"""

from __future__ import annotations

import re
from functools import cache

from kiosk.errors import KioskError, ValidationError
from kiosk.i18n import N_, _

#: Fixed service messages a parent can meet (kept in the catalog; a test checks they still
#: match the services word for word).
SERVICE_MESSAGES = (
    # kiosk.services.activation._KEY_MESSAGES
    N_(
        "We could not find that activation key. Check each character against your letter or "
        "email; if it still fails, ask the school's front desk for a new key."
    ),
    N_("This activation key has expired. Ask the school's front desk for a new one."),
    N_(
        "This activation key was replaced by a newer one. Use the newest key you were given, "
        "or ask the front desk for a new one."
    ),
    N_(
        "This activation key has already been used to create an account. The school can look "
        "up your username and reset your password: bring your photo ID to the front desk."
    ),
    # kiosk.keys
    N_("Type the activation key: 32 letters and numbers (0-9, A-F)."),
    # kiosk.services.accounts
    N_(
        "That username and password did not work. Check them and try again; if it keeps "
        "failing, use 'Forgot username or password' or ask the front desk."
    ),
    N_("Your temporary password has expired. Ask the front desk for a new one."),
    N_("Your session has ended. Please sign in again."),
    N_("Choose a new password first."),
    N_("Your current password is not right. Type it again."),
    N_("The two new passwords are different; type the same one twice."),
    N_("Choose a password different from the current one."),
    N_("The two email addresses are different; type the same one twice."),
    N_("That code has expired or was already used. Ask for a new code."),
    N_("Too many wrong codes. Ask for a new code."),
    N_("Type your password to change your pictures."),
    N_(
        "Your recovery email and security pictures are needed now; they let you reset your "
        "password yourself."
    ),
    N_("A picture cannot be both liked and disliked."),
    N_("Pick from the pictures shown."),
    # kiosk.services.recovery
    N_(
        "If that email is the recovery email of any account, we have sent the usernames to "
        "it. Check your email."
    ),
    N_("That code is not right or has expired. Check the newest email, or ask for a new code."),
    N_("Those are not the pictures you chose as liked. Try again, or ask the front desk for help."),
    # kiosk.passwords (problems and checklist rules)
    N_("It contains control characters; use letters, digits, spaces, symbols."),
    N_("Include at least one letter."),
    N_("Include at least one number."),
    N_("Include at least one special character such as @ # $ %."),
    N_("Include at least one number or symbol."),
    N_("It is a commonly used password that attackers try first."),
    N_("It repeats the same one or two characters."),
    N_("Spaces and control characters are not allowed."),
    N_("Use only letters A-Z and numbers 0-9."),
    N_("Use only letters, numbers and . _ - @"),
    N_("Include at least one letter: all-number usernames are kept for students."),
    N_("That username is taken; choose another one."),
    N_("Password: the two passwords are different; type the same one twice."),
    N_("A letter"),
    N_("A number"),
    N_("A special character"),
    N_("A number or symbol"),
    N_("Not a common password"),
    N_("Not built from your name, username or school"),
    # kiosk.screens.base
    N_("Something went wrong. Please try again, or ask the front desk for help."),
    # field names used inside messages
    N_("Username"),
    N_("Password"),
    N_("Recovery email"),
    N_("Email"),
    N_("missing"),
    N_("too many"),
)

#: Messages with a value inside. ``{name}`` parts are matched and put back (translated when
#: the catalog knows the value, e.g. a field name).
TEMPLATES = (
    N_("Use at least {n} characters (this has {m})."),
    N_("Use at most {n} characters (this has {m})."),
    N_("Use at least {n} characters."),
    N_("Use at most {n} characters."),
    N_("At least {n} characters"),
    N_(
        "It contains '{word}'; do not build it from your username, email, the district or a "
        "school name."
    ),
    N_("The username '{username}' is taken. Choose another one."),
    N_("That code is not right. Check the newest email; {left} tries left."),
    N_(
        "If an account matches, we have sent a code to its recovery email. Check your email; "
        "the code expires in {minutes} minutes."
    ),
    N_("Pick exactly {n} different pictures you like."),
    N_("Pick exactly {n} different pictures you dislike."),
    N_(
        "An activation key has 32 letters and numbers; this has {n} ({more}). Check it against "
        "the letter and type it again."
    ),
    N_(
        "An activation key only uses the digits 0-9 and the letters A-F; remove or fix "
        "{shown}. The letter O is never used: type the number 0."
    ),
    N_(
        "An activation key only uses the digits 0-9 and the letters A-F; remove or fix "
        "{shown}. The letters I and L are never used: type the number 1."
    ),
    N_("An activation key only uses the digits 0-9 and the letters A-F; remove or fix {shown}."),
    N_(
        "{field} contains control or direction characters ({chars}); retype it using ordinary "
        "letters, digits and punctuation."
    ),
    N_("{field} is longer than {n} characters; shorten it."),
    N_("{field} is required."),
    N_("{field} does not look like an email address (name@example.org)."),
    N_("Username: {problem}"),
    N_("Password: {problem}"),
)

_FIELD = re.compile(r"\\\{(\w+)\\\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for template in TEMPLATES:
        pattern = _FIELD.sub(lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(template))
        compiled.append((re.compile(f"^{pattern}$", re.DOTALL), template))
    return tuple(compiled)


def translate(message: str) -> str:
    """``message`` (an English service message) in the parent's language."""
    exact = _(message)
    if exact != message:
        return exact
    for pattern, template in _patterns():
        match = pattern.match(message)
        if match:
            values = {name: translate(value) for name, value in match.groupdict().items()}
            return _(template).format(**values)
    return message


def error_lines(error: KioskError) -> list[str]:
    """Every reason of a refusal, translated, one per line (or the message itself)."""
    if isinstance(error, ValidationError) and error.reasons and str(error).startswith("Please"):
        return [translate(reason) for reason in error.reasons]
    return [translate(str(error))]


def error_text(error: KioskError) -> str:
    return "\n".join(error_lines(error))
