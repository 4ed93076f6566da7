"""End to end: Telegram, Slack, SMS/WhatsApp (Twilio) and Messenger.

The real Rasa and action servers run with the channels' environment variables
set; each provider's API is a local fake (tests/fake_providers.py) that
receives the bot's outbound calls.  Inbound payloads follow the shapes in the
providers' docs and are signed the way each provider signs them.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from twilio.request_validator import RequestValidator

from tests.fake_providers import FakeProvider
from tests.servers import MODEL, BotServers

pytestmark = pytest.mark.e2e

TELEGRAM_TOKEN = "123456:TEST-telegram-token"
TELEGRAM_SECRET = "tg-secret-9f8e7d"
SLACK_TOKEN = "xoxb-test-slack-token"
SLACK_SECRET = "slack-signing-secret-abc"
TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "twilio-auth-token-xyz"
TWILIO_NUMBER = "+15005550006"
FB_VERIFY = "fb-verify-token"
FB_SECRET = "fb-app-secret-123"
FB_PAGE_TOKEN = "EAAB-page-token"

ids = itertools.count(1000)


@pytest.fixture(scope="module")
def fakes():
    providers = {
        "telegram": FakeProvider("telegram", TELEGRAM_TOKEN),
        "slack": FakeProvider("slack", SLACK_TOKEN),
        "twilio": FakeProvider("twilio", TWILIO_TOKEN, TWILIO_SID),
        "facebook": FakeProvider("facebook", FB_PAGE_TOKEN),
    }
    for name, fake in providers.items():
        if name != "telegram":  # Telegram starts "down": the bot must start anyway
            fake.start()
    yield providers
    for fake in providers.values():
        fake.stop()


@pytest.fixture(scope="module")
def channel_bot(tmp_path_factory, fakes):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` (make test does)")
    servers = BotServers(tmp_path_factory.mktemp("channels"))
    servers.env.update(
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_BOT_NAME="TwitchHelpBot",
        TELEGRAM_WEBHOOK_URL="https://bot.example.org/webhooks/telegram/webhook",
        TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET,
        TELEGRAM_API_URL=fakes["telegram"].url,
        SLACK_BOT_TOKEN=SLACK_TOKEN,
        SLACK_SIGNING_SECRET=SLACK_SECRET,
        SLACK_API_URL=fakes["slack"].url + "/api",
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_NUMBER=TWILIO_NUMBER,
        TWILIO_API_URL=fakes["twilio"].url,
        FACEBOOK_VERIFY_TOKEN=FB_VERIFY,
        FACEBOOK_APP_SECRET=FB_SECRET,
        FACEBOOK_PAGE_ACCESS_TOKEN=FB_PAGE_TOKEN,
        FACEBOOK_API_URL=fakes["facebook"].url + "/v18.0",
    )
    servers.start_actions()
    servers.start_rasa()
    fakes["telegram"].start()  # Telegram "comes back" after the bot started
    yield servers
    servers.stop()


# --- helpers ---------------------------------------------------------------


def http(url, body: bytes | None, headers: dict, method="POST"):
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def event_rows(bot: BotServers, sender: str) -> int:
    path = bot.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()[0]


def user_texts(bot: BotServers, sender: str) -> list[str]:
    events = bot.tracker(sender)["events"]
    return [e.get("text") for e in events if e["event"] == "user"]


class Telegram:
    name = "telegram"

    def __init__(self, bot, fake):
        self.bot, self.fake = bot, fake
        self.url = f"{bot.url}/webhooks/telegram/webhook"

    def post(self, update: dict, secret: str | None = TELEGRAM_SECRET):
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return http(self.url, json.dumps(update).encode(), headers)

    def update(self, chat: str, text: str) -> dict:
        n = next(ids)
        return {
            "update_id": n,
            "message": {
                "message_id": n,
                "from": {"id": int(chat), "is_bot": False, "first_name": "Sam"},
                "chat": {"id": int(chat), "type": "private", "first_name": "Sam"},
                "date": int(time.time()),
                "text": text,
            },
        }

    def send(self, chat: str, text: str):
        status, _ = self.post(self.update(chat, text))
        assert status == 200
        return self.replies()

    def tap(self, chat: str, payload: str):
        n = next(ids)
        update = {
            "update_id": n,
            "callback_query": {
                "id": str(n),
                "from": {"id": int(chat), "is_bot": False, "first_name": "Sam"},
                "message": {"message_id": 1, "date": int(time.time()),
                            "chat": {"id": int(chat), "type": "private"}, "text": "?"},
                "chat_instance": "1",
                "data": payload,
            },
        }  # fmt: skip
        status, _ = self.post(update)
        assert status == 200
        return self.replies()

    def replies(self):
        return [c.json for c in self.fake.take() if c.endpoint == "sendMessage"]

    @staticmethod
    def text(reply):
        return reply["text"]

    @staticmethod
    def options(reply):
        rows = (reply.get("reply_markup") or {}).get("inline_keyboard") or []
        return [(b["text"], b["callback_data"]) for row in rows for b in row]


def slack_headers(
    body: bytes, secret=SLACK_SECRET, ts=None, content_type="application/json"
):
    ts = str(int(time.time()) if ts is None else ts)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


class Slack:
    name = "slack"

    def __init__(self, bot, fake):
        self.bot, self.fake = bot, fake
        self.url = f"{bot.url}/webhooks/slack/webhook"

    def event(self, user: str, text: str) -> dict:
        n = next(ids)
        return {
            "token": "legacy",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"Ev{n:08d}",
            "event_time": int(time.time()),
            "authorizations": [{"user_id": "UBOT0001", "is_bot": True}],
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": f"D{user}",
                "user": user,
                "text": text,
                "ts": f"{time.time():.6f}",
            },
        }

    def send(self, user: str, text: str):
        body = json.dumps(self.event(user, text)).encode()
        status, _ = http(self.url, body, slack_headers(body))
        assert status == 200
        return self.replies()

    def tap(self, user: str, payload: str):
        action = {"type": "block_actions", "user": {"id": user},
                  "channel": {"id": f"D{user}"}, "message": {"ts": "1.0"},
                  "actions": [{"type": "button", "action_id": "option_0",
                               "value": payload, "action_ts": f"{time.time():.6f}"}]}  # fmt: skip
        body = urllib.parse.urlencode({"payload": json.dumps(action)}).encode()
        headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
        status, _ = http(self.url, body, headers)
        assert status == 200
        return self.replies()

    def replies(self):
        return [c for c in self.fake.take() if c.endpoint == "chat.postMessage"]

    @staticmethod
    def text(call):
        return call.json["text"]

    @staticmethod
    def options(call):
        return [
            (e["text"]["text"], e["value"])
            for block in call.json.get("blocks", [])
            if block["type"] == "actions"
            for e in block["elements"]
        ]


class Twilio:
    name = "twilio"

    def __init__(self, bot, fake):
        self.bot, self.fake = bot, fake
        self.url = f"{bot.url}/webhooks/twilio/webhook"

    def form(self, sender: str, text: str) -> dict:
        to = ("whatsapp:" if sender.startswith("whatsapp:") else "") + TWILIO_NUMBER
        return {
            "MessageSid": f"SM{next(ids):032d}",
            "AccountSid": TWILIO_SID,
            "From": sender,
            "To": to,
            "Body": text,
            "NumMedia": "0",
        }

    def post(self, form: dict, token=TWILIO_TOKEN, sign=True):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if sign:
            headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(
                self.url, form
            )
        return http(self.url, urllib.parse.urlencode(form).encode(), headers)

    def send(self, sender: str, text: str):
        status, body = self.post(self.form(sender, text))
        assert status == 200 and "<Response>" in body
        return self.replies()

    tap = send  # no buttons: the person types the option's number or words

    def replies(self):
        return [c.form for c in self.fake.take() if c.endpoint == "Messages.json"]

    @staticmethod
    def text(form):
        return form["Body"]

    @staticmethod
    def options(form):
        lines = form["Body"].splitlines()
        return [
            (line.split(". ", 1)[1], line.split(".", 1)[0])
            for line in lines
            if line[:1].isdigit() and ". " in line
        ]


class Messenger:
    name = "facebook"

    def __init__(self, bot, fake):
        self.bot, self.fake = bot, fake
        self.url = f"{bot.url}/webhooks/facebook/webhook"

    def post(self, payload: dict, secret: str | None = FB_SECRET):
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature-256"] = f"sha256={digest}"
        return http(self.url, body, headers)

    def payload(self, psid: str, message: dict) -> dict:
        return {
            "object": "page",
            "entry": [{"id": "PAGE1", "time": int(time.time() * 1000), "messaging": [{
                "sender": {"id": psid}, "recipient": {"id": "PAGE1"},
                "timestamp": int(time.time() * 1000), "message": message}]}],
        }  # fmt: skip

    def send(self, psid: str, text: str):
        status, _ = self.post(
            self.payload(psid, {"mid": f"m_{next(ids)}", "text": text})
        )
        assert status == 200
        return self.replies()

    def tap(self, psid: str, payload: str):
        message = {"mid": f"m_{next(ids)}", "text": payload.title(),
                   "quick_reply": {"payload": payload}}  # fmt: skip
        status, _ = self.post(self.payload(psid, message))
        assert status == 200
        return self.replies()

    def replies(self):
        return [c.json for c in self.fake.take() if c.endpoint == "messages"]

    @staticmethod
    def text(body):
        return body["message"]["text"]

    @staticmethod
    def options(body):
        return [
            (q["title"], q["payload"]) for q in body["message"].get("quick_replies", [])
        ]


CLIENTS = {
    "telegram": Telegram,
    "slack": Slack,
    "twilio": Twilio,
    "facebook": Messenger,
}


def client(channel_bot, fakes, name):
    return CLIENTS[name](channel_bot, fakes[name])


def converse(c, sender, opening, answers, pick="No"):
    """Open, then answer each question: by the answers table, else by tapping
    the option titled ``pick``.  Returns (all replies, tracker)."""
    replies = c.send(sender, opening)
    seen = list(replies)
    for _ in range(12):
        tracker = c.bot.tracker(sender)
        if tracker["slots"].get("triage_level"):
            return seen, tracker
        slot = tracker["slots"]["pending_question"]
        assert slot, f"no question and no advice: {[c.text(r) for r in replies]}"
        if slot in answers:
            replies = c.send(sender, answers[slot])
        else:
            options = dict(c.options(replies[-1]))
            assert pick in options, f"{slot}: options {options}"
            replies = c.tap(sender, options[pick])
        seen += replies
    raise AssertionError("no triage after 12 turns")


SENDERS = {
    "telegram": "70010001",
    "slack": "U0SLACK01",
    "twilio": "+15551230001",
    "facebook": "24000000001",
}
SELF_CARE = (
    "my right eyelid keeps twitching since yesterday, exams week so super stressed"
)
EMERGENCY = (
    "My face suddenly started drooping on the left an hour ago and my cheek twitches"
)


# --- a whole conversation on every channel ---------------------------------


@pytest.mark.parametrize("name", list(CLIENTS))
def test_a_whole_conversation_reaches_self_care_with_native_options(
    channel_bot, fakes, name
):
    c = client(channel_bot, fakes, name)
    sender = SENDERS[name] + "1"
    replies, tracker = converse(
        c,
        sender,
        SELF_CARE,
        {"warning_signs": "it stays in one spot, no pain, nothing like that"},
    )
    assert tracker["slots"]["triage_level"] == "self_care"
    text = " ".join(c.text(r) for r in replies)
    assert "Source:" in text and "not a diagnosis" in text
    # Questions offered the platform's own options, and taps were understood.
    assert any(c.options(r) == [("Yes", "yes"), ("No", "no"), ("Not sure", "not sure")]
               or [t for t, _ in c.options(r)] == ["Yes", "No", "Not sure"]
               for r in replies)  # fmt: skip
    assert "**" not in text  # markdown became the platform's markup
    # Nothing meant only for the web widget was sent as text.
    assert "triage_level" not in text and "{" not in text


@pytest.mark.parametrize("name", list(CLIENTS))
def test_emergency_text_comes_first_and_alone(channel_bot, fakes, name):
    c = client(channel_bot, fakes, name)
    sender = SENDERS[name] + "2"
    replies = c.send(sender, EMERGENCY)
    assert replies, "no reply reached the provider"
    first = c.text(replies[0])
    assert "911" in first and "FAST" in first
    assert "Source:" not in first and "?" not in first  # alone: nothing else in it
    assert c.options(replies[0]) == []
    assert channel_bot.tracker(sender)["slots"]["triage_level"] == "emergency"


def test_telegram_format(channel_bot, fakes):
    c = client(channel_bot, fakes, "telegram")
    replies = c.send("70010003", "my left cheek twitches")
    assert all(
        r["chat_id"] == "70010003" and r["parse_mode"] == "HTML" for r in replies
    )
    assert all(len(r["text"]) <= 4096 for r in replies)
    replies = c.send("70010003", "about 3 days")
    assert [b for b, _ in c.options(replies[-1])] == ["Yes", "No", "Not sure"]


def test_telegram_registered_its_webhook_with_the_secret_once_reachable(
    channel_bot, fakes
):
    # Telegram was down when the bot started: one clear error, server up.
    log = (channel_bot.logs / "rasa.log").read_text(errors="replace")
    assert log.count("could not reach Telegram to register the webhook") == 1
    assert "Messaging channels on: telegram, slack, twilio, facebook" in log
    assert TELEGRAM_TOKEN not in log and SLACK_SECRET not in log


def test_sms_numbered_options_accept_a_number_or_the_words(channel_bot, fakes):
    c = client(channel_bot, fakes, "twilio")
    sender = "+15551230009"
    replies = c.send(sender, "my left eye has been twitching for 2 days")
    assert channel_bot.tracker(sender)["slots"]["pending_question"] == "facial_weakness"
    body = replies[-1]["Body"]
    assert "Reply 1, 2 or 3:" in body and "\n1. Yes\n2. No\n3. Not sure" in body
    c.send(sender, "2")  # 2 = "No"
    assert channel_bot.tracker(sender)["slots"]["facial_weakness"] is False
    assert user_texts(channel_bot, sender)[-1] == "no"
    c.send(sender, "Not sure")  # the option's words work too
    assert "symptom_spreading" in channel_bot.tracker(sender)["slots"]["unsure_facts"]


def test_sms_is_plain_gsm7_and_whatsapp_answers_from_the_whatsapp_number(
    channel_bot, fakes
):
    c = client(channel_bot, fakes, "twilio")
    sms = c.send("+15551230010", EMERGENCY)
    assert all(r["From"] == TWILIO_NUMBER and r["To"] == "+15551230010" for r in sms)
    assert sms[0]["Body"].startswith("EMERGENCY: Call 911")
    assert all(ord(ch) < 0x2000 for r in sms for ch in r["Body"])  # no emoji/curly
    wa = c.send("whatsapp:+15551230011", EMERGENCY)
    assert all(r["From"] == f"whatsapp:{TWILIO_NUMBER}" for r in wa)
    assert all(r["To"] == "whatsapp:+15551230011" for r in wa)
    assert "*Call 911" in wa[0]["Body"]  # WhatsApp's own bold


# --- verification: forged or missing signatures leave no trace -------------


def test_forged_and_unsigned_calls_are_refused_without_a_trace(channel_bot, fakes):
    tg, sl, tw, fb = (client(channel_bot, fakes, n) for n in CLIENTS)
    refused = [
        (tg.post(tg.update("70019999", "hello"), secret=None)[0], 401, "70019999"),
        (tg.post(tg.update("70019999", "hello"), secret="guess")[0], 403, "70019999"),
    ]
    body = json.dumps(sl.event("U0FORGED", "hello")).encode()
    unsigned = {"Content-Type": "application/json"}
    refused.append((http(sl.url, body, unsigned)[0], 401, "U0FORGED"))
    refused.append(
        (http(sl.url, body, slack_headers(body, secret="wrong"))[0], 403, "U0FORGED")
    )
    stale = slack_headers(body, ts=int(time.time()) - 600)  # a replayed call
    refused.append((http(sl.url, body, stale)[0], 403, "U0FORGED"))
    form = tw.form("+15559999999", "hello")
    refused.append((tw.post(form, sign=False)[0], 401, "+15559999999"))
    refused.append((tw.post(form, token="wrong")[0], 403, "+15559999999"))
    tampered = dict(form, Body="I have drooping")  # signed body, then changed
    sig = RequestValidator(TWILIO_TOKEN).compute_signature(tw.url, form)
    status, _ = http(tw.url, urllib.parse.urlencode(tampered).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded",
                      "X-Twilio-Signature": sig})  # fmt: skip
    refused.append((status, 403, "+15559999999"))
    payload = fb.payload("24009999999", {"mid": "m_forged", "text": "hello"})
    refused.append((fb.post(payload, secret=None)[0], 401, "24009999999"))
    refused.append((fb.post(payload, secret="wrong")[0], 403, "24009999999"))
    for got, expected, _ in refused:
        assert got == expected
    for _, _, sender in refused:
        assert event_rows(channel_bot, sender) == 0
    for fake in fakes.values():
        assert not [c for c in fake.take() if c.endpoint in (
            "sendMessage", "chat.postMessage", "Messages.json", "messages")]  # fmt: skip


def test_slack_url_verification_only_when_signed(channel_bot, fakes):
    sl = client(channel_bot, fakes, "slack")
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2", "type": "url_verification"}
    ).encode()
    status, text = http(sl.url, body, slack_headers(body))
    assert status == 200 and json.loads(text) == {"challenge": "3eZbrw1aBm2"}
    status, text = http(sl.url, body, {"Content-Type": "application/json"})
    assert status == 401 and "3eZbrw1aBm2" not in text


def test_messenger_webhook_verification(channel_bot, fakes):
    url = f"{channel_bot.url}/webhooks/facebook/webhook"
    ok = f"{url}?hub.mode=subscribe&hub.verify_token={FB_VERIFY}&hub.challenge=1158201444"
    assert http(ok, None, {}, method="GET") == (200, "1158201444")
    bad = f"{url}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444"
    status, text = http(bad, None, {}, method="GET")
    assert status == 403 and "1158201444" not in text


# --- retries and outages ----------------------------------------------------


def test_provider_retries_are_not_processed_twice(channel_bot, fakes):
    tg, sl, tw, fb = (client(channel_bot, fakes, n) for n in CLIENTS)
    update = tg.update("70010020", "my left cheek twitches")
    assert tg.post(update)[0] == 200 and tg.post(update)[0] == 200
    event = sl.event("U0RETRY01", "my left cheek twitches")
    body = json.dumps(event).encode()
    http(sl.url, body, slack_headers(body))
    retry = dict(slack_headers(body), **{"X-Slack-Retry-Num": "1",
                                         "X-Slack-Retry-Reason": "http_timeout"})  # fmt: skip
    assert http(sl.url, body, retry)[0] == 200
    form = tw.form("+15551230020", "my left cheek twitches")
    assert tw.post(form)[0] == 200 and tw.post(form)[0] == 200
    payload = fb.payload(
        "24000000020", {"mid": "m_retry_1", "text": "my left cheek twitches"}
    )
    assert fb.post(payload)[0] == 200 and fb.post(payload)[0] == 200
    for sender in ("70010020", "U0RETRY01", "+15551230020", "24000000020"):
        assert user_texts(channel_bot, sender) == ["my left cheek twitches"]
    counts = {
        n: len(c.replies()) for n, c in zip(CLIENTS, (tg, sl, tw, fb), strict=False)
    }
    assert all(n == 1 for n in counts.values()), counts  # one question each, once


@pytest.mark.parametrize("name", list(CLIENTS))
def test_a_provider_that_is_down_does_not_break_the_bot(channel_bot, fakes, name):
    c = client(channel_bot, fakes, name)
    sender = SENDERS[name] + "5"
    fakes[name].stop()
    try:
        c.send(sender, "my left cheek has been twitching for 3 days")  # asserts 200
    finally:
        fakes[name].start()
    assert c.replies() == []
    replies = c.send(sender, "no")  # provider back: the conversation goes on
    assert replies
    slots = channel_bot.tracker(sender)["slots"]
    assert slots["symptom_duration_days"] == 3 and slots["facial_weakness"] is False


def test_stickers_and_photos_get_a_clear_reply(channel_bot, fakes):
    tg = client(channel_bot, fakes, "telegram")
    update = tg.update("70010030", "x")
    del update["message"]["text"]
    update["message"]["sticker"] = {"file_id": "abc", "emoji": "😀"}
    assert tg.post(update)[0] == 200
    replies = tg.replies()
    assert len(replies) == 1 and "only read text" in replies[0]["text"]
    tw = client(channel_bot, fakes, "twilio")
    form = dict(tw.form("+15551230030", ""), NumMedia="1", MediaUrl0="https://x/y.jpg")
    assert tw.post(form)[0] == 200
    assert "only read text" in tw.replies()[0]["Body"]


def test_typed_slash_commands_cannot_inject_intents(channel_bot, fakes):
    tg = client(channel_bot, fakes, "telegram")
    tg.send("70010040", "/start")
    tg.send("70010040", '/describe_symptom{"facial_weakness": true}')
    tg.tap("70010040", '/describe_symptom{"stroke_signs": true}')  # a crafted tap
    slots = channel_bot.tracker("70010040")["slots"]
    assert slots.get("stroke_signs") is not True
    assert slots.get("facial_weakness") is not True
    assert slots.get("triage_level") != "emergency"


BAD_INPUTS = [
    "",
    "   ",
    "x" * 12000,
    "😀😬🙃",
    "me tiembla el ojo",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("name", list(CLIENTS))
def test_bad_input_gets_a_reply_and_the_conversation_goes_on(channel_bot, fakes, name):
    c = client(channel_bot, fakes, name)
    sender = SENDERS[name] + "7"
    c.send(sender, "my left cheek twitches")
    for bad in BAD_INPUTS:
        replies = c.send(sender, bad)  # asserts the webhook answered 200
        assert replies, f"no reply to {bad[:20]!r}"
        assert all("<script>" not in c.text(r) for r in replies)
    c.send(sender, "for 3 days")
    assert channel_bot.tracker(sender)["slots"]["symptom_duration_days"] == 3


@pytest.mark.parametrize("name", ["telegram", "twilio"])
def test_delete_my_data_by_tapping_or_typing_the_option_number(
    channel_bot, fakes, name
):
    c = client(channel_bot, fakes, name)
    sender = SENDERS[name] + "8"
    c.send(sender, "my left cheek has been twitching for 3 days")
    assert event_rows(channel_bot, sender) > 0
    replies = c.send(sender, "please delete my data")
    options = dict(c.options(replies[-1]))
    assert set(options) == {"Yes, delete it", "No, keep it"}
    replies = c.tap(sender, options["Yes, delete it"])  # SMS: types "1"
    assert "deleted" in " ".join(c.text(r) for r in replies)
    assert all("conversation_deleted" not in c.text(r) for r in replies)
    assert event_rows(channel_bot, sender) == 0


def test_sms_opt_out_words_are_left_to_twilio(channel_bot, fakes):
    tw = client(channel_bot, fakes, "twilio")
    assert tw.send("+15551230050", "STOP") == []
    assert event_rows(channel_bot, "+15551230050") == 0
