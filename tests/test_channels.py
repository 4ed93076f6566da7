"""Messaging channels without Rasa running: rendering, signatures, settings,
the retry guard, and the outbound calls against the local fake providers."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging

import pytest
import rasa.shared.utils.io
from twilio.request_validator import RequestValidator

from bot.channels import messenger, slack, telegram, twilio
from bot.channels.config import CHANNELS, channel_credentials, write_credentials
from bot.channels.messaging import Deliveries, last_options, message_key, typed_text
from bot.channels.render import (
    Outgoing,
    from_rasa,
    gsm7,
    numbered,
    pick_option,
    plain,
    slack_mrkdwn,
    sms_segments,
    split_text,
    telegram_html,
)
from bot.clinical.guidance import HEADLINES
from tests.fake_providers import FakeProvider

YES_NO = [("Yes", "yes"), ("No", "no"), ("Not sure", "not sure")]
EMERGENCY_TEXT = HEADLINES["emergency"]

# --- rendering -------------------------------------------------------------


def test_emergency_goes_first_alone_and_widget_payloads_are_not_text():
    collected = [
        {"text": "Your message was very long, so I read only its first 2000 characters."},
        {"text": EMERGENCY_TEXT, "custom": {"triage_level": "emergency"},
         "buttons": [{"title": "Yes", "payload": "yes"}]},
        {"text": "I say this because ...\n\nSource: ..."},
        {"custom": {"conversation_deleted": True}},
        {"custom": {"triage_level": "emergency"}},
    ]  # fmt: skip
    items = from_rasa(collected)
    assert items[0].text == EMERGENCY_TEXT and items[0].emergency
    assert items[0].options == []  # nothing attached to the emergency advice
    assert [i.text[:4] for i in items[1:]] == ["Your", "I sa"]


def test_buttons_become_options_in_order():
    items = from_rasa([{"text": "Any drooping?", "buttons": [
        {"title": t, "payload": p} for t, p in YES_NO]}])  # fmt: skip
    assert items == [Outgoing("Any drooping?", YES_NO, False)]


@pytest.mark.parametrize(
    "reply,payload",
    [("1", "yes"), (" 2 ", "no"), ("3.", "not sure"), ("#2", "no"),
     ("option 1", "yes"), ("NOT SURE", "not sure"), ("no", "no"),
     ("4", None), ("0", None), ("12 days", None), ("no drooping", None), ("", None)],
)  # fmt: skip
def test_a_reply_picks_an_option_by_number_or_words(reply, payload):
    assert pick_option(reply, YES_NO) == payload


def test_no_options_means_the_text_stands():
    assert pick_option("1", []) is None


def test_numbered_options_text():
    assert numbered("Any drooping?", YES_NO) == (
        "Any drooping?\n\nReply 1, 2 or 3:\n1. Yes\n2. No\n3. Not sure"
    )
    assert numbered("Delete?", [("Yes", "/affirm")]) == "Delete?\n\nReply 1:\n1. Yes"


def test_markup_per_platform():
    text = "**Call 911** now <b> & see [NHS](https://www.nhs.uk/x)"
    assert plain(text) == "Call 911 now <b> & see NHS (https://www.nhs.uk/x)"
    assert slack_mrkdwn(text) == (
        "*Call 911* now &lt;b&gt; &amp; see <https://www.nhs.uk/x|NHS>"
    )
    assert telegram_html(text) == (
        '<b>Call 911</b> now &lt;b&gt; &amp; see <a href="https://www.nhs.uk/x">NHS</a>'
    )


def test_sms_text_is_gsm7_so_a_segment_holds_160_characters():
    sms = gsm7(plain(EMERGENCY_TEXT))
    assert sms.startswith("EMERGENCY: Call 911")
    assert sms_segments(sms) == -(-len(sms) // 153)  # GSM-7 sizing, not UCS-2
    assert sms_segments(EMERGENCY_TEXT) > sms_segments(sms)
    assert sms_segments("a" * 160) == 1 and sms_segments("a" * 161) == 2
    assert sms_segments("é" * 160) == 1  # é is in the GSM-7 set
    assert sms_segments("ł" * 70) == 1 and sms_segments("ł" * 71) == 2  # UCS-2
    assert sms_segments("[" * 80) == 1 and sms_segments("[" * 81) == 2  # escapes


@pytest.mark.parametrize("limit", [50, 160, 1530, 4000])
def test_split_text_respects_the_limit_and_keeps_every_word(limit):
    text = " ".join(f"Sentence {i} has some words in it." for i in range(300))
    text += "\n\n" + "x" * (limit + 5)  # one word longer than the limit
    parts = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(
        " ", ""
    ).replace("\n", "")


def test_long_texts_are_split_for_each_platform():
    long = "\n\n".join(["A paragraph of advice that goes on. " * 20] * 12)  # ~8.6k
    item = [Outgoing(long, YES_NO)]
    tg = telegram.sends("1", item)
    assert len(tg) >= 3 and all(len(b["text"]) <= 4096 for b in tg)
    assert "reply_markup" in tg[-1] and all("reply_markup" not in b for b in tg[:-1])
    sl = slack.posts("D1", item)
    assert all(len(b["blocks"][0]["text"]["text"]) <= 3000 for b in sl)
    fb = messenger.messages("1", item)
    assert all(len(b["message"]["text"]) <= 2000 for b in fb)
    assert "quick_replies" in fb[-1]["message"]
    sms = twilio.bodies(item, on_whatsapp=False)
    assert all(sms_segments(b) <= 10 and len(b) <= 1600 for b in sms)
    assert sms[-1].endswith("1. Yes\n2. No\n3. Not sure")
    assert all(len(b) <= 1600 for b in twilio.bodies(item, on_whatsapp=True))


def test_messenger_quick_replies_fit_the_platform():
    options = [(f"A very long option title number {i}", f"p{i}") for i in range(20)]
    body = messenger.messages("1", [Outgoing("Pick one", options)])[0]
    quick = body["message"]["quick_replies"]
    assert len(quick) == 13 and all(len(q["title"]) <= 20 for q in quick)
    assert body["messaging_type"] == "RESPONSE" and body["recipient"] == {"id": "1"}


def test_telegram_keyboard_layout():
    assert telegram.keyboard(YES_NO) == {"inline_keyboard": [[
        {"text": "Yes", "callback_data": "yes"}, {"text": "No", "callback_data": "no"},
        {"text": "Not sure", "callback_data": "not sure"}]]}  # fmt: skip
    long = [("Yes, delete it", "/affirm"), ("No, keep it and go on", "/deny")]
    assert len(telegram.keyboard(long)["inline_keyboard"]) == 2  # one per row


# --- reading inbound payloads ---------------------------------------------


def test_telegram_updates():
    message = {"update_id": 1, "message": {"message_id": 5, "chat": {"id": 42},
               "from": {"id": 42, "is_bot": False}, "text": "hi"}}  # fmt: skip
    assert telegram.read_update(message) == ("42", "hi", False, None)
    tap = {"update_id": 2, "callback_query": {"id": "cb1", "data": "no",
           "from": {"id": 42}, "message": {"chat": {"id": 42}}}}  # fmt: skip
    assert telegram.read_update(tap) == ("42", "no", True, "cb1")
    photo = {"update_id": 3, "message": {"chat": {"id": 42}, "photo": [{}]}}
    assert telegram.read_update(photo) == ("42", None, False, None)
    assert telegram.read_update({"update_id": 4, "my_chat_member": {}}) is None


def test_messenger_events():
    event = {
        "sender": {"id": "9"},
        "timestamp": 1,
        "message": {"mid": "m1", "text": "hi"},
    }
    assert messenger.read_event(event) == ("9", "hi", False, "m1")
    quick = {"sender": {"id": "9"}, "message": {"mid": "m2", "text": "No",
             "quick_reply": {"payload": "no"}}}  # fmt: skip
    assert messenger.read_event(quick) == ("9", "no", True, "m2")
    echo = {"sender": {"id": "PAGE"}, "message": {"mid": "m3", "is_echo": True}}
    assert messenger.read_event(echo) is None
    assert (
        messenger.read_event({"sender": {"id": "9"}, "read": {"watermark": 1}}) is None
    )
    image = {"sender": {"id": "9"}, "message": {"mid": "m4", "attachments": [{}]}}
    assert messenger.read_event(image) == ("9", None, False, "m4")


@pytest.mark.parametrize(
    "typed,expected",
    [("/start", "hi"), ("/start@TwitchHelpBot", "hi"), ("/restart", "/restart"),
     ('/describe_symptom{"facial_weakness": true}', 'describe_symptom{"facial_weakness": true}'),
     ("/affirm", "affirm"), ("  my eye  ", "my eye")],
)  # fmt: skip
def test_typed_commands_cannot_inject_intents(typed, expected):
    assert typed_text(typed) == expected


def test_last_options_are_from_the_last_bot_turn_only():
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    buttons = [{"title": t, "payload": p} for t, p in YES_NO]
    tracker = DialogueStateTracker.from_events(
        "s", [UserUttered("hi"), BotUttered("Drooping?", {"buttons": buttons})]
    )
    assert last_options(tracker) == YES_NO
    tracker.update(UserUttered("no"))
    assert last_options(tracker) == []
    assert last_options(None) == []


# --- signatures ------------------------------------------------------------


def test_telegram_secret_check():
    assert telegram.check_secret("s3cret", "s3cret") is None
    assert telegram.check_secret("s3cret", None) == 401
    assert telegram.check_secret("s3cret", "") == 401
    assert telegram.check_secret("s3cret", "S3CRET") == 403


def test_messenger_signature_check():
    body = b'{"object":"page","entry":[]}'
    good = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert messenger.check_signature("app-secret", body, good) is None
    assert messenger.check_signature("app-secret", body, None) == 401
    assert messenger.check_signature("app-secret", body + b" ", good) == 403
    assert messenger.check_signature("other", body, good) == 403
    sha1 = "sha1=" + hmac.new(b"app-secret", body, hashlib.sha1).hexdigest()
    assert messenger.check_signature("app-secret", body, sha1) == 403  # old header


def test_twilio_signature_check():
    url = "https://bot.example.org/webhooks/twilio/webhook"
    params = {"From": "+15551234567", "Body": "my eye twitches", "MessageSid": "SM1"}
    sig = RequestValidator("tok").compute_signature(url, params)
    assert twilio.check_signature("tok", [url], params, sig) is None
    assert twilio.check_signature("tok", ["http://other/x", url], params, sig) is None
    assert twilio.check_signature("tok", [url], params, None) == 401
    assert twilio.check_signature("tok", [url], dict(params, Body="x"), sig) == 403
    assert twilio.check_signature("bad", [url], params, sig) == 403


# --- settings --------------------------------------------------------------

ALL_VARS = {
    "TELEGRAM_BOT_TOKEN": "1:tg-token", "TELEGRAM_BOT_NAME": "TgBotName",
    "TELEGRAM_SECRET_TOKEN": "tg-secret",
    "TELEGRAM_WEBHOOK_URL": "https://bot.example/webhooks/telegram/webhook",
    "SLACK_BOT_TOKEN": "xoxb-slack", "SLACK_SIGNING_SECRET": "slack-signing",
    "TWILIO_ACCOUNT_SID": "AC-twilio", "TWILIO_AUTH_TOKEN": "twilio-auth",
    "TWILIO_NUMBER": "+15550001", "FACEBOOK_VERIFY_TOKEN": "fb-verify",
    "FACEBOOK_APP_SECRET": "fb-app-secret", "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page",
}  # fmt: skip


def test_no_variables_no_channels():
    assert channel_credentials({}) == ({}, [], [])


def test_all_variables_all_channels_with_references_not_secrets():
    entries, on, problems = channel_credentials(ALL_VARS)
    assert on == ["telegram", "slack", "twilio", "facebook"] and problems == []
    text = str(entries)
    assert all(value not in text for value in ALL_VARS.values())
    assert entries["bot.channels.slack.SlackChannel"] == {
        "slack_token": "${SLACK_BOT_TOKEN}",
        "slack_signing_secret": "${SLACK_SIGNING_SECRET}",
    }


@pytest.mark.parametrize("spec", CHANNELS, ids=lambda s: s.name)
def test_a_half_configured_channel_stays_off_and_says_why(spec):
    env = {var: "x" for var in spec.required.values()}
    missing = next(iter(spec.required.values()))
    del env[missing]
    if not env:
        pytest.skip("a single required variable")
    _, on, problems = channel_credentials(env)
    assert on == [] and len(problems) == 1 and missing in problems[0]


def test_written_credentials_expand_through_rasa(tmp_path, monkeypatch):
    for var, value in ALL_VARS.items():
        monkeypatch.setenv(var, value)
    base = tmp_path / "credentials.yml"
    base.write_text("rest:\n", encoding="utf-8")
    out, on, _ = write_credentials(base, tmp_path / "out.yml", ALL_VARS)
    assert "1:tg-token" not in out.read_text()  # secrets stay in the environment
    loaded = rasa.shared.utils.io.read_config_file(str(out))
    assert "rest" in loaded
    assert (
        loaded["bot.channels.telegram.TelegramChannel"]["access_token"] == "1:tg-token"
    )
    assert (
        loaded["bot.channels.messenger.MessengerChannel"]["page-access-token"]
        == "fb-page"
    )


# --- retry guard -----------------------------------------------------------


def test_a_provider_message_id_is_taken_in_once(tmp_path):
    from bot.kb.db import upgrade

    url = f"sqlite:///{tmp_path / 'd.db'}"
    upgrade(url)
    guard = Deliveries(url)
    key = message_key("update", 1)
    assert guard.first_time("telegram", key) is True
    assert guard.first_time("telegram", key) is False
    assert guard.first_time("slack", key) is True  # per channel
    guard.forget("telegram", key)  # a failed turn lets the retry through
    assert guard.first_time("telegram", key) is True


def test_the_retry_guard_in_postgresql(postgres_url):
    import os

    from bot.kb.db import upgrade

    url = postgres_url
    upgrade(url)
    guard = Deliveries(url)
    key = message_key("pg", os.getpid(), id(guard))
    assert guard.first_time("twilio", key) is True
    assert guard.first_time("twilio", key) is False
    guard.forget("twilio", key)


# --- outbound calls against the fakes ---------------------------------------


def test_telegram_registers_its_webhook_with_the_secret(monkeypatch):
    fake = FakeProvider("telegram", "1:tok").start()
    try:
        monkeypatch.setenv("TELEGRAM_API_URL", fake.url)
        channel = telegram.TelegramChannel(
            "1:tok", "TwitchHelpBot", "https://x/webhooks/telegram/webhook",
            secret_token="sekrit",
        )  # fmt: skip
        asyncio.run(channel.register_webhook())
        calls = {c.endpoint: c for c in fake.take()}
        assert calls["setWebhook"].json["secret_token"] == "sekrit"
        assert calls["setWebhook"].json["url"] == "https://x/webhooks/telegram/webhook"
        assert "getMe" in calls
    finally:
        fake.stop()


def test_unreachable_providers_log_one_error_and_never_raise(monkeypatch, caplog):
    from tests.servers import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    for var in (
        "TELEGRAM_API_URL",
        "SLACK_API_URL",
        "TWILIO_API_URL",
        "FACEBOOK_API_URL",
    ):
        monkeypatch.setenv(var, dead)
    channels = [
        telegram.TelegramChannel("1:tok", "Bot", "https://x", secret_token="s"),
        slack.SlackChannel("xoxb", slack_signing_secret="ss"),
        twilio.TwilioChannel("AC1", "tok", "+1555"),
        messenger.MessengerChannel("v", "a", "p"),
    ]
    caplog.set_level(logging.ERROR)
    asyncio.run(channels[0].register_webhook())
    for channel in channels:
        asyncio.run(channel._send("42", [Outgoing("hello")], {}))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 5
    assert all("1:tok" not in r.getMessage() and "hello" not in r.getMessage()
               for r in errors)  # fmt: skip


def test_messages_rasa_sends_outside_a_webhook_go_straight_to_the_provider(monkeypatch):
    # e.g. POST /conversations/<id>/trigger_intent?output_channel=telegram
    fake = FakeProvider("telegram", "1:tok").start()
    try:
        monkeypatch.setenv("TELEGRAM_API_URL", fake.url)
        channel = telegram.TelegramChannel("1:tok", None, None, secret_token="s")
        out = channel.get_output_channel()
        asyncio.run(out.send_response("42", {"text": "**Reminder**", "buttons": [
            {"title": "Yes", "payload": "yes"}]}))  # fmt: skip
        (call,) = fake.take()
        assert call.json["chat_id"] == "42" and call.json["text"] == "<b>Reminder</b>"
        assert (
            call.json["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
        )
    finally:
        fake.stop()
