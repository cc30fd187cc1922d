"""Settings from the environment and the clinic's policy file.

Environment variables (defaults in brackets) are documented in the README:
DATABASE_URL [sqlite:///var/reconnect.db], RECONNECT_TIMEZONE [from clinic.yml],
RECONNECT_TODAY [the clinic's current date], RECONNECT_CLINIC_CONFIG [clinic.yml],
RECONNECT_MAX_MESSAGE_CHARS [max_message_chars in clinic.yml, else 2000].
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

from reconnect.guidance.attendance import Rule
from reconnect.guidance.contacts import ClinicContacts
from reconnect.guidance.review import ReviewThreshold
from reconnect.guidance.safety import SafetyRule

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'reconnect.db'}"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class Referral:
    name: str
    phone: str
    note: str = ""


class ClinicConfigError(ValueError):
    """clinic.yml is missing, or a setting in it is missing or wrong; the message says which."""


@dataclass(frozen=True)
class ClinicConfig:
    contacts: ClinicContacts
    timezone: str = "America/New_York"
    chronic: Rule = field(default_factory=Rule)
    # Days of the window the attendance summary reports on.
    summary_window_days: int = 90
    review: ReviewThreshold = field(default_factory=ReviewThreshold)
    missed_session_fee: Decimal = Decimal("75.00")
    referrals: Tuple[Referral, ...] = ()
    safety: SafetyRule = field(default_factory=SafetyRule)
    # Days between a closing letter and the closing date it names.
    closing_notice_days: int = 14
    # The furthest ahead a plan's follow-up may be set, in days.
    follow_up_horizon_days: int = 180
    # Conversations idle longer than this are deleted by `reconnect conversations prune`.
    conversation_retention_days: int = 30

    @property
    def name(self) -> str:
        return self.contacts.name

    @property
    def crisis_line(self) -> str:
        return self.contacts.crisis_line

    @property
    def emergency_number(self) -> str:
        return self.contacts.emergency_number


# What a clinic must say for itself: no default could be right for every clinic, and a wrong
# number in a safety step or a letter is worse than a clear error at start-up.
REQUIRED_CONTACTS = ("name", "phone", "crisis_line", "emergency_number")


def _config_path() -> Path:
    return Path(os.environ.get("RECONNECT_CLINIC_CONFIG") or PROJECT_ROOT / "clinic.yml")


@lru_cache(maxsize=None)
def _load_config(path: str, mtime: float) -> ClinicConfig:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    missing = [key for key in REQUIRED_CONTACTS if not str(raw.get(key) or "").strip()]
    if missing:
        raise ClinicConfigError(f"{path}: set {', '.join(missing)} (see the project's clinic.yml)")
    contacts = ClinicContacts(*(str(raw[key]).strip() for key in REQUIRED_CONTACTS))
    chronic = raw.get("chronic_pattern") or {}
    rule = Rule(
        consecutive=int(chronic.get("consecutive_no_shows", Rule.consecutive)),
        in_window=int(chronic.get("no_shows_in_window", Rule.in_window)),
        window_days=int(chronic.get("window_days", Rule.window_days)),
    )
    if min(rule.consecutive, rule.in_window, rule.window_days) < 1:
        raise ClinicConfigError(f"{path}: chronic_pattern values must be positive whole numbers")
    tz = raw.get("timezone", ClinicConfig.timezone)
    ZoneInfo(tz)  # fails clearly on an unknown zone
    review = raw.get("review") or {}
    safety = _safety_rule(path, raw.get("safety_first") or {})
    referrals = tuple(Referral(str(r["name"]), str(r.get("phone", "")), str(r.get("note", "")))
                      for r in raw.get("referrals") or [])
    return ClinicConfig(
        contacts=contacts,
        timezone=tz,
        chronic=rule,
        summary_window_days=int(raw.get("summary_window_days", 90)),
        review=ReviewThreshold(
            consecutive=int(review.get("consecutive_no_shows", ReviewThreshold.consecutive)),
            weeks_absent_after_plan=int(review.get("weeks_absent_after_plan",
                                                   ReviewThreshold.weeks_absent_after_plan))),
        missed_session_fee=Decimal(str(raw.get("missed_session_fee", "75.00"))).quantize(
            Decimal("0.01")),
        referrals=referrals,
        safety=safety,
        closing_notice_days=_positive(path, raw, "closing_notice_days", 14),
        follow_up_horizon_days=_positive(path, raw, "follow_up_horizon_days", 180),
        conversation_retention_days=_positive(path, raw, "conversation_retention_days", 30),
    )


def _positive(path: str, raw: dict, key: str, default: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or value < 1:
        raise ClinicConfigError(f"{path}: {key} must be a positive whole number of days")
    return value


def _safety_rule(path: str, raw: dict) -> SafetyRule:
    levels = tuple(str(level) for level in raw.get("risk_levels", SafetyRule.levels))
    unknown = [level for level in levels if level not in ("low", "elevated", "high")]
    days = int(raw.get("absence_days", SafetyRule.absence_days))
    threshold = float(raw.get("model_threshold", SafetyRule.model_threshold))
    if unknown or days < 1 or not 0 <= threshold <= 1:
        raise ClinicConfigError(f"{path}: safety_first takes risk_levels among low, elevated, "
                                "high, a positive absence_days and a model_threshold from 0 "
                                "to 1")
    return SafetyRule(levels, days, threshold)


def clinic_config() -> ClinicConfig:
    path = _config_path()
    if not path.exists():
        raise ClinicConfigError(f"{path} not found: the clinic's policy file is required "
                                "(RECONNECT_CLINIC_CONFIG names another)")
    return _load_config(str(path), path.stat().st_mtime)


def clinic_timezone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("RECONNECT_TIMEZONE") or clinic_config().timezone)


def _fixed_today() -> Optional[date]:
    value = os.environ.get("RECONNECT_TODAY")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"RECONNECT_TODAY must be YYYY-MM-DD, got {value!r}") from exc


def clinic_today() -> date:
    """The clinic's current date in its own time zone (or RECONNECT_TODAY)."""
    return _fixed_today() or datetime.now(clinic_timezone()).date()


