"""Keys in bulk and postal letters: one PDF page per guardian, with the key and its QR code.

District IT mails activation letters to every guardian who has no account yet. Each guardian
gets a NEW key (older live keys are revoked) unless ``only="no-key"`` skips those who still have
one. Keys exist in clear only in the outputs written here (the PDF and the optional mail-merge
CSV): the database keeps hashes, the audit log keeps who and when.

The QR code is drawn as vector rectangles (one per run of dark modules), which keeps 10,000
letters fast and prints sharp at any size.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from kiosk import audit, keys, qr
from kiosk.auth import Actor
from kiosk.clock import iso, local
from kiosk.config import Config
from kiosk.context import Context
from kiosk.errors import NotFound, ValidationError
from kiosk.services.access import awaiting_account, live_key_condition, require_staff, unused_key
from kiosk.store.models import (
    ActivationKey,
    Guardian,
    Relationship,
    School,
    Student,
)
from kiosk.text import csv_safe, display

ONLY_CHOICES = ("no-key", "expired")
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
BATCH = 500


@dataclass(frozen=True)
class Letter:
    """One guardian's letter. ``key`` is in clear: write it out, then drop the object."""

    guardian_id: str
    name: str
    address: str
    email: str
    students: list[str]  # "Sofia Garcia (Lincoln Elementary, grade 3)"
    key: str
    link: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class LettersResult:
    letters: int
    revoked: int
    pdf: Path
    csv: Path | None


def _eligible(
    ctx: Context, actor: Actor, school: str | None, grade: str | None, only: str | None
) -> dict[int, list[tuple[str, str, str]]]:
    """guardian id -> [(student name, school name, grade)] for guardians who get a letter."""
    now = iso(ctx.clock.now())
    query = (
        Relationship.select(
            Relationship.guardian,
            Student.given_name,
            Student.family_name,
            School.name,
            Student.grade,
        )
        .join(Student)
        .join(School)
        .switch(Relationship)
        .join(Guardian)
        .where(awaiting_account())
        .order_by(Guardian.family_name, Guardian.given_name, Guardian.id, Student.given_name)
    )
    if school:
        found = School.get_or_none((School.code == school) | (School.sourced_id == school))
        if found is None:
            known = ", ".join(s.code for s in School.select().order_by(School.code))
            raise NotFound("school_unknown", code=school, known=known or "none")
        query = query.where(Student.school == found)
    if grade:
        query = query.where(Student.grade == grade.strip())
    if not actor.is_admin:
        query = query.where(Student.school.in_(list(actor.school_ids) or [-1]))
    live = ActivationKey.select(ActivationKey.id).where(
        ActivationKey.guardian == Guardian.id,
        live_key_condition(now),
    )
    if only == "no-key":
        query = query.where(~pw.fn.EXISTS(live))
    elif only == "expired":
        expired = ActivationKey.select(ActivationKey.id).where(
            ActivationKey.guardian == Guardian.id,
            unused_key(),
            ActivationKey.expires_at <= now,
        )
        query = query.where(~pw.fn.EXISTS(live), pw.fn.EXISTS(expired))
    found: dict[int, list[tuple[str, str, str]]] = {}
    for gid, given, family, school_name, student_grade in query.tuples().iterator():
        found.setdefault(gid, []).append((f"{given} {family}".strip(), school_name, student_grade))
    return found


def _revoke_unused_keys(ids: list[int], now: dt.datetime) -> tuple[dict[int, Guardian], int]:
    """The guardians, and how many of their unused keys were revoked (in batches)."""
    people: dict[int, Guardian] = {}
    revoked = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for g in Guardian.select().where(Guardian.id.in_(chunk)):
            people[g.id] = g
        revoked += (
            ActivationKey.update(revoked_at=iso(now))
            .where(ActivationKey.guardian.in_(chunk), unused_key())
            .execute()
        )
    return people, revoked


def issue_letter_keys(
    ctx: Context,
    actor: Actor,
    *,
    school: str | None = None,
    grade: str | None = None,
    only: str | None = None,
) -> tuple[list[Letter], int]:
    """Issue a new key to every matching guardian without an account, in one transaction.

    Returns the letters (keys in clear, only in memory) and how many older keys were revoked.
    """
    require_staff(actor, "registrar")
    if only is not None and only not in ONLY_CHOICES:
        raise ValidationError("bad_choice", option="only", choices=", ".join(ONLY_CHOICES))
    now = ctx.clock.now()
    expires = now + dt.timedelta(days=ctx.config.keys.lifetime_days)
    # The letter and the mail merge print the day in the district's zone, not UTC's.
    local_expiry = local(expires, ctx.config.district.time_zone)
    template = ctx.config.activation_url
    letters: list[Letter] = []
    with ctx.store.write():
        chosen = _eligible(ctx, actor, school, grade, only)
        ids = list(chosen)
        people, revoked = _revoke_unused_keys(ids, now)
        rows = []
        for gid in ids:
            g = people[gid]
            key = keys.new_key()
            rows.append(
                {
                    "guardian": gid,
                    "key_hash": keys.hash_key(key),
                    "created_at": iso(now),
                    "expires_at": iso(expires),
                    "issued_by": actor.label,
                }
            )
            letters.append(
                Letter(
                    g.sourced_id,
                    f"{g.given_name} {g.family_name}".strip(),
                    g.address,
                    g.email,
                    [
                        f"{name} ({school_name}" + (f", grade {gr})" if gr else ")")
                        for name, school_name, gr in chosen[gid]
                    ],
                    keys.format_key(key),
                    keys.activation_link(template, key),
                    local_expiry,
                )
            )
            audit.record(
                ctx,
                actor,
                "key.issue",
                target=g.sourced_id,
                detail={"expires_at": iso(expires), "bulk": True},
            )
        for start in range(0, len(rows), BATCH):
            ActivationKey.insert_many(rows[start : start + BATCH]).execute()
        audit.record(
            ctx,
            actor,
            "letters.issue",
            detail={
                "letters": len(letters),
                "revoked": revoked,
                "school": school or "",
                "grade": grade or "",
                "only": only or "",
            },
        )
    return letters, revoked


