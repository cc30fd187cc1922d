"""When engagement does not return: the review of fit, and the closing letter."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Context, with_client
from actions.guidance.drafts import closing_letter, ending_review
from actions.guidance.review import first_session, review_reasons
from actions.records.queries import ClientRecords
from actions.safety_gate import safety_first


class ActionReviewFit(Action):
    """Is therapy currently suitable, or does another intervention fit better?"""

    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_review_fit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        def step(ctx: Context):
            held = safety_first(ctx, tracker, dispatcher)
            if held is not None:
                return held
            reasons = review_reasons(ctx.summary, ctx.plans, ctx.config.review)
            if not reasons:
                dispatcher.utter_message(
                    text=f"{ctx.client.display_name}'s record does not reach the clinic's "
                         f"review threshold yet ({ctx.config.review.describe()}). Most clients "
                         "who miss come back: 71.1% of missed visits were rescheduled by the "
                         "patient, most within two weeks. The review below is yours to weigh; "
                         "outreach and adjustments usually come first.")
            dispatcher.utter_message(text=ending_review(ctx.client, ctx.summary, ctx.plans,
                                                        ctx.outreach, reasons))
            return [SlotSet("next_step", "review")]

        return await with_client(self.records, tracker, dispatcher, step)


class ActionDraftClosingLetter(Action):
    def __init__(self, records: Optional[ClientRecords] = None):
        self.records = records or ClientRecords()

    def name(self) -> Text:
        return "action_draft_closing_letter"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        def step(ctx: Context):
            held = safety_first(ctx, tracker, dispatcher)
            if held is not None:
                return held
            last = ctx.summary.last_attended.date() if ctx.summary.last_attended else None
            try:
                letter = closing_letter(ctx.client, ctx.staff.name, ctx.config.name,
                                        first_session(ctx.record.appointments), last,
                                        ctx.outreach, list(ctx.config.referrals), ctx.today,
                                        ctx.config.crisis_line)
            except ValueError:
                dispatcher.utter_message(response="utter_too_few_referrals",
                                         count=len(ctx.config.referrals))
                return []
            dispatcher.utter_message(text=letter.render())
            return [SlotSet("next_step", "review")]

        return await with_client(self.records, tracker, dispatcher, step)