def clinic_now() -> datetime:
    """The clinic's local wall-clock time, naive like the appointment times.

    With RECONNECT_TODAY set, it is the start of that day, so that runs repeat exactly.
    """
    fixed = _fixed_today()
    if fixed:
        return datetime.combine(fixed, datetime.min.time())
    return datetime.now(clinic_timezone()).replace(tzinfo=None)


DEFAULT_MAX_MESSAGE_CHARS = 2000


class SettingError(ValueError):
    """A setting of the channels is wrong; the message names it (never a message's text)."""


def max_message_chars() -> int:
    """The longest message the assistant reads: RECONNECT_MAX_MESSAGE_CHARS, else
    `max_message_chars` in clinic.yml, else 2,000 characters. Longer ones are refused before
    the NLU sees them."""
    raw = os.environ.get("RECONNECT_MAX_MESSAGE_CHARS")
    where = "RECONNECT_MAX_MESSAGE_CHARS"
    if not raw:
        path = _config_path()
        policy = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
        raw = (policy or {}).get("max_message_chars") if isinstance(policy, dict) else None
        where = f"max_message_chars in {path}"
    if raw in (None, ""):
        return DEFAULT_MAX_MESSAGE_CHARS
    try:
        value = int(str(raw))
    except ValueError:
        raise SettingError(f"{where} must be a whole number of characters") from None
    if value < 1:
        raise SettingError(f"{where} must be at least 1")
    return value


DEFAULT_WIDGET_URL = "http://127.0.0.1:5005/webhooks/widget/"


@dataclass(frozen=True)
class SlackMode:
    """What Reconnect may put into Slack (clinic.yml, `slack:`).

    health_information False (the default): nothing that identifies a client goes to Slack,
    only counts, rates and what needs doing, with a link to the signed-in widget. True: the
    clinic states it has Slack's business associate agreement and configuration for health
    information; then direct messages carry each role's view."""

    health_information: bool = False
    widget_url: str = DEFAULT_WIDGET_URL

    @property
    def line(self) -> str:
        if self.health_information:
            return ("health information ALLOWED in direct messages (clinic.yml slack."
                    "health_information: the clinic has Slack's agreement and configuration)")
        return "NO health information: counts and links to the widget only (clinic.yml)"


def slack_mode() -> SlackMode:
    """The clinic's Slack mode; RECONNECT_WIDGET_URL overrides the widget link."""
    path = _config_path()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    section = (raw or {}).get("slack") if isinstance(raw, dict) else None
    section = section or {}
    if not isinstance(section, dict):
        raise ClinicConfigError(f"{path}: slack must be a mapping")
    allowed = section.get("health_information", False)
    if not isinstance(allowed, bool):
        raise ClinicConfigError(f"{path}: slack.health_information must be true or false")
    url = (os.environ.get("RECONNECT_WIDGET_URL") or str(section.get("widget_url") or "")
           or DEFAULT_WIDGET_URL)
    return SlackMode(allowed, url)
