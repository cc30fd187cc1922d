"""Staff supervisors: the optional supervisor_id column of the staff import (SQLite and
PostgreSQL), checked like every other reference, and kept when a later export leaves it out."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from reconnect.records import db
from reconnect.records.importer import ImportFailed, import_clinic
from reconnect.records.models import Staff
from tests.records.conftest import STAFF_COLUMNS

WITH_SUPERVISOR = STAFF_COLUMNS + ["supervisor_id"]


def _supervisors(url):
    with db.session_scope(url) as session:
        return {s.id: s.supervisor_id for s in session.execute(select(Staff)).scalars()}


def test_supervisor_ids_import_in_any_row_order(db_url, clinic):
    # T1 names S1 before S1's own row: the supervisor is written first all the same.
    for row in clinic.staff:
        row["supervisor_id"] = {"T1": "S1", "T2": "S1"}.get(row["staff_id"], "")
    import_clinic(staff=clinic.staff_csv(fieldnames=WITH_SUPERVISOR), url=db_url)
    assert _supervisors(db_url) == {"T1": "S1", "T2": "S1", "F1": None, "S1": None}


def test_an_export_without_the_column_keeps_the_supervisors(db_url, clinic):
    for row in clinic.staff:
        row["supervisor_id"] = "S1" if row["staff_id"] == "T1" else ""
    import_clinic(staff=clinic.staff_csv(fieldnames=WITH_SUPERVISOR), url=db_url)
    for row in clinic.staff:
        del row["supervisor_id"]
    report = import_clinic(staff=clinic.staff_csv(), url=db_url)
    assert report.staff.updated == 0
    assert _supervisors(db_url)["T1"] == "S1"


@pytest.mark.parametrize("supervisor, reason", [
    ("S9", "supervisor_id 'S9' is not a known staff id"),
    ("T2", "supervisor_id 'T2' is a therapist, not a supervisor"),
    ("F1", "supervisor_id 'F1' is a front_desk, not a supervisor"),
])
def test_a_supervisor_who_is_not_one_is_refused_and_nothing_written(db_url, clinic,
                                                                     supervisor, reason):
    for row in clinic.staff:
        row["supervisor_id"] = supervisor if row["staff_id"] == "T1" else ""
    with pytest.raises(ImportFailed) as failed:
        import_clinic(staff=clinic.staff_csv(fieldnames=WITH_SUPERVISOR), url=db_url)
    assert [(e.line, e.reason) for e in failed.value.errors] == [(2, reason)]
    assert _supervisors(db_url) == {}
