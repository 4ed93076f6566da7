"""Browser tests of the chat widget against the scripted bot (no model needed).

The scripted bot runs the project's real socket.io channel with
session_persistence on, so every reply that arrives here also proves that the
socket joined its session room (RasaHQ/rasa#13027).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import save_screenshot
from .widget_page import Widget

pytestmark = pytest.mark.browser

DISCLAIMER = (
    "General information, not a diagnosis. In an emergency call 911 "
    "or your local emergency number."
)


@pytest.fixture
def widget(new_page, scripted_site) -> Widget:
    page = new_page()
    return Widget(page).goto(scripted_site.url)


def test_demo_page_embeds_widget_with_disclaimer(widget, scripted_site):
    page = widget.page
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    # the demo page starts open: disclaimer and intro visible at once
    expect(widget.panel).to_be_visible()
    expect(widget.disclaimer).to_have_text(DISCLAIMER)
    expect(widget.page.locator(".deep-chat-intro")).to_contain_text("Tell me what")
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    widget.wait_connected()
    save_screenshot(page, "01-demo-page-open")
    # one <script> tag embeds it; no third-party requests (fonts, CDNs)
    assert page.locator("script[src$='widget.js']").count() == 1
    hosts = {urlsplit(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert page.page_errors == []
    assert page.console_errors == []


def test_close_and_reopen(widget):
    widget.page.locator(".rw-close").click()
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    expect(widget.launcher).to_be_focused()
    save_screenshot(widget.page, "02-closed-launcher")
    widget.page.reload()
    expect(widget.panel).to_be_hidden()  # the closed state is remembered
    widget.open()
    expect(widget.disclaimer).to_be_visible()


def test_conversation_to_triage_by_typing_and_buttons(widget):
    widget.wait_connected()
    replies = widget.send("My left eyelid has been twitching for three days")
    assert any("more than two weeks" in r for r in replies), replies
    # Markdown emphasis rendered as <strong>, not as asterisks
    expect(
        widget.page.locator(".ai-message strong", has_text="more than two weeks")
    ).to_be_visible()
    expect(widget.reply_button("Yes")).to_be_visible()
    expect(widget.reply_button("Not sure")).to_be_visible()
    save_screenshot(widget.page, "03-question-with-buttons")

    # the scripted bot only accepts payloads (/deny) while a question is open,
    # so a further question proves the payload was sent and the title shown
    replies = widget.click_reply("No")
    assert any("spread" in r for r in replies), replies
    expect(widget.page.locator("button.rw-qr--chosen", has_text="No")).to_be_disabled()

    replies = widget.click_reply("Not sure")
    final = " ".join(replies)
    assert "at home" in final and "self-care" in final, final
    link = widget.page.locator(".ai-message a", has_text="when to get help")
    expect(link).to_have_attribute("href", "https://example.org/help")
    expect(link).to_have_attribute("target", "_blank")
    expect(
        widget.page.locator(".ai-message strong", has_text="at home")
    ).to_be_visible()
    # the advice ends with "Call 911 if ...", but the triage is self_care
    assert "Call 911 if" in final
    widget.page.wait_for_timeout(1000)
    expect(widget.banner).to_have_count(0)
    # every bot message was announced to screen readers
    expect(widget.announcer).to_contain_text("look after at home")
    expect(widget.announcer).to_have_attribute("aria-live", "polite")
    save_screenshot(widget.page, "04-triage-self-care")


def test_typed_answer_while_buttons_shown(widget):
    widget.wait_connected()
    widget.send("my cheek twitches")
    replies = widget.send("no")  # typed instead of clicked: text sent as-is
    assert "Please answer with the buttons." in replies
    # the earlier question's buttons are no longer active, the new ones are
    expect(widget.active_replies).to_have_count(3)


def test_typing_indicator(widget):
    widget.wait_connected()
    before = widget.bot_bubbles.count()
    widget.type_message("slow reply please")
    expect(widget.page.locator(".loading-message-dots").first).to_be_visible()
    expect(widget.status).to_have_text("The assistant is typing…")
    save_screenshot(widget.page, "05-typing-indicator")
    widget.wait_for_bot(before)
    expect(widget.page.locator(".loading-message-dots")).to_have_count(0)
    expect(widget.status).to_have_text("")


def test_reload_shows_history_and_continues_session(widget):
    sid = widget.wait_connected()
    widget.send("My right cheek twitches")
    widget.click_reply("Yes")
    texts_before = widget.page.locator(".outer-message-container").all_inner_texts()

    widget.page.reload()
    expect(widget.panel).to_be_visible()
    expect(widget.user_bubbles.first).to_have_text("My right cheek twitches")
    assert (
        widget.page.locator(".outer-message-container").all_inner_texts()
        == texts_before
    )
    # earlier answers stay marked, the open question's buttons still work
    expect(widget.page.locator("button.rw-qr--chosen", has_text="Yes")).to_be_disabled()
    expect(widget.active_replies).to_have_count(3)
    assert widget.wait_connected() == sid
    save_screenshot(widget.page, "06-after-reload-history")

    # the server continues the same conversation (its turn counter goes on)
    replies = widget.send("status")
    assert any(
        "Session turn 3" in r and "My right cheek twitches" in r for r in replies
    ), replies


def test_deleted_conversation_leaves_no_copy_in_the_browser(widget):
    old = widget.wait_connected()
    widget.send("My right cheek twitches")
    widget.type_message("delete my data")  # the transcript is replaced at once
    expect(widget.bot_bubbles.last).to_contain_text("deleted this conversation")
    expect(widget.user_bubbles).to_have_count(0)  # the old transcript is gone
    assert widget.transcript() is None or not widget.transcript().get("messages")
    new = widget.wait_connected()
    assert new and new != old
    widget.page.reload()
    expect(widget.panel).to_be_visible()
    expect(widget.user_bubbles).to_have_count(0)
    assert "My right cheek" not in widget.page.content()


def test_start_over_clears_transcript_and_session(widget):
    old = widget.wait_connected()
    widget.send("My eyelid twitches")
    widget.restart_button.click()
    expect(widget.user_bubbles).to_have_count(0)
    expect(widget.bot_bubbles).to_have_count(0)
    expect(widget.status).to_have_text("Started a new conversation.")
    widget.page.wait_for_function(
        "(old) => { const s = localStorage.getItem('symptom-chat:session_id');"
        " return s && s !== old; }",
        arg=old,
    )
    keys = widget.page.evaluate("() => Object.keys(localStorage)")
    assert f"symptom-chat:transcript:{old}" not in keys
    replies = widget.send("status")
    assert any("Session turn 1" in r for r in replies), replies
    widget.page.reload()
    expect(widget.user_bubbles).to_have_count(1)


def test_emergency_banner_from_911_text_and_custom_payload(widget):
    widget.wait_connected()
    replies = widget.send("My face suddenly started drooping on the left")
    assert any("911" in r for r in replies)
    expect(widget.banner).to_be_visible()
    expect(widget.banner).to_contain_text("Call 911")
    call = widget.page.locator(".rw-emergency-call")
    expect(call).to_have_attribute("href", "tel:911")
    expect(widget.page.locator(".rw-emergency")).to_have_attribute("role", "alert")
    save_screenshot(widget.page, "07-emergency-banner")
    widget.page.reload()
    expect(widget.banner).to_be_visible()  # still there after a reload
    widget.restart_button.click()
    expect(widget.banner).to_have_count(0)


def test_safety_net_mention_of_911_is_not_an_emergency(widget):
    widget.wait_connected()
    # "call 911 if it gets worse" + custom triage_level "urgent" in one reply
    replies = widget.send("it could get worse")
    assert any("911" in r for r in replies), replies
    widget.page.wait_for_timeout(1000)  # longer than the widget's grace period
    expect(widget.banner).to_have_count(0)


def test_emergency_banner_from_custom_payload_alone(widget):
    widget.wait_connected()
    widget.send("custom only")
    expect(widget.banner).to_be_visible()
    expect(widget.banner).to_contain_text("911")


XSS_USER = (
    "<img src=x onerror=\"window.__xss='user-img'\">"
    "<script>window.__xss='user-script'</script> **hi** "
    "[click me](javascript:window.__xss='user-link')"
)


def _assert_inert(page):
    assert page.evaluate("() => window.__xss") is None
    found = page.evaluate(
        """() => {
          const chat = document.querySelector('#symptom-chat-widget')
            .shadowRoot.querySelector('deep-chat').shadowRoot;
          const msgs = chat.getElementById('messages');
          return {
            img: msgs.querySelectorAll('img').length,
            script: msgs.querySelectorAll('script').length,
            handlers: [...msgs.querySelectorAll('*')].filter(
              (e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
            js_links: [...msgs.querySelectorAll('a')].filter(
              (a) => /^\\s*javascript:/i.test(a.getAttribute('href') || '')).length,
          };
        }"""
    )
    assert found == {"img": 0, "script": 0, "handlers": 0, "js_links": 0}, found


def test_xss_typed_by_user_is_inert(widget):
    widget.wait_connected()
    widget.send(XSS_USER)
    bubble = widget.user_bubbles.last
    expect(bubble).to_contain_text("<img src=x onerror=")
    expect(bubble).to_contain_text("<script>window.__xss='user-script'</script>")
    widget.page.wait_for_timeout(500)
    _assert_inert(widget.page)
    # deep-chat's Markdown renderer makes a javascript: link of it; the
    # widget removes the href before anyone can click it
    link = widget.page.locator(".user-message a", has_text="click me")
    expect(link).to_have_attribute("data-unsafe-link-removed", "")
    link.click()
    _assert_inert(widget.page)
    widget.page.reload()  # re-rendered from the stored transcript
    expect(widget.user_bubbles.last).to_contain_text("<img src=x onerror=")
    widget.page.wait_for_timeout(500)
    _assert_inert(widget.page)
    save_screenshot(widget.page, "08-xss-user-inert")


def test_xss_in_bot_response_is_inert(widget):
    widget.wait_connected()
    replies = widget.send("xss please")
    text = "\n".join(replies)
    assert "<img src=x onerror=" in text and "<script>" in text, text
    page = widget.page
    # Markdown still works: bold, italic, safe link
    expect(page.locator(".ai-message strong", has_text="bold")).to_be_visible()
    expect(page.locator(".ai-message em", has_text="italic")).to_be_visible()
    expect(page.locator(".ai-message a", has_text="a safe link")).to_have_attribute(
        "href", "https://example.org/info"
    )
    expect(page.locator(".ai-message b")).to_have_count(0)
    expect(page.locator(".ai-message", has_text="a bad link")).to_be_visible()
    page.wait_for_timeout(500)
    _assert_inert(page)
    page.reload()
    expect(page.locator(".ai-message strong", has_text="bold")).to_be_visible()
    page.wait_for_timeout(500)
    _assert_inert(page)
    save_screenshot(page, "09-xss-bot-inert")


def test_page_on_other_origin_cannot_connect(new_page, scripted_site):
    # same server, but "localhost" is not in the scripted bot's allow-list
    # (only http://127.0.0.1:<port> is): the socket.io connection is refused
    page = new_page()
    port = urlsplit(scripted_site.url).port
    w = Widget(page).goto(f"http://localhost:{port}/")
    expect(w.status).to_have_text(
        re.compile("not available|Cannot reach"), timeout=15_000
    )
    page.wait_for_timeout(1000)
    assert w.session_id() is None


def test_works_under_the_demo_pages_csp(new_page, scripted_site_csp):
    page = new_page()
    w = Widget(page).goto(scripted_site_csp.url)
    w.wait_connected()
    replies = w.send("My eyelid twitches")
    assert any("two weeks" in r for r in replies), replies
    w.click_reply("No")
    assert page.page_errors == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_long_polling_transport_through_cors(new_page, scripted_site):
    # without WebSocket the browser needs a single, matching
    # Access-Control-Allow-Origin on every polling request
    page = new_page()
    page.context.add_init_script(
        "window.SymptomChatConfig = { transports: ['polling'] }"
    )
    transports = []
    page.on("request", lambda r: "/socket.io/" in r.url and transports.append(r.url))
    w = Widget(page).goto(scripted_site.url)
    w.wait_connected()
    replies = w.send("My eyelid twitches")
    assert any("two weeks" in r for r in replies), replies
    assert transports and all("transport=polling" in u for u in transports)
    assert page.console_errors == []
