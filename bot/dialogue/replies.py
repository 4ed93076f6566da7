"""The bot's fixed sentences outside the advice (advice: bot/clinical/guidance.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GREETING = (
    "Hi, I'm a guide for twitching in the face, eyelid or cheek. Tell me in your "
    "own words what you notice: where it twitches, on which side, and for how "
    "long. I'll ask a few short questions and tell you how soon to get care.\n\n"
    "_General information, not a diagnosis. In an emergency call 911 or your "
    "local emergency number._"
)
HELLO_AGAIN = "Hi again."
ABOUT_SOMEONE_ELSE = (
    "I'll take my questions as being about the person you're describing. If "
    "they're with you, please ask them or check for yourself."
)
INVITE = (
    "To get started, tell me where you notice the twitching and how long it has "
    "been going on."
)
INVITE_AFTER_ANSWER = (
    "If you'd like advice for your own twitch, tell me where it is and how long it "
    "has been going on."
)
ANYTHING_ELSE = (
    'Okay. If you\'d like, tell me more about the twitching, or say "start over" '
    "to begin again."
)
THANKS = "You're welcome."
THANKS_AFTER_ADVICE = (
    "You're welcome. Is there anything else you'd like to tell me about the "
    "twitching?"
)
GOODBYE = (
    "Take care. If anything changes, like drooping, spreading or pain, come back "
    "or see a doctor."
)
GOODBYE_MID_INTERVIEW = (
    "Take care. If you come back, just answer my last question and I'll give you "
    "my advice."
)
I_AM_A_BOT = (
    "I'm an automated guide, not a doctor or a person. I give general information "
    "from two health articles and tell you how soon to get care."
)
WHY_ASK_GENERAL = (
    "I ask a few short questions so I can tell how soon you should get care, and "
    "point you to the right advice."
)
NOT_UNDERSTOOD = (
    "Sorry, I didn't quite get that. You can answer in your own words, or tap one "
    "of the buttons."
)
NOT_UNDERSTOOD_VALUE = "Sorry, I didn't quite get that."
MOVE_ON = "No problem, I'll note that as not sure and move on."
MOVE_ON_WHICH = (
    "I couldn't tell which one, so to be safe I'll count all of them. Tell me if "
    "that's wrong."
)
OFF_TOPIC = (
    "I'm a guide for twitching in the face, eyelid or cheek, so I can't help with "
    "that, sorry."
)
EMPTY = "It looks like your message was empty. Please type your answer."
NO_WORDS = (
    "I couldn't find any words in that message. Could you tell me in a few words?"
)
OTHER_LANGUAGE = (
    "Sorry, I can only understand English for now. If this is an emergency, call "
    "your local emergency number."
)
TRUNCATED = "Your message was very long, so I read only its first {n} characters."
UPDATED = "Thanks, I've updated my advice with what you told me."
UNCHANGED = "Thanks for the update. My advice stays the same."
START_OVER = (
    "Okay, let's start over. Tell me what you notice: where it twitches, on which "
    "side, and for how long."
)
CONFIRM_FORGET = (
    "Do you want me to delete this whole conversation and everything I noted from "
    "it? This cannot be undone."
)
FORGOTTEN = (
    "Done: I have deleted this conversation and everything I noted from it. If "
    "you write again, we start from scratch."
)
NOT_FORGOTTEN = "Okay, I haven't deleted anything."
NOTHING_TO_SUMMARISE = (
    "There is nothing to summarise yet. Tell me about the twitching first: where "
    "it is and how long it has lasted."
)
SUMMARY_HINT = "You can copy this text and show it to your doctor."
RECOVER = "Sorry, something went wrong on my side. Please send that again."
PROBLEMS = {"empty": EMPTY, "no_words": NO_WORDS, "other_language": OTHER_LANGUAGE}


@dataclass
class Reply:
    text: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None

    def as_message(self) -> dict[str, Any]:
        """The keyword arguments of rasa-sdk's dispatcher.utter_message."""
        message: dict[str, Any] = {}
        if self.text:
            message["text"] = self.text
        if self.buttons:
            message["buttons"] = self.buttons
        if self.custom:
            message["json_message"] = self.custom
        return message


def buttons(titles: tuple[str, ...] | list[str], payloads=None) -> list[dict[str, str]]:
    payloads = payloads or [t.lower() for t in titles]
    return [{"title": t, "payload": p} for t, p in zip(titles, payloads, strict=False)]
