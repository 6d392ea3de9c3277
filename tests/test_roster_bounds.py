"""Roster imports are bounded: total size, lines, fields, problems; duplicates refused; a zip
bomb is refused with little memory (peak resident size measured in a child process)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from kiosk.auth import SYSTEM
from kiosk.errors import ValidationError
from kiosk.services.roster import RosterRejected, import_roster
from tests.conftest import build_context, make_config
from tests.test_roster_import import ORGS, USERS, USERS_HEADER, write_roster

MIB = 2**20


def _zip(path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)


def test_a_zip_holding_a_file_twice_is_refused(ctx, tmp_path):
    archive = tmp_path / "twice.zip"
    _zip(archive, {"a/orgs.csv": ORGS, "a/users.csv": USERS, "b/users.csv": USERS_HEADER})
    with pytest.raises(ValidationError, match=r"holds users.csv twice \(a/users.csv and b/users"):
        import_roster(ctx, SYSTEM, archive)


def test_the_total_size_limit_comes_from_kiosk_toml(demo_template, tmp_path):
    import shutil

    shutil.copy(demo_template, tmp_path / "kiosk.db")
    config = make_config(tmp_path, roster={"max_total_mb": 1})
    small = build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")
    roster = write_roster(tmp_path / "big")
    (roster / "courses.csv").write_text("sourcedId\n" + "c\n" * MIB)  # 2 MB, never read
    try:
        with pytest.raises(ValidationError, match=r"holds 2 MB of files, more than the 1 MB"):
            import_roster(small, SYSTEM, roster)
        (roster / "courses.csv").unlink()
        assert import_roster(small, SYSTEM, roster).students == 3
    finally:
        small.close()


def test_an_overlong_line_is_refused_with_its_line(ctx, tmp_path):
    users = USERS + "x" * 70_000 + "\n"
    with pytest.raises(RosterRejected) as refused:
        import_roster(ctx, SYSTEM, write_roster(tmp_path / "r", users_csv=users))
    assert refused.value.problems == [
        "users.csv:7: the line is longer than 65,536 characters; this is not a OneRoster CSV "
        "file (or it is damaged)"
    ]


def test_overlong_names_and_fields_are_refused_with_file_and_line(ctx, tmp_path):
    users = USERS.replace("Rosa,Reyes", "R" * 101 + ",Reyes").replace(
        "tom@example.org", "t" * 5000 + "@example.org"
    )
    with pytest.raises(RosterRejected) as refused:
        import_roster(ctx, SYSTEM, write_roster(tmp_path / "r", users_csv=users))
    assert refused.value.problems == [
        "users.csv:5: givenName is longer than 100 characters; shorten it",
        "users.csv:6: email is longer than 4096 characters; shorten it",
    ]
    fine = USERS.replace("Rosa,Reyes", "R" * 100 + ",Reyes")
    assert import_roster(ctx, SYSTEM, write_roster(tmp_path / "ok", users_csv=fine)).guardians == 2


def test_problems_stop_at_the_limit_and_say_so(ctx, tmp_path):
    users = USERS + "st1,bogus,,true,o-es,student,,,A,B,,,,,,,,\n" * 3000
    with pytest.raises(RosterRejected) as refused:
        import_roster(ctx, SYSTEM, write_roster(tmp_path / "r", users_csv=users))
    assert len(refused.value.problems) == 1000 and refused.value.stopped
    assert "stopped after 1000 problems" in str(refused.value)


# -- zip bombs, measured in a child process ---------------------------------------------------

_MEASURE = """
import json, resource, sys, tracemalloc
from kiosk.services.roster_files import RosterSource, validate
from kiosk.errors import ValidationError
tracemalloc.start()
try:
    source = RosterSource(sys.argv[1])
    validate(source)
    outcome = "accepted"
except ValidationError as exc:
    outcome = str(exc)[:300]
python_peak = tracemalloc.get_traced_memory()[1]
# The process's own high-water mark: getrusage's ru_maxrss would also count the parent's
# size at fork (Linux keeps it across exec), so read VmHWM where the kernel offers it.
try:
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"peak": peak, "python_peak": python_peak, "outcome": outcome}))
"""


def _bomb(path, users_lines) -> None:
    """A small zip that inflates to hundreds of MB of users.csv."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("orgs.csv", ORGS)
        with archive.open("users.csv", "w", force_zip64=True) as out:
            out.write(USERS_HEADER.encode())
            for chunk in users_lines:
                out.write(chunk)


def _one_line(megabytes: int):
    block = b"a" * MIB
    for _ in range(megabytes):
        yield block  # no line break at all


def _many_problems(megabytes: int):
    row = b"st1,bogus,,true,o-es,student,,,A,B,,,,,,,,\n"
    block = row * (MIB // len(row))
    for _ in range(megabytes):
        yield block


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    _bomb(folder / "line.zip", _one_line(400))
    _bomb(folder / "problems.zip", _many_problems(400))
    return folder


@pytest.mark.parametrize(
    ("bomb", "refusal"),
    [("line.zip", "the line is longer than"), ("problems.zip", "stopped after 1000 problems")],
)
def test_a_refused_zip_bomb_stays_under_200_mib(bombs, bomb, refusal):
    path = bombs / bomb
    assert path.stat().st_size < 4 * MIB  # small on disk, 400 MB inflated
    child = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=True
    )
    result = json.loads(child.stdout)
    assert refusal in result["outcome"]
    assert result["peak"] < 200 * MIB, f"peak {result['peak'] / MIB:.0f} MiB"
    assert result["python_peak"] < 50 * MIB, f"Python peak {result['python_peak'] / MIB:.0f} MiB"
