"""The emails parents receive, in every language the district offers.

A parent may ask for a code at the kiosk in Spanish or on the web in English, and staff who
email a key do not know which language the parent reads, so each email carries every language
of ``[ui] languages``, the district's first language first (mature district notices do the
same). The text comes from ``kiosk.mail_catalog`` through the same gettext catalogs as the
screens and pages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.clock import local
from kiosk.context import Context
from kiosk.errors import KioskError, Label, Message, message
from kiosk.i18n import explain, translate
from kiosk.mail_catalog import MONTHS
from kiosk.services import outgoing
from kiosk.services.outgoing import Audited

#: Between the languages of one email.
SEPARATOR = "\n\n" + "-" * 40 + "\n\n"

#: What a one-time code is for -> the catalog sentence saying so.
CODE_PURPOSES = {"verify": "mail_code_why_verify", "reset": "mail_code_why_reset"}

#: Security notices: name -> (subject code, text code).
NOTICES = {
    "password_changed": ("mail_password_changed_subject", "mail_password_changed"),
    "password_reset": ("mail_password_reset_subject", "mail_password_reset"),
    "email_changed": ("mail_email_changed_subject", "mail_email_changed"),
    "pictures_changed": ("mail_pictures_changed_subject", "mail_pictures_changed"),
}


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


#: A paragraph: catalog text, or a function writing it in a language (a list of steps).
Part = Message | Callable[[str], str]


def compose(ctx: Context, subject: Message, parts: list[Part]) -> Email:
    """The body's ``parts`` (paragraphs) in each language, the first language's section
    opening with a line in each other language saying it follows; the subject in the first
    language only (a subject in every language is cut off in an inbox list)."""
    languages = list(dict.fromkeys(ctx.config.ui.languages)) or ["en"]
    sections = []
    for lang in languages:
        sections.append("\n\n".join(p(lang) if callable(p) else explain(p, lang) for p in parts))
    others = [explain(message("mail_other_below"), lang) for lang in languages[1:]]
    if others:
        sections[0] = "\n".join(others) + "\n\n" + sections[0]
    district = ctx.config.district.name
    body = SEPARATOR.join(sections) + f"\n\n{district}\n"
    return Email(f"{district}: {explain(subject, languages[0])}", body)


def date_words(ctx: Context, moment: dt.datetime) -> Message:
    """The district-local calendar day, with the month's name in each language."""
    day = local(moment, ctx.config.district.time_zone).date()
    return message("mail_date", month=Label(MONTHS[day.month - 1]), day=day.day, year=day.year)


def code_email(ctx: Context, code: str, purpose: str) -> Email:
    """A one-time code; ``purpose``: a key of ``CODE_PURPOSES``."""
    shown = f"{code[:4]} {code[4:]}"
    minutes = ctx.config.security.email_code_minutes
    why = message(CODE_PURPOSES[purpose])
    body = message("mail_code_body", code=shown, why=why, minutes=minutes)
    return compose(ctx, message("mail_code_subject", code=shown), [body])


def send_code(
    ctx: Context, to: str, code: str, purpose: str, what: Audited, *, quietly: bool = False
) -> None:
    email = code_email(ctx, code, purpose)
    send = outgoing.send_quietly if quietly else outgoing.send
    send(ctx, to, email.subject, email.body, what)


def notify(ctx: Context, to: str | None, notice: str, **params: object) -> None:
    """A security notice (``notice``: a key of ``NOTICES``); failure to send never undoes the
    change, but is audited."""
    if not to:
        return
    subject, text_code = NOTICES[notice]
    support = ctx.config.support.email
    text = message(text_code, **params)
    body = (
        message("mail_notice_body_or", text=text, email=support)
        if support
        else message("mail_notice_body", text=text)
    )
    email = compose(ctx, message(subject), [body])
    with contextlib.suppress(KioskError):  # audited as failed; the change stands
        outgoing.send(ctx, to, email.subject, email.body, Audited("system", "mail.notice"))


def username_email(ctx: Context, usernames: list[str]) -> Email:
    names = "\n".join(f"    {name}" for name in usernames)
    return compose(
        ctx, message("mail_username_subject"), [message("mail_username_body", names=names)]
    )


def support_line(ctx: Context) -> Message:
    s = ctx.config.support
    contacts = [c for c in (s.email, s.phone) if c]
    if not contacts:
        return message("mail_support_school")
    if len(contacts) == 1:
        return message("mail_support", contacts=contacts[0])
    return message(
        "mail_support", contacts=message("mail_or", first=contacts[0], second=contacts[1])
    )


def key_email(
    ctx: Context, name: str, key: str, expires_at: dt.datetime, link: str | None
) -> Email:
    """An activation key: the greeting, key, expiry, link, steps and support in each
    language (a district's own steps as written, the default ones translated)."""
    district = ctx.config.district.name
    parts: list[Part] = [
        message("mail_key_body", name=name, district=district, key=key,
                date=date_words(ctx, expires_at)),
    ]  # fmt: skip
    if link:
        parts.append(message("mail_key_online", link=link))
    steps = ctx.config.portal.steps
    if steps:
        parts.append(
            lambda lang: "\n".join(f"{n}. {translate(s, lang)}" for n, s in enumerate(steps, 1))
        )
    parts.append(support_line(ctx))
    if ctx.config.support.response_time:
        parts.append(message("mail_support_time", when=ctx.config.support.response_time))
    return compose(ctx, message("mail_key_subject"), parts)