def revoke_letter_keys(ctx: Context, actor: Actor, letters: Iterable[Letter]) -> int:
    """Undo a batch whose letters could not be written (so no key is live but unprinted)."""
    hashes = [keys.hash_key(letter.key) for letter in letters]
    now = ctx.clock.now_iso()
    count = 0
    with ctx.store.write():
        for start in range(0, len(hashes), BATCH):
            count += (
                ActivationKey.update(revoked_at=now)
                .where(
                    ActivationKey.key_hash.in_(hashes[start : start + BATCH]),
                    ActivationKey.redeemed_at.is_null(),
                )
                .execute()
            )
        audit.record(ctx, actor, "letters.revoke", outcome="failed", detail={"revoked": count})
    return count


# -- the PDF --------------------------------------------------------------------------------


def _font_path(name: str) -> str | None:
    for folder in FONT_DIRS:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    return None


def _new_pdf(ctx: Context):
    from fpdf import FPDF

    pdf = FPDF(format="Letter", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 18, 20)
    pdf.set_title(f"{ctx.config.district.name}: parent portal activation letters")
    pdf.set_creator("Front Desk")
    regular, bold, mono = (
        _font_path("DejaVuSans.ttf"),
        _font_path("DejaVuSans-Bold.ttf"),
        _font_path("DejaVuSansMono-Bold.ttf"),
    )
    if regular and bold and mono:
        pdf.add_font("body", "", regular)
        pdf.add_font("body", "B", bold)
        pdf.add_font("mono", "", mono)
        return pdf, "body", "mono", False
    return pdf, "Helvetica", "Courier", True  # core fonts: Latin-1 only


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def qr_matrix(data: str) -> list[list[bool]]:
    """``kiosk.qr.matrix`` with one fixed mask: letters are printed black on white at a large
    size, where any mask scans, and 10,000 codes do not each try all eight."""
    return qr.matrix(data, mask_pattern=2)


def draw_qr(pdf, data: str, x: float, y: float, size: float) -> None:
    """The QR code of ``data`` as filled rectangles, quiet zone included, ``size`` mm wide."""
    rows = qr_matrix(data)
    module = size / len(rows)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    # One path of "re" operators filled once: fpdf2's rect() per run writes a full graphics
    # operation each time and costs more than the rest of the page.
    k, page_h = pdf.k, pdf.h
    parts = []
    for r, row in enumerate(rows):
        c = 0
        width = len(row)
        top = (page_h - (y + r * module)) * k
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                parts.append(
                    f"{(x + start * module) * k:.3f} {top:.3f} "
                    f"{(c - start) * module * k:.3f} {-module * k:.3f} re"
                )
            else:
                c += 1
    if parts:
        pdf._out(" ".join(parts) + " f")  # fpdf2 has no public raw-path call


def _paragraph(pdf, text: str, width: float, height: float, cache: dict) -> None:
    """Write a wrapped paragraph; the wrapping of text that repeats on every letter (steps,
    support line) is worked out once, which is most of the time fpdf2 spends on a page."""
    key = (text, width, pdf.font_family, pdf.font_style, pdf.font_size_pt)
    lines = cache.get(key)
    if lines is None:
        lines = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
        cache[key] = lines
    for line in lines:
        pdf.cell(width, height, line, new_x="LMARGIN", new_y="NEXT")


