"""One rule for control and direction characters, at every stored text column.

The walk goes over every text column of every model (``ALL_MODELS``): each is a guarded type,
and writing ESC, an OSC sequence or U+202E into it is refused on SQLite and PostgreSQL, through
peewee and through the importer's prepared statements. Then every column the importer stores
is shown to be refused with ``file:line``.
"""

from __future__ import annotations

import peewee as pw
import pytest

from kiosk.auth import SYSTEM
from kiosk.errors import ValidationError
from kiosk.services import staff
from kiosk.services.roster import RosterRejected, import_roster
from kiosk.services.roster_csv import STORED_COLUMNS
from kiosk.store.bulk import BulkInsert, update_many
from kiosk.store.models import ALL_MODELS, GUARDED_TEXT, Guardian
from tests.test_roster_import import USERS, USERS_HEADER, write_roster

HOSTILE = ("\x1b[2J", "\x1b]0;owned\x07", "Ro\u202esa", "\x9b31m", "a\u2066b")


def _text_fields() -> list[tuple[type[pw.Model], pw.Field]]:
    return [
        (model, f)
        for model in ALL_MODELS
        for f in model._meta.sorted_fields
        if f.field_type in ("VARCHAR", "TEXT", "CHAR")
    ]


def test_every_text_column_of_every_model_is_guarded():
    fields = _text_fields()
    assert len(fields) > 60  # the walk really walks
    unguarded = [f"{m.__name__}.{f.name}" for m, f in fields if not isinstance(f, GUARDED_TEXT)]
    assert unguarded == []


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_text_column_refuses_control_characters(any_ctx, hostile):
    for model, f in _text_fields():
        refused = pytest.raises(ValidationError, match="control or direction characters")
        with refused, any_ctx.store.write():
            model.update({f: hostile}).where(model.id == -1).execute()
        with refused, any_ctx.store.write():
            model.insert({f: hostile}).execute()


def test_the_importers_prepared_statements_follow_the_same_rule(any_ctx):
    columns = [Guardian.id, Guardian.sourced_id, Guardian.given_name, Guardian.family_name,
               Guardian.search_name]  # fmt: skip
    with pytest.raises(ValidationError, match="Given name"), any_ctx.store.write():
        batch = BulkInsert(any_ctx.store.db, Guardian, columns)
        batch.add((999999, "x1", "Ro\u202esa", "Reyes", "rosa reyes"))
        batch.flush()
    with pytest.raises(ValidationError, match="Address"), any_ctx.store.write():
        update_many(any_ctx.store.db, Guardian, ["address"], [("1 Main\x1b[8m St", 1)])


def test_a_form_refuses_them_too(ctx):
    with pytest.raises(ValidationError, match="control or direction"):
        staff.add_staff(ctx, SYSTEM, "newdesk", "a long staff passphrase", "front_desk",
                        ["ES"], "Desk\u202eNoted")  # fmt: skip


ROW = 'p1,active,,true,,parent,,,Rosa,Reyes,,,rosa@example.org,,(555) 010-2000,"st1,st2",,'


@pytest.mark.parametrize("column", [*STORED_COLUMNS["users.csv"]])
def test_every_stored_users_column_is_checked_with_file_and_line(ctx, tmp_path, column):
    header = USERS_HEADER.rstrip("\n").split(",")
    if column not in header:
        header.append(column)
    users = USERS.replace(USERS_HEADER, ",".join(header) + "\n")
    extra = len(header) - len(USERS_HEADER.rstrip("\n").split(","))
    lines = [line + "," * extra for line in users.splitlines()[1:]]
    cells = next(_csv_cells(lines[3]))  # p1, on line 5
    cells[header.index(column)] = cells[header.index(column)] + "\x1b]8;;evil\x07"
    lines[3] = ",".join(f'"{c}"' for c in cells)
    roster = write_roster(tmp_path / column, users_csv=users.splitlines()[0] + "\n"
                          + "\n".join(lines) + "\n")  # fmt: skip
    with pytest.raises(RosterRejected) as refused:
        import_roster(ctx, SYSTEM, roster)
    wanted = f"users.csv:5: {column} contains control or direction characters (U+001B, U+0007)"
    assert wanted in refused.value.problems


