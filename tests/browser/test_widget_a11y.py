"""Accessibility of the chat widget: axe-core, keyboard only, 375-px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import save_json, save_screenshot
from .widget_page import STORAGE_PREFIX, Widget

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")

AXE_RUN_JS = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target,
      html: n.html.slice(0, 300),
      summary: n.failureSummary,
    })),
  }));
}"""


def run_axe(page, axe_source: str, name: str) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(AXE_RUN_JS)
    save_json(f"axe-{name}", violations)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "axe serious/critical violations:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']]}"
        for v in blocking
    )
    return violations


def test_axe_no_serious_or_critical_violations(new_page, scripted_site, axe_source):
    page = new_page()
    w = Widget(page).goto(scripted_site.url)
    w.wait_connected()
    run_axe(page, axe_source, "open-intro")

    w.send("My left eyelid twitches")
    expect(w.reply_button("Yes")).to_be_visible()
    run_axe(page, axe_source, "question-buttons")

    w.click_reply("Yes")
    w.click_reply("No")  # -> triage; answered buttons are disabled
    run_axe(page, axe_source, "triage")

    w.send("My face is drooping")
    expect(w.banner).to_be_visible()
    run_axe(page, axe_source, "emergency")

    # canary: axe does look inside the widget's and deep-chat's shadow roots
    page.evaluate(
        """() => {
          const chat = document.querySelector('#symptom-chat-widget')
            .shadowRoot.querySelector('deep-chat').shadowRoot;
          const b = document.createElement('button');
          b.className = 'axe-canary';
          chat.getElementById('messages').appendChild(b);
        }"""
    )
    with pytest.raises(AssertionError, match="button-name"):
        run_axe(page, axe_source, "canary")
    page.evaluate(
        """() => document.querySelector('#symptom-chat-widget').shadowRoot
          .querySelector('deep-chat').shadowRoot.querySelector('.axe-canary').remove()"""
    )

    page.locator(".rw-close").click()
    expect(w.panel).to_be_hidden()
    run_axe(page, axe_source, "closed")


def test_labelled_controls_and_live_region(new_page, scripted_site):
    page = new_page()
    w = Widget(page).goto(scripted_site.url)
    expect(page.get_by_role("button", name="Start over")).to_be_visible()
    expect(page.get_by_role("button", name="Close chat")).to_be_visible()
    expect(page.get_by_role("button", name="Send message")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your message")).to_be_visible()
    expect(page.get_by_role("region", name="Symptom guide")).to_be_visible()
    expect(page.get_by_role("region", name="Conversation")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(1)
    expect(w.launcher).to_have_accessible_name("Symptom guide")
    expect(w.announcer).to_have_attribute("aria-live", "polite")
    w.wait_connected()
    w.send("My eyelid twitches")
    expect(w.announcer).to_contain_text("Has the twitching lasted more than two weeks?")
    expect(w.announcer).to_contain_text("Answer options: Yes, No, Not sure.")
    expect(page.get_by_role("group", name="Answer options").last).to_be_visible()


def test_keyboard_only(new_page, scripted_site):
    page = new_page()
    # start with the chat closed, as on a normal site
    page.context.add_init_script(f"localStorage.setItem('{STORAGE_PREFIX}:open', '0')")
    w = Widget(page).goto(scripted_site.url)
    expect(w.panel).to_be_hidden()

    w.tab_until(lambda a: "rw-launcher" in a["cls"])
    page.keyboard.press("Enter")
    expect(w.panel).to_be_visible()
    page.wait_for_function(
        """() => { const h = document.querySelector('#symptom-chat-widget');
          const c = h.shadowRoot.querySelector('deep-chat');
          return c && c.shadowRoot.activeElement && c.shadowRoot.activeElement.id === 'text-input'; }"""
    )
    w.wait_connected()

    # type and send with Enter
    before = w.bot_bubbles.count()
    page.keyboard.type("My left eyelid keeps twitching")
    page.keyboard.press("Enter")
    w.wait_for_bot(before)
    expect(w.reply_button("No")).to_be_visible()

    # Shift+Tab back from the input to the answer buttons, choose with Enter
    w.tab_until(lambda a: a["tag"] == "button" and a["text"] == "No", key="Shift+Tab")
    before = w.bot_bubbles.count()
    page.keyboard.press("Enter")
    expect(w.user_bubbles.last).to_have_text("No")
    w.wait_for_bot(before)
    # focus went back to the input after choosing
    assert w.active_element()["id"] == "text-input"

    # ... and with Space
    w.tab_until(
        lambda a: a["tag"] == "button" and a["text"] == "Not sure", key="Shift+Tab"
    )
    before = w.bot_bubbles.count()
    page.keyboard.press("Space")
    expect(w.user_bubbles.last).to_have_text("Not sure")
    replies = w.wait_for_bot(before)
    assert any("at home" in r for r in replies), replies
    save_screenshot(page, "10-keyboard-triage")

    # the send button is reachable and works with Enter and Space
    page.keyboard.type("status")
    w.tab_until(lambda a: a["label"] == "Send message")
    before = w.bot_bubbles.count()
    page.keyboard.press("Enter")
    w.wait_for_bot(before)
    expect(w.user_bubbles.last).to_have_text("status")
    w.tab_until(lambda a: a["id"] == "text-input", key="Shift+Tab")
    page.keyboard.type("status")
    w.tab_until(lambda a: a["label"] == "Send message")
    before = w.bot_bubbles.count()
    page.keyboard.press("Space")
    w.wait_for_bot(before)

    # the scrollable conversation is focusable (to scroll with arrow keys)
    w.tab_until(lambda a: a["label"] == "Conversation", key="Shift+Tab")

    # Start over by keyboard
    w.tab_until(lambda a: a["text"] == "Start over", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(w.user_bubbles).to_have_count(0)
    assert w.active_element()["id"] == "text-input"

    # Escape closes and returns focus to the launcher
    page.keyboard.press("Escape")
    expect(w.panel).to_be_hidden()
    assert "rw-launcher" in w.active_element()["cls"]
    page.keyboard.press("Enter")
    expect(w.panel).to_be_visible()


def test_mobile_viewport_375(new_page, scripted_site, axe_source):
    page = new_page(
        viewport={"width": 375, "height": 667},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    w = Widget(page).goto(scripted_site.url)
    expect(w.panel).to_be_visible()
    box = w.panel.bounding_box()
    assert box and box["x"] == 0 and box["width"] == 375, box
    assert abs(box["height"] - 667) <= 1, box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    w.wait_connected()
    expect(w.disclaimer).to_be_in_viewport()

    w.input.tap()
    w.send("My cheek twitches when I smile")
    buttons = w.active_replies
    expect(buttons).to_have_count(3)
    for i in range(3):
        b = buttons.nth(i).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 375, b
        assert b["height"] >= 44, b  # touch target size
    before = w.bot_bubbles.count()
    w.reply_button("Yes").tap()
    expect(w.user_bubbles.last).to_have_text("Yes")
    w.wait_for_bot(before)
    input_box = w.input.bounding_box()
    assert input_box["x"] >= 0 and input_box["x"] + input_box["width"] <= 375
    assert input_box["y"] + input_box["height"] <= 667
    save_screenshot(page, "11-mobile-375")
    run_axe(page, axe_source, "mobile-375")

    page.locator(".rw-close").tap()
    expect(w.panel).to_be_hidden()
    lb = w.launcher.bounding_box()
    assert lb["x"] >= 0 and lb["x"] + lb["width"] <= 375
    save_screenshot(page, "12-mobile-375-closed")