def _page(ctx: Context, pdf, letter: Letter, fonts: tuple[str, str, bool], cache: dict) -> None:
    body, mono, core = fonts

    def text(value: str) -> str:
        value = display(value)
        return _latin1(value) if core else value

    config = ctx.config
    pdf.add_page()
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(body, "B", 15)
    pdf.cell(0, 8, text(config.district.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(body, "", 10)
    pdf.cell(0, 6, text("Parent portal activation"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(body, "", 11)
    pdf.cell(0, 6, text(letter.name), new_x="LMARGIN", new_y="NEXT")
    for line in (letter.address or "").split(", "):
        if line:
            pdf.cell(0, 5.5, text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.cell(0, 6, text(f"Dear {letter.name},"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _paragraph(
        pdf,
        text(
            "This is your own activation key for the parent portal. It lets you see the "
            "students below. Each parent gets a different key; please do not share it."
        ),
        110,
        5.5,
        cache,
    )
    top = 62.0
    draw_qr(pdf, letter.link, 140, top, 52)
    pdf.ln(3)
    pdf.set_font(body, "B", 11)
    pdf.cell(0, 6, text("Students"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(body, "", 10.5)
    for student in letter.students[:8]:
        pdf.cell(110, 5.5, text(f"- {student}"), new_x="LMARGIN", new_y="NEXT")
    if len(letter.students) > 8:
        more = len(letter.students) - 8
        pdf.cell(110, 5.5, text(f"... and {more} more"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y() + 6, top + 58))
    pdf.set_font(body, "B", 11)
    pdf.cell(0, 6, text("Your activation key"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(mono, "", 15)
    pdf.cell(0, 10, letter.key, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(body, "", 10)
    expiry = text(f"It works once and expires on {letter.expires_at:%B %d, %Y}.")
    pdf.cell(0, 5.5, expiry, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    _instructions(pdf, config, text, body, cache)


def _instructions(pdf, config: Config, text: Callable[[str], str], body: str, cache: dict) -> None:
    """The letter's second half: the activation steps, the portal, the app code, support."""
    pdf.set_font(body, "B", 11)
    pdf.cell(0, 6, text("How to activate your account"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(body, "", 10.5)
    width = pdf.epw
    for number, step in enumerate(config.portal.steps, start=1):
        _paragraph(pdf, text(f"{number}. {step}"), width, 5.5, cache)
    if config.portal.url:
        _paragraph(pdf, text(f"Portal: {config.portal.url}"), width, 5.5, cache)
    if config.district.mobile_app_code:
        pdf.ln(2)
        code = config.district.mobile_app_code
        _paragraph(
            pdf,
            text(
                f"Using the mobile app? Enter the district code {code} when it asks for your "
                "district."
            ),
            width,
            5.5,
            cache,
        )
    support = config.support
    contact = " or ".join(p for p in (support.email, support.phone) if p)
    pdf.ln(4)
    pdf.set_font(body, "", 10)
    _paragraph(
        pdf,
        text(
            (f"Questions? Contact {contact}." if contact else "Questions? Contact your school.")
            + (f" We answer {support.response_time}." if support.response_time else "")
        ),
        width,
        5.5,
        cache,
    )


def write_pdf(
    ctx: Context,
    letters: list[Letter],
    out: Path,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write the letters to ``out`` atomically (a temporary file renamed at the end)."""
    pdf, body, mono, core = _new_pdf(ctx)
    cache: dict = {}
    for n, letter in enumerate(letters, start=1):
        _page(ctx, pdf, letter, (body, mono, core), cache)
        if progress and n % 100 == 0:
            progress(100)
    if not letters:
        pdf.add_page()
        pdf.set_font(body, "", 12)
        pdf.cell(0, 8, "No guardians matched; no keys were issued.")
    _atomic_write(out, pdf.output())
    if progress:
        progress(len(letters) % 100)


def _atomic_write(out: Path, data: bytes | bytearray) -> None:
    out = Path(out)
    fd, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o600)
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


MERGE_COLUMNS = ["guardian_id", "name", "address", "email", "students", "key", "link", "expires"]


def write_mail_merge(letters: list[Letter], out: Path) -> None:
    """UTF-8 (with BOM, so spreadsheet programs detect it) mail-merge file, one row a letter."""
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(MERGE_COLUMNS)
    for letter in letters:
        writer.writerow(
            csv_safe(display(v))
            for v in (
                letter.guardian_id,
                letter.name,
                letter.address,
                letter.email,
                "; ".join(letter.students),
                letter.key,
                letter.link,
                f"{letter.expires_at:%Y-%m-%d}",
            )
        )
    _atomic_write(Path(out), ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def make_letters(
    ctx: Context,
    actor: Actor,
    out_pdf: Path,
    *,
    school: str | None = None,
    grade: str | None = None,
    only: str | None = None,
    csv_path: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LettersResult:
    """Issue the keys, then write the PDF (and CSV). If writing fails, the new keys are revoked."""
    out_pdf = Path(out_pdf)
    for target in (out_pdf, csv_path):
        if target is not None and not Path(target).parent.is_dir():
            raise ValidationError("folder_missing", folder=Path(target).parent)
    letters, revoked = issue_letter_keys(ctx, actor, school=school, grade=grade, only=only)
    try:
        write_pdf(
            ctx, letters, out_pdf, (lambda n: progress(n, len(letters))) if progress else None
        )
        if csv_path is not None:
            write_mail_merge(letters, Path(csv_path))
    except BaseException:
        revoke_letter_keys(ctx, actor, letters)
        raise
    return LettersResult(len(letters), revoked, out_pdf, Path(csv_path) if csv_path else None)
