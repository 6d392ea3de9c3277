"""OneRoster import: good files, every kind of bad file, re-import, all-or-nothing."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest

from bench.generate import generate
from kiosk.context import Context
from kiosk.errors import PermissionDenied
from kiosk.services.roster import HOUSEHOLD_PREFIX, RosterRejected, import_roster
from kiosk.store.models import (
    AuditEvent,
    Guardian,
    Household,
    HouseholdGuardian,
    HouseholdStudent,
    PortalAccount,
    Relationship,
    School,
    Student,
)
from tests.conftest import staff_actor
from tests.test_cli_admin import invoke

ORGS = (
    "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
    "d1,active,,Test District,district,TD,\n"
    "o-es,active,,Maple Elementary,school,MES,d1\n"
    "o-hs,active,,Cedar High,school,CHS,d1\n"
)
USERS_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
)
USERS = USERS_HEADER + (
    "st1,active,,true,o-es,student,st1u,,Ana,Reyes,,5001,,,,p1,03,\n"
    "st2,active,,true,o-hs,student,st2u,,Ben,Reyes,,5002,,,,p1,10,\n"
    "st3,active,,true,o-hs,student,st3u,,Cy,Young,,5003,,,,,11,\n"
    'p1,active,,true,,parent,,,Rosa,Reyes,,,rosa@example.org,,(555) 010-2000,"st1,st2",,\n'
    "p2,active,,true,,guardian,,,Tom,Young,,,tom@example.org,,555-0300,st3,,\n"
)
DEMOGRAPHICS = (
    "sourcedId,status,dateLastModified,birthDate,sex\n"
    "st1,active,,2017-02-03,female\n"
    "st2,active,,2010-06-07,male\n"
)
ENROLLMENTS = (
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,"
    "beginDate,endDate\n"
    "e1,active,,,o-es,st1,student,false,,\n"
)
MANIFEST = "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.users,bulk\n"


def write_roster(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    defaults = {
        "manifest.csv": MANIFEST,
        "orgs.csv": ORGS,
        "users.csv": USERS,
        "demographics.csv": DEMOGRAPHICS,
        "enrollments.csv": ENROLLMENTS,
    }
    for name, text in files.items():
        defaults[name.replace("_", ".") if name.endswith("_csv") else name] = text
    for name, text in defaults.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8", newline="")
    return folder


def snapshot(ctx: Context) -> dict[str, list]:
    """Every row of the roster tables, to prove a refused import changed nothing."""
    models = (School, Student, Guardian, Relationship, Household, HouseholdGuardian,
              HouseholdStudent, PortalAccount, AuditEvent)  # fmt: skip
    with ctx.store.read():
        return {m.__name__: list(m.select().order_by(m.id).tuples()) for m in models}


def test_small_roster_imports_people_links_and_households(ctx: Context, tmp_path, system) -> None:
    summary = import_roster(ctx, system, write_roster(tmp_path / "r"))
    assert summary.counts() == {
        "schools": 2,
        "students": 3,
        "guardians": 2,
        "links": 3,
        "households": 2,
        "added": 10,  # 2 schools, 3 students, 2 guardians, 3 links
        "updated": 0,
        "deactivated": 37,  # the demo district's records are not in this roster
    }
    ana = Student.get(Student.sourced_id == "st1")
    assert (ana.student_number, ana.grade, ana.birth_date) == ("5001", "03", "2017-02-03")
    assert ana.search_name == "ana reyes" and ana.school.code == "MES"
    rosa = Guardian.get(Guardian.sourced_id == "p1")
    assert rosa.phone_digits == "5550102000" and rosa.search_name == "rosa reyes"
    # Siblings sharing a guardian are one household with that guardian.
    household = Household.get(Household.sourced_id == HOUSEHOLD_PREFIX + "st1")
    members = {m.student.sourced_id for m in household.student_members}
    assert members == {"st1", "st2"}
    assert [m.guardian.sourced_id for m in household.guardian_members] == ["p1"]
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert event.action == "roster.import" and json.loads(event.detail)["students"] == 3


def test_generated_district_imports_and_reimport_is_a_no_op(ctx: Context, tmp_path, system) -> None:
    counts = generate(tmp_path / "gen", 2000, seed=7)
    calls: list[tuple[str, int, int]] = []
    first = import_roster(ctx, system, tmp_path / "gen", progress=lambda *a: calls.append(a))
    users = 2000 + counts["guardians"]
    writing = [c for c in calls if c[0] == "writing"]
    assert sum(c[1] for c in writing) == users and {c[2] for c in writing} == {users}
    assert sum(c[1] for c in calls if c[0] == "checking the files") == users
    assert (first.students, first.guardians, first.schools) == (
        2000,
        counts["guardians"],
        counts["schools"],
    )
    assert first.links == counts["links"] and first.households > 100
    assert Student.select().where(Student.birth_date.is_null(), Student.active).count() == 0
    again = import_roster(ctx, system, tmp_path / "gen")
    assert (again.added, again.updated, again.deactivated) == (0, 0, 0)
    assert Student.select().count() == 2000 + 10  # no duplicates (10 demo students)


def test_reimport_updates_and_deactivates_but_never_deletes(ctx: Context, tmp_path, system):
    import_roster(ctx, system, write_roster(tmp_path / "r1"))
    Relationship.update(portal_access=False).where(
        Relationship.guardian == Guardian.get(Guardian.sourced_id == "p2")
    ).execute()
    changed = (
        USERS.replace("Ana,Reyes", "Anabel,Reyes")
        .replace("st2,active", "st2,tobedeleted")
        .replace("p2,active,,true,,guardian,,,Tom,Young,,,tom@example.org,,555-0300,st3,,\n", "")
        .replace("st3,active,,true,o-hs,student,st3u,,Cy,Young,,5003,,,,,11,\n",
                 "st3,active,,true,o-hs,student,st3u,,Cy,Young,,5003,,,,,12,\n")
    )  # fmt: skip
    summary = import_roster(ctx, system, write_roster(tmp_path / "r2", users_csv=changed))
    assert summary.updated == 2  # Anabel's name, Cy's grade
    # st2 (tobedeleted), p2 (gone) and p2's link to st3 (gone), p1's link to st2 stays.
    assert summary.deactivated == 3
    assert Student.get(Student.sourced_id == "st1").given_name == "Anabel"
    assert Student.get(Student.sourced_id == "st1").search_name == "anabel reyes"
    assert not Student.get(Student.sourced_id == "st2").active
    p2 = Guardian.get(Guardian.sourced_id == "p2")
    assert not p2.active
    # Nothing deleted: demo accounts (their guardians are gone from this roster) survive.
    assert PortalAccount.select().count() == 3
    assert Guardian.get(Guardian.sourced_id == "G-1003").active is False
    # The registrar's flag on an existing link is not overwritten by a re-import.
    back = USERS.replace("Ana,Reyes", "Anabel,Reyes")
    import_roster(ctx, system, write_roster(tmp_path / "r3", users_csv=back))
    link = Relationship.get(Relationship.guardian == p2)
    assert link.active and link.portal_access is False
    assert Guardian.get(Guardian.sourced_id == "p2").active


BAD_CASES = [
    (
        "missing column",
        {"users_csv": USERS_HEADER.replace(",givenName", "") + "x,active\n"},
        ["users.csv:1: missing required column(s): givenName"],
    ),
    (
        "bad date",
        {"demographics_csv": DEMOGRAPHICS + "p1,active,,1980-13-40,\n"},
        ["demographics.csv:4: birthDate '1980-13-40' is not a date (YYYY-MM-DD)"],
    ),
    (
        "unknown agent",
        {"users_csv": USERS.replace('"st1,st2"', '"st1,st9"')},
        ["users.csv:5: agentSourcedIds names 'st9', not in users.csv"],
    ),
    (
        "student linked to a student",
        {"users_csv": USERS.replace("Cy,Young,,5003,,,,,11", "Cy,Young,,5003,,,,st1,11")},
        ["users.csv:4: agentSourcedIds links student 'st3' to another student 'st1'"],
    ),
    (
        "unknown org",
        {"users_csv": USERS.replace("st3,active,,true,o-hs", "st3,active,,true,o-zz")},
        [
            "users.csv:4: orgSourcedIds names 'o-zz', not in orgs.csv",
            "users.csv:4: student 'st3' has no school (orgSourcedIds or an enrollment)",
        ],
    ),
    (
        "unknown parent org",
        {"orgs_csv": ORGS.replace("Cedar High,school,CHS,d1", "Cedar High,school,CHS,d9")},
        ["orgs.csv:4: parentSourcedId 'd9' is not in orgs.csv"],
    ),
    (
        "unknown enrollment user",
        {"enrollments_csv": ENROLLMENTS + "e2,active,,,o-es,nobody,student,false,,\n"},
        ["enrollments.csv:3: userSourcedId 'nobody' is not in users.csv"],
    ),
    (
        "duplicate sourcedId",
        {"users_csv": USERS + "st1,active,,true,o-es,student,,,Dup,Licate,,,,,,,,\n"},
        ["users.csv:7: duplicate sourcedId 'st1'"],
    ),
    (
        "control characters",
        {"users_csv": USERS.replace("Cy,Young", "Cy\x1b[31m,Young\u202e")},
        [
            "users.csv:4: givenName contains control or direction characters (U+001B)",
            "users.csv:4: familyName contains control or direction characters (U+202E)",
        ],
    ),
]


@pytest.mark.parametrize(("case", "files", "expected"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_rows_refuse_everything_and_change_nothing(
    ctx: Context, tmp_path, system, case, files, expected
) -> None:
    before = snapshot(ctx)
    with pytest.raises(RosterRejected) as caught:
        import_roster(ctx, system, write_roster(tmp_path / "bad", **files))
    assert caught.value.problems == expected
    for line in expected:
        assert line in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert snapshot(ctx) == before


def test_every_problem_is_listed_at_once(ctx: Context, tmp_path, system) -> None:
    users = USERS.replace("Cy,Young", "Cy\x07,Young") + "p1,active,,true,,parent,,,A,B,,,,,,,,\n"
    demo = DEMOGRAPHICS + "st3,active,,03/04/2011,\n"
    with pytest.raises(RosterRejected) as caught:
        import_roster(ctx, system, write_roster(tmp_path / "b", users_csv=users,
                                                demographics_csv=demo))  # fmt: skip
    assert caught.value.problems == [
        "users.csv:4: givenName contains control or direction characters (U+0007)",
        "users.csv:7: duplicate sourcedId 'p1'",
        "demographics.csv:4: birthDate '03/04/2011' is not a date (YYYY-MM-DD)",
    ]


def test_line_numbers_follow_multiline_quoted_fields(ctx: Context, tmp_path, system) -> None:
    header = USERS_HEADER.rstrip("\n") + ",notes\n"
    body = "".join(line + ",\n" for line in USERS[len(USERS_HEADER) :].splitlines())
    body = body.replace(
        "st1,active,,true,o-es,student,st1u,,Ana,Reyes,,5001,,,,p1,03,,",
        'st1,active,,true,o-es,student,st1u,,Ana,Reyes,,5001,,,,p1,03,,"line one\nline two\n'
        'line three, with a comma"',
    )
    # st2 starts on line 5 as a person sees it (the note takes lines 2-4).
    users = header + body.replace("st2,active", "st2,bogus")
    with pytest.raises(RosterRejected) as caught:
        import_roster(ctx, system, write_roster(tmp_path / "m", users_csv=users))
    assert caught.value.problems == ["users.csv:5: unknown status 'bogus'"]


def test_bom_crlf_quotes_extra_columns_and_zip_are_accepted(ctx: Context, tmp_path, system) -> None:
    header = USERS_HEADER.rstrip("\n") + ",favouriteColour,metadata.address\n"
    lines = USERS[len(USERS_HEADER) :].splitlines()
    body = "".join(line + ',blue,"12 Oak St\nApt 2"\n' for line in lines)
    body = body.replace("Tom,Young", '"Tom, Jr.",Young')
    users = "\ufeff" + (header + body).replace("\n", "\r\n").replace("St\r\nApt", "St\nApt")
    folder = write_roster(tmp_path / "z", users_csv=users, orgs_csv="\ufeff" + ORGS)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for child in folder.iterdir():
            zf.write(child, f"export/{child.name}")
    summary = import_roster(ctx, system, archive)
    assert (summary.students, summary.guardians, summary.links) == (3, 2, 3)
    tom = Guardian.get(Guardian.sourced_id == "p2")
    assert tom.given_name == "Tom, Jr." and tom.address == "12 Oak St, Apt 2"
    # Both families share the address, so they are one household.
    assert summary.households == 1


def test_oneroster_12_roles_file(ctx: Context, tmp_path, system) -> None:
    users = (
        "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,"
        "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,"
        "primaryOrgSourcedId\n"
        "st1,active,,true,st1u,,Ana,Reyes,,5001,,,,,03,,o-es\n"
        "p1,active,,true,,,Rosa,Reyes,,,,,,st1,,,\n"
        "g1,active,,true,,,Gran,Reyes,,,,,,st1,,,\n"
    )
    roles = (
        "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,"
        "orgSourcedId,userProfileSourcedId\n"
        "r1,active,,st1,primary,student,,,o-es,\n"
        "r2,active,,p1,primary,parent,,,o-es,\n"
        "r3,active,,g1,primary,relative,,,o-es,\n"
    )
    summary = import_roster(
        ctx,
        system,
        write_roster(
            tmp_path / "v12",
            users_csv=users,
            roles_csv=roles,
            enrollments_csv=None,
            demographics_csv=None,
        ),
    )
    assert (summary.students, summary.guardians, summary.links) == (1, 2, 2)
    gran = Relationship.get(Relationship.guardian == Guardian.get(Guardian.sourced_id == "g1"))
    assert gran.relation == "relative" and gran.is_guardian is False
    assert Student.get(Student.sourced_id == "st1").school.code == "MES"


def test_student_school_from_enrollments(ctx: Context, tmp_path, system) -> None:
    users = USERS.replace("st1,active,,true,o-es,", "st1,active,,true,,")
    import_roster(ctx, system, write_roster(tmp_path / "e", users_csv=users))
    assert Student.get(Student.sourced_id == "st1").school.code == "MES"


def test_missing_files_and_paths_are_explained(ctx: Context, tmp_path, system) -> None:
    with pytest.raises(RosterRejected, match=r"users\.csv: the file is missing"):
        import_roster(ctx, system, write_roster(tmp_path / "n", users_csv=None))
    with pytest.raises(Exception, match="does not exist"):
        import_roster(ctx, system, tmp_path / "nowhere")


def test_only_district_admins_import(ctx: Context, tmp_path) -> None:
    for name in ("registrar", "desk"):
        with pytest.raises(PermissionDenied):
            import_roster(ctx, staff_actor(ctx, name), write_roster(tmp_path / name))
    summary = import_roster(ctx, staff_actor(ctx, "admin"), write_roster(tmp_path / "admin"))
    assert summary.students == 3


def test_cli_json_summary_dry_run_and_refusal(ctx: Context, tmp_path) -> None:
    roster = str(write_roster(tmp_path / "c"))
    dry = invoke(ctx, tmp_path, "import", "oneroster", roster, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["students"] == 3
    assert Student.select().where(Student.sourced_id == "st1").count() == 0
    done = invoke(ctx, tmp_path, "import", "oneroster", roster, "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert set(data) == {"schools", "students", "guardians", "links", "households", "added",
                         "updated", "deactivated"}  # fmt: skip
    assert data["students"] == 3 and data["added"] == 10
    plain = invoke(ctx, tmp_path, "import", "oneroster", roster)
    assert plain.output.splitlines() == [
        "Imported 2 schools, 3 students and 2 guardians.",
        "3 links, 2 households.",
        "Added 0, updated 0, deactivated 0.",
    ]
    bad = write_roster(tmp_path / "bad", demographics_csv=DEMOGRAPHICS + "p1,active,,nope,\n")
    refused = invoke(ctx, tmp_path, "import", "oneroster", str(bad))
    assert refused.exit_code == 1
    assert "demographics.csv:4: birthDate 'nope' is not a date" in refused.output
    assert Student.select().where(Student.sourced_id == "st1").count() == 1


def test_generator_is_deterministic(tmp_path) -> None:
    generate(tmp_path / "a", 300, seed=3)
    generate(tmp_path / "b", 300, seed=3)
    for name in ("users.csv", "demographics.csv", "orgs.csv", "manifest.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    with open(tmp_path / "a" / "users.csv", newline="") as fh:
        users = list(csv.DictReader(fh))
    students = [u for u in users if u["role"] == "student"]
    guardians = [u for u in users if u["role"] != "student"]
    assert len(students) == 300
    assert 1.4 < len(guardians) / len(students) < 2.0
    assert any("," in s["agentSourcedIds"] for s in students)


def test_import_reimport_and_refusal_on_sqlite_and_postgres(any_ctx: Context, tmp_path) -> None:
    from kiosk.auth import SYSTEM

    folder = write_roster(tmp_path / "pg")
    first = import_roster(any_ctx, SYSTEM, folder)
    assert (first.students, first.guardians, first.links, first.households) == (3, 2, 3, 2)
    # New ids were given explicitly: the database's own sequence must still work afterwards.
    extra = Guardian.create(sourced_id="manual-1", given_name="M", family_name="N",
                            search_name="m n")  # fmt: skip
    assert extra.id > Guardian.get(Guardian.sourced_id == "p2").id
    changed = USERS.replace("Ana,Reyes", "Anabel,Reyes")
    again = import_roster(any_ctx, SYSTEM, write_roster(tmp_path / "pg2", users_csv=changed))
    assert (again.added, again.updated) == (0, 1)
    assert Student.get(Student.sourced_id == "st1").given_name == "Anabel"
    before = snapshot(any_ctx)
    with pytest.raises(RosterRejected):
        import_roster(any_ctx, SYSTEM, write_roster(tmp_path / "pg3",
                                                    users_csv=USERS + "st1,active\n"))  # fmt: skip
    assert snapshot(any_ctx) == before


async def test_import_screen_checks_imports_and_lists_problems(ctx: Context, tmp_path) -> None:
    from textual.widgets import Input, Static

    from kiosk.app import make_app
    from kiosk.screens.admin_import import AdminImportScreen
    from kiosk.widgets.admin_table import AdminTable

    good = write_roster(tmp_path / "good")
    bad = write_roster(tmp_path / "bad", demographics_csv=DEMOGRAPHICS + "p1,active,,nope,\n")
    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.staff = staff_actor(ctx, "admin")
        await app.push_screen(AdminImportScreen())
        screen = app.screen
        result = screen.query_one("#status", Static)

        async def press(button: str, path: Path) -> str:
            screen.query_one("#roster-path", Input).value = str(path)
            await pilot.click(button)
            await app.workers.wait_for_complete()
            await pilot.pause()
            return str(result.render())

        checked = await press("#check", good)
        assert checked.startswith("Check passed; nothing was changed.")
        assert "2 schools, 3 students" in checked
        assert Student.select().where(Student.sourced_id == "st1").count() == 0
        refused = await press("#import", bad)
        assert "Nothing was changed" in refused
        problems = [row[0] for row in screen.query_one(AdminTable).shown_rows]
        assert "demographics.csv:4: birthDate 'nope' is not a date (YYYY-MM-DD)" in problems
        await press("#import", good)  # checks, then asks for the password
        await pilot.press(*"district-admin-demo-pass", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(result.render()).startswith("Imported. 2 schools, 3 students, 2 guardians")
        assert Student.select().where(Student.sourced_id == "st1").count() == 1
        app.staff = staff_actor(ctx, "registrar")
        denied = await press("#import", good)
        assert "role does not allow" in denied


def test_an_export_without_students_is_refused(ctx: Context, tmp_path, system) -> None:
    only_parents = USERS_HEADER + "p9,active,,true,,parent,,,Solo,Parent,,,,,,,,\n"
    before = snapshot(ctx)
    with pytest.raises(RosterRejected, match="would deactivate all 10 students"):
        import_roster(
            ctx,
            system,
            write_roster(
                tmp_path / "e", users_csv=only_parents, enrollments_csv=None, demographics_csv=None
            ),
        )
    assert snapshot(ctx) == before


def test_cli_json_refusal_lists_problems(ctx: Context, tmp_path) -> None:
    bad = write_roster(tmp_path / "bad", users_csv=USERS + "st1,active\n")
    out = invoke(ctx, tmp_path, "import", "oneroster", str(bad), "--json")
    assert out.exit_code == 1
    first_line = out.output.splitlines()[0]
    assert json.loads(first_line) == {
        "error": "rejected",
        "problems": ["users.csv:7: duplicate sourcedId 'st1'"],
    }


def test_not_utf8_and_broken_quotes_are_refused_with_a_line(ctx: Context, tmp_path, system):
    folder = write_roster(tmp_path / "enc")
    (folder / "users.csv").write_bytes(
        USERS.replace("Cy,Young", "C\xe9dric,Young").encode("latin-1")
    )
    with pytest.raises(RosterRejected) as caught:
        import_roster(ctx, system, folder)
    assert caught.value.problems == [
        "users.csv:4: not valid UTF-8 text; save the file as UTF-8 CSV (Excel: 'CSV UTF-8')"
    ]
    quotes = write_roster(tmp_path / "q", users_csv=USERS.replace("Cy,Young", 'Cy,"You"ng'))
    with pytest.raises(RosterRejected) as caught:
        import_roster(ctx, system, quotes)
    assert caught.value.problems[0].startswith("users.csv:4: not valid CSV")
