"""The `reconnect` command: db upgrade / status and import, with DATABASE_URL pointing at the
test database (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest

from reconnect.cli import _safe_url, main
from reconnect.records import db
from reconnect.records.queries import ClientRecords

EMPTY = {"staff": 0, "clients": 0, "appointments": 0}


def _import_args(files, *extra):
    args = ["import"]
    for option in ("staff", "clients", "appointments"):
        if option in files:
            args += [f"--{option}", str(files[option])]
    return args + list(extra)


@pytest.fixture
def unmigrated_database(monkeypatch, empty_db_url) -> str:
    monkeypatch.setenv("DATABASE_URL", empty_db_url)
    return empty_db_url


# --- db ---------------------------------------------------------------------------------------

def test_db_upgrade_then_status(unmigrated_database, capsys):
    assert main(["db", "status"]) == 1
    assert "none (not migrated)" in capsys.readouterr().out

    assert main(["db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"Database is at revision {db.head_revision()}." in out
    assert db.current_revision(unmigrated_database) == db.head_revision()

    assert main(["db", "status"]) == 0
    head = db.head_revision()
    assert f"Revision: {head}; code needs {head}." in capsys.readouterr().out


def test_db_status_of_a_migrated_database(use_database, capsys):
    assert main(["db", "status"]) == 0
    assert "not migrated" not in capsys.readouterr().out


def test_urls_are_printed_without_their_password():
    shown = _safe_url("postgresql://reconnect:s3cret@db.example.org:5432/clinic")
    assert "s3cret" not in shown
    assert "reconnect:***@db.example.org" in shown


# --- import -----------------------------------------------------------------------------------

def test_import_of_good_files(use_database, clinic, capsys):
    files = clinic.files()

    assert main(_import_args(files, "--quiet")) == 0

    captured = capsys.readouterr()
    assert "Staff: 4 new, 0 updated, 0 unchanged" in captured.out
    assert "Clients: 3 new, 0 updated, 0 unchanged" in captured.out
    assert "Appointments: 4 new, 0 updated, 0 unchanged" in captured.out
    assert "Nothing changed" not in captured.out
    assert captured.err == ""  # --quiet: no progress bars
    assert ClientRecords(use_database).counts() == {"staff": 4, "clients": 3,
                                                    "appointments": 4}

    assert main(_import_args(files, "--quiet")) == 0
    out = capsys.readouterr().out
    assert "Appointments: 0 new, 0 updated, 4 unchanged" in out
    assert "Nothing changed." in out


def test_import_shows_progress_unless_quiet(use_database, clinic, capsys):
    assert main(_import_args(clinic.files())) == 0
    err = capsys.readouterr().err
    assert "Checking appointments.csv" in err
    assert "Writing appointments" in err


def test_import_of_bad_files_writes_nothing(use_database, clinic, capsys):
    clinic.clients.insert(1, clinic.client_row("C9", status="gone"))
    clinic.appointments.append(clinic.appointment_row("A9", client_id="C77"))

    assert main(_import_args(clinic.files(), "--quiet")) == 1

    captured = capsys.readouterr()
    assert "Import refused: 2 problem(s) found, nothing was written." in captured.err
    err_lines = captured.err.splitlines()
    assert "  appointments.csv:6: client_id 'C77' is not a known client" in err_lines
    assert any(line.startswith("  clients.csv:3: status 'gone' is not one of")
               for line in err_lines), err_lines
    assert "new" not in captured.out
    assert ClientRecords(use_database).counts() == EMPTY


def test_import_of_a_missing_file(use_database, clinic, tmp_path, capsys):
    files = clinic.files()
    files["appointments"] = tmp_path / "no-such-appointments.csv"

    assert main(_import_args(files)) == 2

    assert f"No such file: {files['appointments']}" in capsys.readouterr().err
    assert ClientRecords(use_database).counts() == EMPTY


def test_import_needs_a_file(use_database, capsys):
    assert main(["import"]) == 2
    assert "Give at least one of" in capsys.readouterr().err


def test_import_into_an_unmigrated_database(unmigrated_database, clinic, capsys):
    assert main(_import_args(clinic.files(), "--quiet")) == 1

    assert "reconnect db upgrade" in capsys.readouterr().err
    assert db.current_revision(unmigrated_database) is None
