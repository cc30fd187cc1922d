"""The clinic's own policy, from clinic.yml (the evidence answers are domain responses)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from reconnect.guidance.evidence import MEDICAID_NO_FEE
from reconnect.guidance.wording import money
from reconnect.settings import clinic_config


def policy_text() -> str:
    config = clinic_config()
    return "\n".join([
        f"{config.name}'s policy (clinic.yml):",
        f"- A chronic pattern: {config.chronic.describe()}.",
        f"- Review whether therapy still fits after {config.review.describe()}; "
        "a risk review comes first.",
        f"- Missed-session fee: {money(config.missed_session_fee)} under the policy the "
        "client signed. By payer: self-pay follows the signed policy; commercial plans depend "
        "on the plan's contract; Medicare only if the same policy applies to every patient, "
        "and never billed to Medicare; never for Medicaid clients "
        f"({MEDICAID_NO_FEE}); a missed session is never billed to insurance.",
        f"- Crisis line in safety steps and letters: {config.crisis_line}; emergency: "
        f"{config.emergency_number}.",
        f"- The clinic's phone number in drafts and letters: {config.contacts.phone}.",
        f"- Referrals on file for closing letters: {len(config.referrals)}.",
        "Your practice manager can change these in clinic.yml.",
    ])


class ActionClinicPolicy(Action):
    def name(self) -> Text:
        return "action_clinic_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=policy_text())
        return []
