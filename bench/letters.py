"""10,000 activation letters (PDF with QR codes) against the same pages drawn in a bare loop.

The service run is the whole of ``make_letters``: choose the guardians, issue and hash a key
for each (revoking older ones), audit, and write the PDF. It runs on a copy of the district in
which exactly N guardians are eligible. The baseline draws the same pages for the same people
with qrcode and fpdf2 directly: no database, no keys issued, the libraries' public calls in a
plain loop (the QR mask fixed as the service does, dark modules drawn one rectangle per run,
text that repeats on every page wrapped once by ``multi_cell``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from bench.workspace import Workspace

STEPS = (
    "Open the parent portal and choose 'I have an activation key'.",
    "Type the activation key exactly as printed, or scan the QR code.",
    "Choose a username and a password, then set your recovery email.",
)


@dataclass(frozen=True)
class LettersResult:
    letters: int
    service_s: float
    baseline_s: float
    pdf_mib: float

    @property
    def ratio(self) -> float:
        return self.service_s / self.baseline_s


def _limit_to(ws: Workspace, count: int) -> list[tuple[str, str, list[str]]]:
    """Leave exactly ``count`` roster guardians eligible for a letter; returns their pages'
    data (name, address, students) for the baseline."""
    con = ws.raw()

    def q(sql: str) -> str:  # the driver's placeholder
        return sql.replace("?", ws.param)

    chosen = [
        row[0]
        for row in con.execute(
            q(
                "SELECT DISTINCT r.guardian_id FROM relationship r JOIN guardian g "
                "ON g.id = r.guardian_id WHERE r.is_guardian AND r.portal_access AND r.active "
                "AND NOT r.custody_restriction AND g.sourced_id LIKE 'g-%%' "
                "ORDER BY r.guardian_id LIMIT ?"
            ),
            (count,),
        ).fetchall()
    ]
    con.execute("CREATE TEMP TABLE keep (id INTEGER PRIMARY KEY)")
    con.cursor().executemany(q("INSERT INTO keep VALUES (?)"), [(g,) for g in chosen])
    con.execute("UPDATE guardian SET active = FALSE WHERE id NOT IN (SELECT id FROM keep)")
    pages = []
    for gid, given, family, address in con.execute(
        "SELECT g.id, g.given_name, g.family_name, g.address FROM guardian g JOIN keep k "
        "ON k.id = g.id ORDER BY g.family_name, g.given_name, g.id"
    ).fetchall():
        students = [
            f"{sg} {sf} ({school}, grade {grade})"
            for sg, sf, school, grade in con.execute(
                q(
                    "SELECT s.given_name, s.family_name, c.name, s.grade FROM relationship r "
                    "JOIN student s ON s.id = r.student_id JOIN school c ON c.id = s.school_id "
                    "WHERE r.guardian_id = ? ORDER BY s.given_name"
                ),
                (gid,),
            ).fetchall()
        ]
        pages.append((f"{given} {family}", address, students))
    con.commit()
    con.close()
    return pages


def baseline(pages: list[tuple[str, str, list[str]]], out: Path, district: str) -> float:
    """The same pages with qrcode and fpdf2 in a bare loop; returns the seconds taken."""
    import qrcode
    from fpdf import FPDF
    from qrcode.constants import ERROR_CORRECT_M

    started = time.perf_counter()
    pdf = FPDF(format="Letter", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 18, 20)
    pdf.add_font("body", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.add_font("body", "B", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    pdf.add_font("mono", "", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf")
    wrapped: dict[tuple[str, float, float], list[str]] = {}

    def para(width: float, text: str) -> None:
        # Text that is the same on every page is wrapped once, as anyone writing this loop would.
        key = (text, width, pdf.font_size_pt)
        if key not in wrapped:
            wrapped[key] = pdf.multi_cell(width, 5.5, text, dry_run=True, output="LINES")
        for line in wrapped[key]:
            pdf.cell(width, 5.5, line, new_x="LMARGIN", new_y="NEXT")

    for name, address, students in pages:
        hexkey = secrets.token_hex(16).upper()
        key = f"{{{hexkey[:8]}-{hexkey[8:12]}-{hexkey[12:16]}-{hexkey[16:20]}-{hexkey[20:]}}}"
        pdf.add_page()
        pdf.set_font("body", "B", 15)
        pdf.cell(0, 8, district, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", 10)
        pdf.cell(0, 6, "Parent portal activation", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font("body", "", 11)
        pdf.cell(0, 6, name, new_x="LMARGIN", new_y="NEXT")
        for line in address.split(", "):
            pdf.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.cell(0, 6, f"Dear {name},", new_x="LMARGIN", new_y="NEXT")
        para(
            110,
            "This is your own activation key for the parent portal. It lets you see the "
            "students below. Each parent gets a different key; please do not share it.",
        )
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=2)
        code.add_data(f"https://portal.example.org/activate?key={hexkey}")
        code.make(fit=True)
        matrix = code.get_matrix()
        module = 52 / len(matrix)
        pdf.set_fill_color(0, 0, 0)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    pdf.rect(
                        140 + start * module, 62 + r * module, (c - start) * module, module, "F"
                    )
                else:
                    c += 1
        pdf.set_font("body", "B", 11)
        pdf.cell(0, 6, "Students", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", 10.5)
        for student in students[:8]:
            pdf.cell(110, 5.5, f"- {student}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y() + 6, 120))
        pdf.set_font("body", "B", 11)
        pdf.cell(0, 6, "Your activation key", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("mono", "", 15)
        pdf.cell(0, 10, key, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", 10)
        pdf.cell(0, 5.5, "It works once and expires on December 22, 2026.")
        pdf.ln(10)
        pdf.set_font("body", "B", 11)
        pdf.cell(0, 6, "How to activate your account", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", 10.5)
        for number, step in enumerate(STEPS, start=1):
            para(pdf.epw, f"{number}. {step}")
        para(pdf.epw, "Portal: https://portal.example.org")
        para(
            pdf.epw,
            "Using the mobile app? Enter the district code SUSD when it asks for your district.",
        )
        pdf.set_font("body", "", 10)
        para(pdf.epw, "Questions? Contact portalhelp@example.org or 555-0100.")
    out.write_bytes(pdf.output())
    return time.perf_counter() - started


def measure(ws: Workspace, scratch: Path, count: int) -> LettersResult:
    from kiosk.auth import SYSTEM
    from kiosk.services.letters import make_letters

    work = ws.copy_to(scratch / "letters")
    pages = _limit_to(work, count)
    base_s = baseline(pages, scratch / "baseline.pdf", "Synthetic Unified School District")
    (scratch / "baseline.pdf").unlink()
    ctx = work.context()
    try:
        started = time.perf_counter()
        result = make_letters(ctx, SYSTEM, scratch / "letters.pdf")
        service_s = time.perf_counter() - started
    finally:
        ctx.close()
    if result.letters != count:
        raise RuntimeError(f"expected {count} letters, the service wrote {result.letters}")
    size = (scratch / "letters.pdf").stat().st_size / 2**20
    (scratch / "letters.pdf").unlink()
    work.discard()
    return LettersResult(count, service_s, base_s, size)
