"""Page object for the chat widget (Playwright sync API).

Playwright's CSS locators pierce open shadow roots, so the widget shell
(shadow root of #symptom-chat-widget) and deep-chat (its own shadow root)
are addressed with plain selectors.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

STORAGE_PREFIX = "symptom-chat"
# bot text bubbles, without the intro message
BOT_TEXT = (
    ".outer-message-container:not(.deep-chat-intro)"
    ":not(.deep-chat-outer-container-role-user) .message-bubble.text-message"
)

# the element that has focus, looking through shadow roots
ACTIVE_ELEMENT_JS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return null;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || '',
    cls: el.className && el.className.baseVal === undefined ? el.className : '',
    text: (el.innerText || el.textContent || '').trim().slice(0, 80),
    label: el.getAttribute('aria-label') || '',
    role: el.getAttribute('role') || '',
  };
}"""


class Widget:
    def __init__(self, page: Page):
        self.page = page

    # ------------------------------------------------------------ elements
    @property
    def launcher(self) -> Locator:
        return self.page.locator(".rw-launcher")

    @property
    def panel(self) -> Locator:
        return self.page.locator("#rw-panel")

    @property
    def disclaimer(self) -> Locator:
        return self.page.locator(".rw-disclaimer")

    @property
    def input(self) -> Locator:
        return self.page.locator("#text-input")

    @property
    def banner(self) -> Locator:
        return self.page.locator("[data-testid=emergency-banner]")

    @property
    def announcer(self) -> Locator:
        return self.page.locator(".rw-announcer")

    @property
    def status(self) -> Locator:
        return self.page.locator(".rw-status")

    @property
    def restart_button(self) -> Locator:
        return self.page.locator(".rw-restart")

    @property
    def bot_bubbles(self) -> Locator:
        # deep-chat: the intro message is an ai bubble too; exclude it
        return self.page.locator(BOT_TEXT)

    @property
    def user_bubbles(self) -> Locator:
        return self.page.locator(".user-message")

    @property
    def active_replies(self) -> Locator:
        return self.page.locator("button.rw-qr:not([disabled])")

    def reply_button(self, title: str) -> Locator:
        return self.page.locator(
            "button.rw-qr:not([disabled])", has_text=re.compile(f"^{re.escape(title)}$")
        )

    # ------------------------------------------------------------ actions
    def goto(self, url: str) -> Widget:
        self.page.goto(url)
        expect(self.launcher).to_be_attached()  # hidden on phones while open
        return self

    def open(self) -> None:
        if not self.panel.is_visible():
            self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.input).to_be_visible()

    def wait_connected(self, timeout: float = 20) -> str:
        """Waits for session_confirm; returns the session id."""
        self.page.wait_for_function(
            f"() => !!localStorage.getItem('{STORAGE_PREFIX}:session_id')",
            timeout=timeout * 1000,
        )
        return self.session_id()

    def session_id(self) -> str | None:
        return self.page.evaluate(
            f"() => localStorage.getItem('{STORAGE_PREFIX}:session_id')"
        )

    def transcript(self) -> dict | None:
        sid = self.session_id()
        if not sid:
            return None
        return self.page.evaluate(
            "(k) => JSON.parse(localStorage.getItem(k) || 'null')",
            f"{STORAGE_PREFIX}:transcript:{sid}",
        )

    def type_message(self, text: str) -> None:
        self.input.click()
        self.input.press_sequentially(text)
        self.input.press("Enter")

    def send(self, text: str, timeout: float = 20) -> list[str]:
        """Types a message and waits for at least one new bot bubble."""
        before = self.bot_bubbles.count()
        self.type_message(text)
        expect(self.user_bubbles.last).to_contain_text(text[:40])
        return self.wait_for_bot(before, timeout)

    def wait_for_bot(self, before: int, timeout: float = 20) -> list[str]:
        """Waits until bot bubbles > before and the reply burst has settled."""
        self.page.wait_for_function(
            """([before, selector]) => {
              const host = document.querySelector('#symptom-chat-widget');
              const chat = host && host.shadowRoot.querySelector('deep-chat');
              if (!chat || !chat.shadowRoot) return false;
              return chat.shadowRoot.querySelectorAll(selector).length > before;
            }""",
            arg=[before, BOT_TEXT],
            timeout=timeout * 1000,
        )
        self.settle()
        return self.bot_bubbles.all_inner_texts()[before:]

    def settle(self, quiet: float = 0.6, timeout: float = 10) -> None:
        """Waits until no new message has arrived for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last = -1
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            count = self.page.locator(".outer-message-container").count()
            if count != last:
                last = count
                stable_since = time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                return
            time.sleep(0.1)

    def click_reply(self, title: str, timeout: float = 20) -> list[str]:
        before = self.bot_bubbles.count()
        self.reply_button(title).click()
        expect(self.user_bubbles.last).to_have_text(title)
        return self.wait_for_bot(before, timeout)

    def active_element(self) -> dict | None:
        return self.page.evaluate(ACTIVE_ELEMENT_JS)

    def tab_until(self, predicate, key: str = "Tab", limit: int = 40) -> dict:
        for _ in range(limit):
            self.page.keyboard.press(key)
            active = self.active_element()
            if active and predicate(active):
                return active
        raise AssertionError(
            f"focus never reached the target with {key} ({limit} presses)"
        )
