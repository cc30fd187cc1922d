"""Plain records of what was tried before, as the guidance layer sees them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Tuple

# Barriers the walkthrough knows (domain brief, step 4), in the order buttons show them.
BARRIERS = (
    "personal", "scheduling", "work_shifts", "financial", "discomfort", "transport",
    "caregiving", "physical_health", "forgetting", "not_known",
)
BARRIER_NAMES = {
    "personal": "personal issues",
    "scheduling": "scheduling conflicts",
    "work_shifts": "work shifts or school",
    "financial": "financial difficulties",
    "discomfort": "discomfort with the therapy process",
    "transport": "transport",
    "caregiving": "childcare or caregiving",
    "physical_health": "physical health",
    "forgetting": "forgetting",
    "not_known": "not known yet",
}
# Outreach channels; a draft goes only through one the client consented to.
CHANNELS = ("sms", "email", "voicemail", "letter")
CHANNEL_NAMES = {"sms": "text message", "email": "e-mail", "voicemail": "voicemail script",
                 "letter": "letter", "phone": "phone call"}


@dataclass(frozen=True)
class PlanRecord:
    created_on: date
    steps: Tuple[str, ...]
    owner: str                      # "therapist" | "front_desk" | "both"
    follow_up_on: Optional[date]
    status: str                     # "open" | "closed"
    outcome: Optional[str] = None   # "worked" | "partly" | "did_not_work" | None (not yet known)
    barriers: Tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class OutreachRecord:
    on: date
    channel: str                    # one of CHANNELS, or "phone"
    outcome: str                    # "sent" | "no_answer" | "left_message" | "reached"
