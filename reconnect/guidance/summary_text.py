"""The attendance summary as a therapist reads it: one glance, facts only, no diagnosis."""
from __future__ import annotations

from typing import List

from reconnect.guidance.attendance import MODALITY_NAMES, AttendanceSummary, Counts
from reconnect.guidance.client import ClientLike
from reconnect.guidance.wording import ago, day, moment, money, plural

PAYER_NAMES = {"self_pay": "self-pay", "commercial": "commercial insurance",
               "medicaid": "Medicaid", "medicare": "Medicare"}


def _counts(c: Counts, with_cancelled: bool = False) -> str:
    parts = [f"{c.attended} attended", plural(c.no_show, "no-show"),
             plural(c.late_cancel, "late cancellation")]
    if with_cancelled:
        parts.append(f"{c.cancelled} cancelled with notice")
    return ", ".join(parts)


def render_summary(client: ClientLike, s: AttendanceSummary) -> str:
    lines: List[str] = [
        f"{client.display_name}: attendance from the clinic record, as of {day(s.today)}"
        + ("" if client.status == "active" else f" (status: {client.status})"),
    ]
    if not s.has_history:
        lines.append("No sessions recorded yet.")
    else:
        lines.append(f"- Last {s.window_days} days: {_counts(s.window)}.")
        lines.append(f"- In total: {_counts(s.total, with_cancelled=True)}.")
        lines.append(f"- Current run: {plural(s.current_run, 'consecutive no-show')}.")
        if s.last_attended:
            lines.append(f"- Last attended: {day(s.last_attended.date())} "
                         f"({ago(s.last_attended.date(), s.today)}).")
        else:
            lines.append("- Last attended: never.")
    if s.next_booked:
        lines.append(f"- Next booked: {moment(s.next_booked)}, "
                     f"{MODALITY_NAMES.get(s.next_booked_modality or '', s.next_booked_modality)}.")
    else:
        lines.append("- Next booked: nothing booked.")
    if s.unrecorded:
        lines.append(f"- {plural(s.unrecorded, 'past session')} still without a recorded "
                     "outcome.")
    if s.recent_change:
        kept, of, until = s.recent_change
        lines.append(f"- A recent change: kept {kept} of {of} sessions until {day(until)}, then "
                     f"missed the last {s.current_run}. A change after a long run of kept "
                     "sessions points to something new in the client's life more than to the "
                     "slot: ask what changed.")
    if s.patterns:
        lines.append("- When misses happen: " + "; ".join(p.describe() for p in s.patterns)
                     + ".")
    elif s.has_history and not (s.total.no_show or s.total.late_cancel):
        lines.append("- When misses happen: no missed sessions on record.")
    elif s.has_history:
        lines.append("- When misses happen: no clear weekday, time-of-day or modality pattern.")
    lines.append(f"- Fees owed: {money(s.amount_owed)}. Payer: "
                 f"{PAYER_NAMES.get(client.payer, client.payer)}.")
    review = (f"last reviewed {day(client.last_risk_review)} "
              f"({ago(client.last_risk_review, s.today)})" if client.last_risk_review
              else "no risk review on record")
    lines.append(f"- Risk level: {client.risk_level}, {review}.")
    lines.append(f"Verdict: {s.verdict.describe()}")
    return "\n".join(lines)