def _csv_cells(line: str):
    import csv

    return csv.reader([line])


@pytest.mark.parametrize(
    ("name", "text", "column"),
    [
        ("orgs.csv", "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
                     "d1,active,,Test District,district,TD,\n"
                     "o-es,active,,Maple\u202e Elementary,school,MES,d1\n"
                     "o-hs,active,,Cedar High,school,CHS,d1\n", "name"),
        ("enrollments.csv", "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
                            "userSourcedId,role,primary,beginDate,endDate\n"
                            "e1,active,,,o-es,st1,stu\x1bdent,false,,\n", "role"),
        ("demographics.csv", "sourcedId,status,dateLastModified,birthDate,sex\n"
                             "st1,active,,2017-02-03\x9b,female\n", "birthDate"),
    ],
)  # fmt: skip
def test_other_files_are_checked_too(ctx, tmp_path, name, text, column):
    roster = write_roster(tmp_path / "r", **{name.replace(".", "_"): text})
    with pytest.raises(RosterRejected) as refused:
        import_roster(ctx, SYSTEM, roster)
    assert any(
        p.startswith(f"{name}:") and f"{column} contains control" in p
        for p in refused.value.problems
    ), refused.value.problems


def test_a_multiline_address_is_still_accepted(ctx, tmp_path):
    header = USERS_HEADER.rstrip("\n") + ",metadata.address\n"
    body = "".join(line + ",\n" for line in USERS[len(USERS_HEADER) :].splitlines())
    body = body.replace('"st1,st2",,,', '"st1,st2",,,"12 Oak St\nApt 2"')
    import_roster(ctx, SYSTEM, write_roster(tmp_path / "a", users_csv=header + body))
    assert Guardian.get(Guardian.sourced_id == "p1").address == "12 Oak St, Apt 2"


@pytest.mark.parametrize(
    ("column", "empty_row", "problem"),
    [
        ("givenName", ROW.replace("Rosa,Reyes", ",Reyes"), "users.csv:5: givenName is empty"),
        ("familyName", ROW.replace("Rosa,Reyes", "Rosa,"), "users.csv:5: familyName is empty"),
        ("sourcedId", ROW.replace("p1,active", ",active"), "users.csv:5: sourcedId is empty"),
        ("role", ROW.replace(",parent,", ",,"), "users.csv:5: role is empty"),
    ],
)
def test_required_oneroster_fields_are_refused_when_empty(ctx, tmp_path, column, empty_row,
                                                          problem):  # fmt: skip
    users = USERS.replace(ROW, empty_row)
    assert users != USERS, column
    with pytest.raises(RosterRejected) as refused:
        import_roster(ctx, SYSTEM, write_roster(tmp_path / column, users_csv=users))
    assert problem in refused.value.problems


def test_required_enrollment_and_org_fields_are_refused_when_empty(ctx, tmp_path):
    enrollments = ("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
                   "userSourcedId,role,primary,beginDate,endDate\n"
                   ",active,,,,st1,student,false,,\n")  # fmt: skip
    orgs = ("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
            "d1,active,,,,TD,\no-es,active,,Maple Elementary,school,MES,d1\n"
            "o-hs,active,,Cedar High,school,CHS,d1\n")  # fmt: skip
    roster = write_roster(tmp_path / "e", enrollments_csv=enrollments, orgs_csv=orgs)
    with pytest.raises(RosterRejected) as refused:
        import_roster(ctx, SYSTEM, roster)
    for problem in ("orgs.csv:2: type is empty", "orgs.csv:2: name is empty",
                    "enrollments.csv:2: sourcedId is empty",
                    "enrollments.csv:2: schoolSourcedId is empty"):  # fmt: skip
        assert problem in refused.value.problems
