"""The parents' emails, as catalog text: codes, notices, usernames and keys.

Each entry is an English gettext msgid with its Spanish in ``kiosk/locale``, like the error
catalog (``kiosk.messages``), which includes these. ``kiosk.services.parent_mail`` renders an
email once per language the district offers. The district's name, the parent's values and
``kiosk.toml``'s own texts (support hours, a district's own activation steps) are filled in as
they are; the default activation steps have catalog translations.
"""

from __future__ import annotations

from kiosk.i18n import N_

EMAIL: dict[str, str] = {
    # the first line of an email in several languages, once in each of the others
    "mail_other_below": N_("This email in English is below."),
    # one-time codes (kiosk.services.accounts, kiosk.services.recovery)
    "mail_code_subject": N_("your code is {code}"),
    "mail_code_body": N_(
        "Your one-time code is:\n\n    {code}\n\n{why}\nIt works once and expires in {minutes} "
        "minutes. If you did not ask for it, ignore this email."
    ),
    "mail_code_why_verify": N_("Type it where you asked for it to confirm your recovery email."),
    "mail_code_why_reset": N_("Type it where you asked for it to reset your password."),
    # security notices: a change the parent should know about
    "mail_notice_body": N_("{text}\n\nIf this was not you, contact your school's front desk now."),
    "mail_notice_body_or": N_(
        "{text}\n\nIf this was not you, contact your school's front desk or {email} now."
    ),
    "mail_password_changed_subject": N_("your parent portal password was changed"),
    "mail_password_changed": N_("The password of your parent portal account was just changed."),
    "mail_password_reset_subject": N_("your parent portal password was reset"),
    "mail_password_reset": N_(
        "The password of your parent portal account was reset with a code sent to this "
        "address. Every other signed-in session was ended."
    ),
    "mail_email_changed_subject": N_("your recovery email was changed"),
    "mail_email_changed": N_(
        "The recovery email of your parent portal account was changed to {email}."
    ),
    "mail_pictures_changed_subject": N_("your security pictures were changed"),
    "mail_pictures_changed": N_(
        "The security pictures of your parent portal account were changed."
    ),
    # forgotten username
    "mail_username_subject": N_("your parent portal username"),
    "mail_username_body": N_(
        "The parent portal usernames for this email address are:\n\n{names}\n\nIf you did not "
        "ask for this, you can ignore this email."
    ),
    # activation keys (kiosk.services.activation)
    "mail_key_subject": N_("your parent portal activation key"),
    "mail_key_body": N_(
        "Hello {name},\n\nHere is your {district} parent portal activation key:\n\n    {key}\n\n"
        "It can be used once and expires on {date}."
    ),
    "mail_key_online": N_("Activate online: {link}"),
    "mail_support": N_("Questions? Contact {contacts}."),
    "mail_support_school": N_("Questions? Contact your school."),
    "mail_support_time": N_("We answer {when}."),
    "mail_or": N_("{first} or {second}"),
    "mail_date": N_("{month} {day}, {year}"),
}

#: Month names for ``mail_date``, January first.
MONTHS: tuple[str, ...] = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
