"""When to offer the review of whether therapy still fits (domain brief, step 7)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import List, Optional, Sequence

from reconnect.guidance.attendance import AttendanceSummary
from reconnect.guidance.history import PlanRecord
from reconnect.guidance.wording import day


@dataclass(frozen=True)
class ReviewThreshold:
    consecutive: int = 3
    weeks_absent_after_plan: int = 4

    def describe(self) -> str:
        return (f"{self.consecutive} consecutive no-shows, or {self.weeks_absent_after_plan} "
                "weeks without a kept session after a plan")


def review_reasons(summary: AttendanceSummary, plans: Sequence[PlanRecord],
                   rule: ReviewThreshold) -> List[str]:
    """What in the record reaches the clinic's threshold; empty when nothing does."""
    reasons = []
    if summary.current_run >= rule.consecutive:
        reasons.append(f"{summary.current_run} consecutive no-shows (clinic threshold: "
                       f"{rule.consecutive})")
    latest = max(plans, key=lambda p: p.created_on) if plans else None
    if latest is not None:
        kept_since = (summary.last_attended is not None
                      and summary.last_attended.date() >= latest.created_on)
        weeks = (summary.today - latest.created_on).days // 7
        if not kept_since and weeks >= rule.weeks_absent_after_plan:
            reasons.append(f"no kept session in the {weeks} weeks since the plan of "
                           f"{day(latest.created_on)} (clinic threshold: "
                           f"{rule.weeks_absent_after_plan} weeks)")
    return reasons


def first_session(appointments: Sequence, kept_only: bool = True) -> Optional[date]:
    dates = [a.start.date() for a in appointments
             if a.status == "attended" or (not kept_only and a.status != "scheduled")]
    return min(dates) if dates else None
