"""When engagement does not return: the review of fit, and the closing letter."""
from __future__ import annotations

from typing import Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import ClientAction, Context, Events, first_entity
from reconnect.guidance.drafts import (
    closing_letter,
    completion_letter,
    ending_review,
    letter_kind,
    letter_omissions,
)
from reconnect.guidance.evidence import RESCHEDULED
from reconnect.guidance.review import first_session, review_reasons


class ActionReviewFit(ClientAction):
    """Is therapy currently suitable, or does another intervention fit better?"""

    ending = True  # waits while a safety concern about the client is open

    asked = "whether therapy still fits for {client}"

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
                                                    ctx.outreach, reasons, ctx.config.safety))
        return [SlotSet("next_step", "review")]


class ActionDraftClosingLetter(ClientAction):
    """The right letter: a completion letter at a planned ending, the "unable to reach you"
    letter only for a client who stopped coming; parts the therapist rules out are left out
    and stay out for the rest of the conversation (slot `letter_omit`)."""

    ending = True  # waits while a safety concern about the client is open

    asked = "closing {client}'s file"

    def name(self) -> Text:
        return "action_draft_closing_letter"

    def step(self, ctx: Context, tracker: Tracker, dispatcher: CollectingDispatcher) -> Events:
        text = tracker.latest_message.get("text") or ""
        asked, refused = letter_omissions(text)
        omit = sorted(set(tracker.get_slot("letter_omit") or []) | set(asked))
        if refused:
            dispatcher.utter_message(response="utter_letter_keeps_referrals")
        kind = tracker.get_slot("letter_kind") if not text.startswith("/") else None
        kind = letter_kind(ctx.client, ctx.summary, text) or (
            first_entity(tracker, "letter_kind") or kind)
        if kind not in ("completion", "unreachable"):
            dispatcher.utter_message(response="utter_which_letter",
                                     client=ctx.client.display_name)
            return [SlotSet("letter_omit", omit)]
        last = ctx.summary.last_attended.date() if ctx.summary.last_attended else None
        try:
            if kind == "completion":
                letter = completion_letter(ctx.client, ctx.staff.name, ctx.config.contacts,
                                           first_session(ctx.record.appointments), last,
                                           list(ctx.config.referrals), ctx.today)
            else:
                letter = closing_letter(ctx.client, ctx.staff.name, ctx.config.contacts,
                                        first_session(ctx.record.appointments), last,
                                        ctx.outreach, list(ctx.config.referrals), ctx.today,
                                        omit, ctx.config.closing_notice_days)
        except ValueError:
            dispatcher.utter_message(response="utter_too_few_referrals",
                                     count=len(ctx.config.referrals))
            return []
        dispatcher.utter_message(text=letter.render())
        return [SlotSet("next_step", "review"), SlotSet("letter_omit", omit),
                SlotSet("letter_kind", kind)]

