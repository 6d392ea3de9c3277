"""Bulk keys and letters: who gets one, the PDF's QR decodes to a key that works, CSV safety."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk import keys
from kiosk.clock import iso
from kiosk.context import Context
from kiosk.errors import KeyProblem, PermissionDenied
from kiosk.services import letters as letters_service
from kiosk.services.activation import check_key, issue_key, redeem_key
from kiosk.services.letters import make_letters
from kiosk.store.models import ActivationKey, AuditEvent, Guardian
from kiosk.text import csv_safe
from tests.conftest import staff_actor
from tests.test_cli_admin import invoke

ALL_WITHOUT_ACCOUNT = ["G-1009", "G-1002", "G-1001", "G-1011", "G-1006", "G-1007"]


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_letters_for_every_guardian_without_an_account(ctx: Context, tmp_path, system) -> None:
    result = make_letters(ctx, system, tmp_path / "l.pdf", csv_path=tmp_path / "l.csv")
    rows = read_csv(tmp_path / "l.csv")
    # Not: accounts (G-1003/4/5), custody restriction (G-1008), portal off (G-1010).
    assert [r["guardian_id"] for r in rows] == ALL_WITHOUT_ACCOUNT
    assert result.letters == 6 and (tmp_path / "l.pdf").read_bytes().startswith(b"%PDF")
    maria = next(r for r in rows if r["guardian_id"] == "G-1001")
    assert maria["students"] == (
        "Mateo Garcia (Roosevelt Middle, grade 7); Sofia Garcia (Lincoln Elementary, grade 3)"
    )
    assert check_key(ctx, maria["key"]).guardian_name == "Maria"
    # Keys are in the outputs only: hashes in the database, never in the audit log.
    for row in rows:
        digits = keys.normalize_key(row["key"])
        assert ActivationKey.get_or_none(ActivationKey.key_hash == keys.hash_key(digits))
        for event in AuditEvent.select():
            assert digits not in event.detail.upper() and digits not in event.target.upper()
    issued = AuditEvent.select().where(AuditEvent.action == "key.issue").count()
    assert issued == 6


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) not installed")
def test_pdf_qr_decodes_to_a_key_that_redeems(ctx: Context, tmp_path, system) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    make_letters(ctx, system, tmp_path / "l.pdf", csv_path=tmp_path / "l.csv")
    rows = read_csv(tmp_path / "l.csv")
    page = rows.index(next(r for r in rows if r["guardian_id"] == "G-1001")) + 1
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-f", str(page), "-l", str(page),
         str(tmp_path / "l.pdf"), str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    image = Image.open(next(tmp_path.glob("page*.png")))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    link = found[0].text
    assert link == rows[page - 1]["link"]
    assert link.startswith("https://") or link.startswith("{")
    decoded_key = link.rsplit("=", 1)[-1] if "=" in link else link
    account = redeem_key(
        ctx, decoded_key, "maria.g", "a-long-enough-pass-phrase", "a-long-enough-pass-phrase"
    )
    assert account.guardian_id == "G-1001"


def test_new_keys_revoke_old_ones_unless_only_no_key(ctx: Context, tmp_path, system) -> None:
    old = issue_key(ctx, system, "G-1001")
    make_letters(ctx, system, tmp_path / "a.pdf", only="no-key", csv_path=tmp_path / "a.csv")
    assert "G-1001" not in [r["guardian_id"] for r in read_csv(tmp_path / "a.csv")]
    assert check_key(ctx, old.key)  # still live
    result = make_letters(ctx, system, tmp_path / "b.pdf", csv_path=tmp_path / "b.csv")
    assert result.letters == 6 and result.revoked == 6  # G-1001's old key + the 5 from run a
    with pytest.raises(KeyProblem) as caught:
        check_key(ctx, old.key)
    assert caught.value.code == "revoked"


def test_only_expired(ctx: Context, tmp_path, system) -> None:
    past = ctx.clock.now() - dt.timedelta(days=40)
    ActivationKey.create(
        guardian=Guardian.get(Guardian.sourced_id == "G-1002"),
        key_hash=keys.hash_key(keys.new_key()),
        created_at=iso(past),
        expires_at=iso(past + dt.timedelta(days=30)),
        issued_by="staff:desk",
    )
    make_letters(ctx, system, tmp_path / "e.pdf", only="expired", csv_path=tmp_path / "e.csv")
    assert [r["guardian_id"] for r in read_csv(tmp_path / "e.csv")] == ["G-1002"]


def test_school_and_grade_filters(ctx: Context, tmp_path, system) -> None:
    make_letters(ctx, system, tmp_path / "s.pdf", school="HS", csv_path=tmp_path / "s.csv")
    assert [r["guardian_id"] for r in read_csv(tmp_path / "s.csv")] == ["G-1011"]
    make_letters(ctx, system, tmp_path / "g.pdf", grade="3", csv_path=tmp_path / "g.csv")
    assert [r["guardian_id"] for r in read_csv(tmp_path / "g.csv")] == ["G-1002", "G-1001"]
    with pytest.raises(Exception, match="No school with code 'XX'"):
        make_letters(ctx, system, tmp_path / "x.pdf", school="XX")


def test_registrars_only_their_schools_and_front_desk_not_at_all(ctx: Context, tmp_path):
    with pytest.raises(PermissionDenied):
        make_letters(ctx, staff_actor(ctx, "desk"), tmp_path / "d.pdf")
    registrar = staff_actor(ctx, "registrar")
    result = make_letters(ctx, registrar, tmp_path / "r.pdf")
    assert result.letters == 6


def test_mail_merge_csv_is_formula_safe(ctx: Context, tmp_path, system) -> None:
    Guardian.update(given_name='=HYPERLINK("http://evil")', address="+1 Main St").where(
        Guardian.sourced_id == "G-1011"
    ).execute()
    make_letters(ctx, system, tmp_path / "f.pdf", csv_path=tmp_path / "f.csv")
    row = next(r for r in read_csv(tmp_path / "f.csv") if r["guardian_id"] == "G-1011")
    assert row["name"].startswith("'=HYPERLINK") and row["address"] == "'+1 Main St"
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_safe(value) == "'" + value
    assert csv_safe("Maria") == "Maria"


def test_a_failed_pdf_revokes_the_new_keys(ctx: Context, tmp_path, system, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(letters_service, "write_pdf", broken)
    with pytest.raises(OSError):
        make_letters(ctx, system, tmp_path / "l.pdf")
    live = ActivationKey.select().where(
        ActivationKey.revoked_at.is_null(), ActivationKey.redeemed_at.is_null()
    )
    assert live.count() == 0 and ActivationKey.select().count() == 6
    assert not (tmp_path / "l.pdf").exists()


def test_cli_letters(ctx: Context, tmp_path) -> None:
    out = invoke(ctx, tmp_path, "letters", str(tmp_path / "c.pdf"), "--school", "ES",
                 "--csv", str(tmp_path / "c.csv"))  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "Wrote 4 letter(s)" in out.output
    assert len(read_csv(tmp_path / "c.csv")) == 4
    missing = invoke(ctx, tmp_path, "letters", str(tmp_path / "nowhere" / "x.pdf"))
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_letters_on_sqlite_and_postgres(any_ctx: Context, tmp_path) -> None:
    from kiosk.auth import SYSTEM

    result = make_letters(any_ctx, SYSTEM, tmp_path / "p.pdf", csv_path=tmp_path / "p.csv")
    assert result.letters == 6
    rows = read_csv(tmp_path / "p.csv")
    assert check_key(any_ctx, rows[0]["key"]).guardian_name == "Sarah"
    again = make_letters(any_ctx, SYSTEM, tmp_path / "q.pdf", only="no-key")
    assert (again.letters, again.revoked) == (0, 0)


def test_letters_print_the_expiry_day_of_the_districts_time_zone(ctx_with, tmp_path) -> None:
    """14 hours ahead of UTC and 11 behind are never on the same day: each district's letter
    and mail merge say its own day."""
    from zoneinfo import ZoneInfo

    from kiosk.auth import SYSTEM

    days = {}
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        district = ctx_with(district={"time_zone": zone})
        out = tmp_path / zone.replace("/", "-")
        out.mkdir()
        make_letters(district, SYSTEM, out / "l.pdf", csv_path=out / "l.csv")
        lifetime = dt.timedelta(days=district.config.keys.lifetime_days)
        expected = (district.clock.now() + lifetime).astimezone(ZoneInfo(zone)).date()
        printed = {row["expires"] for row in read_csv(out / "l.csv")}
        assert printed == {expected.isoformat()}, zone
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(out / "l.pdf"), "-"], capture_output=True, text=True
            ).stdout
            assert f"expires on {expected:%B %d, %Y}" in " ".join(text.split())
        days[zone] = expected
    assert days["Pacific/Kiritimati"] > days["Pacific/Pago_Pago"]
