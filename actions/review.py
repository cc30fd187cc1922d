"""When engagement does not return: the review of fit, and the closing letter."""
from __future__ import annotations

from typing import Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ClientAction, Context, Events
from reconnect.guidance.drafts import closing_letter, ending_review
from reconnect.guidance.evidence import RESCHEDULED
from reconnect.guidance.review import first_session, review_reasons


class ActionReviewFit(ClientAction):
    """Is therapy currently suitable, or does another intervention fit better?"""

    def name(self) -> Text:
        return "action_review_fit"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        reasons = review_reasons(ctx.summary, ctx.plans, ctx.config.review)
        if not reasons:
            dispatcher.utter_message(
                text=f"{ctx.client.display_name}'s record does not reach the clinic's "
                     f"review threshold yet ({ctx.config.review.describe()}). Most who miss "
                     f"once return: {RESCHEDULED}. The review below is yours to weigh; "
                     "outreach and adjustments usually come first.")
        dispatcher.utter_message(text=ending_review(ctx.client, ctx.summary, ctx.plans,
                                                    ctx.outreach, reasons))
        return [SlotSet("next_step", "review")]


class ActionDraftClosingLetter(ClientAction):
    def name(self) -> Text:
        return "action_draft_closing_letter"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        last = ctx.summary.last_attended.date() if ctx.summary.last_attended else None
        try:
            letter = closing_letter(ctx.client, ctx.staff.name, ctx.config.contacts,
                                    first_session(ctx.record.appointments), last,
                                    ctx.outreach, list(ctx.config.referrals), ctx.today)
        except ValueError:
            dispatcher.utter_message(response="utter_too_few_referrals",
                                     count=len(ctx.config.referrals))
            return []
        dispatcher.utter_message(text=letter.render())
        return [SlotSet("next_step", "review")]
