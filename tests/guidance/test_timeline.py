"""The attendance timeline: one mark per booked session, outcome by shape and colour, one row
per modality, weekday and time of day, and a text alternative with the same facts."""
from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

from reconnect.guidance.timeline import COLOURS, attendance_timeline
from tests.guidance.plain import TODAY, Appt

MONDAY_9 = datetime(2026, 3, 9, 9, 0)
THURSDAY_17 = datetime(2026, 3, 12, 17, 30)


def _history():
    appts = []
    for week in range(1, 11):
        appts.append(Appt(MONDAY_9 - timedelta(weeks=week), "no_show" if week % 2 else "attended"))
        appts.append(Appt(THURSDAY_17 - timedelta(weeks=week), "attended", "telehealth"))
    appts += [Appt(MONDAY_9 - timedelta(weeks=11), "late_cancel"),
              Appt(MONDAY_9 - timedelta(weeks=12), "cancelled"),
              Appt(MONDAY_9 + timedelta(weeks=2), "scheduled"),
              Appt(MONDAY_9 - timedelta(weeks=40), "attended"),      # before the 6 months
              Appt(MONDAY_9 + timedelta(weeks=10), "scheduled")]     # too far ahead
    return appts


def test_one_mark_per_booked_session_with_shape_and_colour():
    timeline = attendance_timeline("Dana Whitfield", _history(), TODAY)
    svg = ElementTree.fromstring(timeline.svg)
    assert svg.tag.endswith("svg") and svg.get("role") == "img"
    marks = re.findall(r'(circle|path|rect) [^>]*?(?:fill|stroke)="(#[0-9A-F]{6})"', timeline.svg)
    by_colour = {colour: sum(1 for _, c in marks if c == colour) for colour in COLOURS.values()}
    # 10 attended Thursdays + 5 attended Mondays, 5 no-shows, 1 late, 1 cancelled, 1 booked;
    # the legend adds one of each.
    assert by_colour[COLOURS["attended"]] == 15 + 1
    assert by_colour[COLOURS["no_show"]] == 5 + 1
    assert by_colour[COLOURS["late_cancel"]] == 1 + 1
    assert by_colour[COLOURS["cancelled"]] == 1 + 1
    # Shapes tell the outcomes apart without colour: a cross, a triangle, a square, a dashed ring.
    assert timeline.svg.count('stroke-linecap="round"') == 6
    assert timeline.svg.count("<rect x=") >= 2 and "stroke-dasharray=\"3 2\"" in timeline.svg


def test_rows_show_modality_weekday_and_time_of_day():
    timeline = attendance_timeline("Dana Whitfield", _history(), TODAY)
    assert "In person, Mon morning" in timeline.svg
    assert "Telehealth, Thu evening" in timeline.svg


def test_the_text_alternative_states_the_facts():
    alt = attendance_timeline("Dana Whitfield", _history(), TODAY).alt
    assert alt.startswith("Attendance timeline of Dana Whitfield from 15 Sep 2025 to 16 Mar 2026")
    # The session of 40 weeks ago and the booking 10 weeks ahead are outside the picture.
    assert ("23 sessions: 15 attended, 5 no-shows, 1 late cancellation, 1 cancelled with "
            "notice, 1 booked, no outcome yet.") in alt
    assert "In person, Monday morning: 13 sessions, 5 attended, 5 no-shows" in alt
    assert "Telehealth, Thursday evening: 10 sessions, 10 attended." in alt


def test_the_picture_travels_inside_the_message_and_names_are_escaped():
    timeline = attendance_timeline("<script>Kat & Co</script>", _history(), TODAY)
    payload = timeline.payload()
    assert payload["type"] == "attendance_timeline"
    assert payload["image"].startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(payload["image"].split(",", 1)[1]).decode()
    assert "<script>" not in svg and "&lt;script&gt;Kat &amp; Co" in svg
    ElementTree.fromstring(svg)


def test_no_sessions_says_so():
    timeline = attendance_timeline("Sam Greene", [], TODAY)
    assert "no sessions booked" in timeline.alt and "No sessions booked" in timeline.svg
