// Symptom-guide chat widget: one <script> tag, Rasa socket.io channel,
// deep-chat (https://deepchat.dev) for the message list and input.
import 'deep-chat';
import { io } from 'socket.io-client';
import shellCss from './widget.css';
import chatCss from './deepchat.css';
import { normalizeConfig, parseBool, readScriptAttributes } from './config.js';
import {
  escapeHtml,
  extractButtons,
  mentionsEmergencyNumber,
  safeHttpUrl,
  sanitizeAnchors,
  stripUnsafeLinks,
  toPlainText,
  triageLevel,
} from './text.js';
import { ChatStore } from './store.js';

const SCRIPT = document.currentScript;
const VERSION = '0.1.0';
const MAX_ANNOUNCEMENTS = 6;
const EMERGENCY_TEXT_GRACE_MS = 400;
const FOCUS_ATTEMPTS = 100; // x 50 ms: up to 5 s for deep-chat's input to appear

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    node.setAttribute(k, v === true ? '' : String(v));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

export class SymptomChatWidget {
  constructor(config) {
    this.cfg = config;
    this.store = new ChatStore(config.storage, config.storageKey);
    this.sessionId = this.store.sessionId;
    this.transcript = this.store.load(this.sessionId);
    this.socket = null;
    this.confirmed = false;
    this.queue = [];
    this.chat = null;
    this.signals = null;
    this.loading = { toggle: () => {} }; // deep-chat replaces toggle()
    this.typing = false;
    this.typingTimer = null;
    this.statusKind = null;
    // triage seen in the bot's current reply burst (reset when the user speaks)
    this.burst = { level: null };
    this.emergencyTimer = null;
    this.buildShell();
    const stored = this.store.open;
    const open = stored === null ? config.startOpen : stored === '1';
    if (open) this.openPanel({ focus: false });
  }

  // ---------------------------------------------------------------- shell
  buildShell() {
    const cfg = this.cfg;
    this.host = el('div', { id: 'symptom-chat-widget', 'data-version': VERSION });
    const root = this.host.attachShadow({ mode: 'open' });
    this.root = root;
    const style = el('style');
    style.textContent = shellCss;
    root.appendChild(style);

    const wrap = el('div', { class: 'rw', 'data-position': cfg.position });
    wrap.style.setProperty('--rw-primary', cfg.primaryColor);
    wrap.style.setProperty('--rw-on-primary', cfg.primaryTextColor);
    wrap.style.setProperty('--rw-emergency', cfg.emergencyColor);
    this.wrap = wrap;

    this.launcher = el('button', {
      type: 'button',
      class: 'rw-launcher',
      'aria-expanded': 'false',
      'aria-controls': 'rw-panel',
    });
    this.launcher.innerHTML = CHAT_ICON; // static markup
    this.launcher.appendChild(el('span', {}, cfg.title));
    this.launcher.addEventListener('click', () => (this.isOpen ? this.closePanel() : this.openPanel()));

    const panel = el('section', { class: 'rw-panel', id: 'rw-panel', 'aria-labelledby': 'rw-title', hidden: true });
    this.panel = panel;
    const header = el('header', { class: 'rw-header' });
    const heading = el('div', { class: 'rw-heading' });
    heading.appendChild(el('h2', { class: 'rw-title', id: 'rw-title' }, cfg.title));
    if (cfg.subtitle) heading.appendChild(el('p', { class: 'rw-subtitle' }, cfg.subtitle));
    this.restartButton = el('button', { type: 'button', class: 'rw-restart' }, 'Start over');
    this.restartButton.addEventListener('click', () => this.restart());
    this.closeButton = el('button', { type: 'button', class: 'rw-close', 'aria-label': 'Close chat' }, '×');
    this.closeButton.addEventListener('click', () => this.closePanel());
    header.append(heading, this.restartButton, this.closeButton);

    this.disclaimer = el('p', { class: 'rw-disclaimer', id: 'rw-disclaimer' }, cfg.disclaimer);
    // Always in the DOM so that inserting the banner is announced.
    this.emergencySlot = el('div', { class: 'rw-emergency', role: 'alert' });
    this.status = el('p', { class: 'rw-status', role: 'status' });
    this.chatSlot = el('div', { class: 'rw-chat' });
    // Screen-reader announcements of new bot messages.
    this.announcer = el('div', {
      class: 'rw-sr-only rw-announcer',
      'aria-live': 'polite',
      'aria-relevant': 'additions text',
    });
    panel.append(header, this.disclaimer, this.emergencySlot, this.status, this.chatSlot, this.announcer);
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.closePanel();
      }
    });

    wrap.append(panel, this.launcher);
    root.appendChild(wrap);
    document.body.appendChild(this.host);
    if (this.transcript.emergency) this.showEmergency();
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  openPanel({ focus = true } = {}) {
    this.panel.hidden = false;
    this.wrap.classList.add('rw--open');
    this.launcher.setAttribute('aria-expanded', 'true');
    this.store.open = true;
    if (!this.chat) this.createChat();
    this.connect();
    if (focus) this.focusInput();
  }

  closePanel() {
    this.panel.hidden = true;
    this.wrap.classList.remove('rw--open');
    this.launcher.setAttribute('aria-expanded', 'false');
    this.store.open = false;
    this.launcher.focus();
  }

  focusInput() {
    // deep-chat renders its input some time after the panel opens; on a slow
    // device (or a busy CI machine) that can take well over a second.
    const tryFocus = (attempt) => {
      const input = this.chat && this.chat.shadowRoot && this.chat.shadowRoot.getElementById('text-input');
      if (input) input.focus();
      else if (attempt < FOCUS_ATTEMPTS) setTimeout(() => tryFocus(attempt + 1), 50);
    };
    tryFocus(0);
  }

  /** kind: 'connection' | 'typing' | 'info'; clearStatus(kind) only clears that kind. */
  setStatus(text, kind = 'info') {
    this.status.textContent = text || '';
    this.statusKind = text ? kind : null;
  }

  clearStatus(kind) {
    if (this.statusKind === kind) this.setStatus('');
  }

  announce(text) {
    if (!text) return;
    this.announcer.appendChild(el('p', {}, text));
    while (this.announcer.childElementCount > MAX_ANNOUNCEMENTS) this.announcer.firstElementChild.remove();
  }

  showEmergency() {
    const n = this.cfg.emergencyNumber;
    this.emergencySlot.textContent = '';
    const banner = el('div', { class: 'rw-emergency-banner', 'data-testid': 'emergency-banner' });
    banner.appendChild(el('p', { class: 'rw-emergency-title' }, 'This may be an emergency.'));
    banner.appendChild(el('p', {}, `Call ${n} (or your local emergency number) now. Do not wait for the chat.`));
    const call = el('a', { class: 'rw-emergency-call', href: 'tel:' + n }, `Call ${n}`);
    banner.appendChild(call);
    // the slot is a live role="alert" region: inserting the banner announces it
    this.emergencySlot.appendChild(banner);
  }

  clearEmergency() {
    this.emergencySlot.textContent = '';
  }

  // ---------------------------------------------------------------- deep-chat
  createChat() {
    const cfg = this.cfg;
    const chat = document.createElement('deep-chat');
    this.chat = chat;
    chat.connect = { websocket: true, handler: (_body, signals) => this.onChatHandler(signals) };
    chat.displayLoadingBubble = this.loading;
    chat.history = this.renderTranscript();
    chat.introMessage = { text: cfg.welcomeMessage };
    // Raw HTML in Markdown is escaped (html: false). Link targets are not
    // checked by deep-chat's remarkable set-up: see stripUnsafeLinks and
    // sanitizeAnchors.
    chat.remarkable = { html: false, breaks: true, typographer: false, linkTarget: '_blank' };
    chat.textInput = {
      placeholder: { text: cfg.placeholder, style: { color: '#5f6368' } },
      characterLimit: 1000,
      styles: {
        container: { border: '1px solid #747775', borderRadius: '10px', boxShadow: 'none', width: '80%' },
        text: { padding: '10px 12px', color: '#1f1f1f' },
      },
    };
    chat.submitButtonStyles = {
      submit: { container: { default: { padding: '6px' } }, svg: { styles: { default: { filter: 'none' } } } },
    };
    chat.chatStyle = {
      width: '100%',
      height: '100%',
      border: 'none',
      backgroundColor: '#ffffff',
      fontFamily: 'inherit',
      fontSize: '1rem',
    };
    chat.messageStyles = {
      default: {
        shared: { bubble: { maxWidth: '85%', lineHeight: '1.4', padding: '10px 12px' } },
        ai: { bubble: { backgroundColor: '#f1f3f4', color: '#1f1f1f' } },
        user: { bubble: { backgroundColor: cfg.primaryColor, color: cfg.primaryTextColor } },
      },
      html: { shared: { bubble: { backgroundColor: 'transparent', padding: '0', maxWidth: '100%' } } },
      intro: { bubble: { backgroundColor: '#f1f3f4', color: '#1f1f1f', maxWidth: '85%' } },
      loading: { message: { styles: { bubble: { backgroundColor: '#f1f3f4', padding: '14px 16px' } } } },
      error: { bubble: { backgroundColor: '#fce8e6', color: '#5f1410' } },
    };
    chat.errorMessages = { displayServiceErrorMessages: false };
    chat.htmlClassUtilities = {
      'rw-qr': { events: { click: (event) => this.onQuickReply(event) } },
    };
    chat.auxiliaryStyle = chatCss;
    // deep-chat only loads its default web font (from Google Fonts) when no
    // font is set on the element: keep the page's font and make no
    // third-party request.
    chat.style.fontFamily = 'inherit';
    this.chatSlot.appendChild(chat);
    // deep-chat re-renders its shadow DOM when properties change (and its
    // onComponentRender hook fires only once), so re-apply the patch on change.
    // Runs as a microtask right after each change, before any user input.
    const observer = new MutationObserver(() => this.patchChatAccessibility());
    if (chat.shadowRoot) observer.observe(chat.shadowRoot, { childList: true, subtree: true });
    this.patchChatAccessibility();
  }

  /** deep-chat renders into its own shadow root; add the labels it lacks. */
  patchChatAccessibility() {
    const root = this.chat && this.chat.shadowRoot;
    if (!root) return;
    const messages = root.getElementById('messages');
    // remarkable (inside deep-chat) keeps javascript: links: drop them.
    if (messages) sanitizeAnchors(messages);
    if (messages) {
      messages.setAttribute('role', 'region');
      messages.setAttribute('aria-label', 'Conversation');
      messages.setAttribute('tabindex', '0'); // scrollable region reachable by keyboard
    }
    const input = root.getElementById('text-input');
    if (input) {
      input.setAttribute('role', 'textbox');
      input.setAttribute('aria-multiline', 'true');
      input.setAttribute('aria-label', 'Your message');
      input.setAttribute('aria-describedby', 'rw-hint');
      if (!root.getElementById('rw-hint')) {
        const hint = el('span', { id: 'rw-hint', hidden: true }, 'Press Enter to send.');
        input.parentElement.appendChild(hint);
      }
    }
    const submit = root.getElementById('submit-button') || root.querySelector('.input-button');
    if (submit) {
      submit.setAttribute('role', 'button');
      submit.setAttribute('aria-label', 'Send message');
      if (!submit.hasAttribute('tabindex')) submit.setAttribute('tabindex', '0');
      if (!submit.dataset.rwKeys) {
        submit.dataset.rwKeys = '1';
        submit.addEventListener('keydown', (e) => {
          if (e.key === ' ' || e.key === 'Spacebar') {
            e.preventDefault();
            submit.click();
          }
        });
      }
    }
    for (const svg of root.querySelectorAll('svg')) svg.setAttribute('aria-hidden', 'true');
  }

  onChatHandler(signals) {
    this.signals = signals;
    signals.newUserMessage.listener = (body) => this.onTypedMessage(body);
    signals.onOpen();
  }

  /** Transcript entry -> deep-chat messages. */
  toChatMessages(entry, { interactive = false } = {}) {
    if (entry.role === 'user') return [{ role: 'user', text: stripUnsafeLinks(entry.text) }];
    const out = [];
    if (entry.text) out.push({ role: 'ai', text: stripUnsafeLinks(entry.text) });
    if (entry.image) out.push({ role: 'ai', files: [{ src: entry.image, type: 'image' }] });
    if (entry.link) {
      const href = entry.link.replace(/\(/g, '%28').replace(/\)/g, '%29');
      out.push({ role: 'ai', text: `[Open attachment](${href})` });
    }
    if (entry.buttons && entry.buttons.length) {
      out.push({ role: 'ai', html: this.buttonsHtml(entry, !interactive || entry.answered) });
    }
    return out;
  }

  buttonsHtml(entry, disabled) {
    const buttons = entry.buttons
      .map((b) => {
        const chosen = entry.chosen !== undefined && entry.chosen === b.payload;
        return (
          `<button type="button" class="rw-qr${chosen ? ' rw-qr--chosen' : ''}"` +
          ` data-payload="${escapeHtml(b.payload)}"${disabled ? ' disabled' : ''}` +
          `${chosen ? ' aria-pressed="true"' : ''}>${escapeHtml(b.title)}</button>`
        );
      })
      .join('');
    return `<div class="rw-qr-group" role="group" aria-label="Answer options">${buttons}</div>`;
  }

  renderTranscript() {
    const msgs = this.transcript.messages;
    const out = [];
    msgs.forEach((entry, i) => {
      out.push(...this.toChatMessages(entry, { interactive: i === msgs.length - 1 }));
    });
    return out;
  }

  persist() {
    this.store.save(this.sessionId, this.transcript);
  }

  // ---------------------------------------------------------------- user input
  onTypedMessage(body) {
    const first = body && Array.isArray(body.messages) ? body.messages[0] : body;
    const text = first && typeof first.text === 'string' ? first.text.trim() : '';
    if (!text) return;
    this.recordUser(text);
    this.send(text);
  }

  onQuickReply(event) {
    const button = event.currentTarget && event.currentTarget.closest ? event.currentTarget : event.target;
    if (!button || button.disabled) return;
    const payload = button.getAttribute('data-payload') || '';
    const title = button.textContent || payload;
    // mark the chosen answer before the group is disabled
    const last = this.transcript.messages[this.transcript.messages.length - 1];
    if (last && last.buttons) last.chosen = payload;
    button.classList.add('rw-qr--chosen');
    button.setAttribute('aria-pressed', 'true');
    this.chat.addMessage({ role: 'user', text: title });
    this.recordUser(title);
    this.send(payload);
    this.focusInput();
  }

  recordUser(text) {
    this.burst = { level: null };
    for (const m of this.transcript.messages) if (m.buttons) m.answered = true;
    const root = this.chat && this.chat.shadowRoot;
    if (root) for (const b of root.querySelectorAll('.rw-qr')) b.disabled = true;
    this.transcript.messages.push({ role: 'user', text });
    this.persist();
  }

  send(message) {
    this.showTyping();
    if (this.socket && this.socket.connected && this.confirmed) this.emitUser(message);
    else {
      this.queue.push(message);
      this.connect();
    }
  }

  emitUser(message) {
    this.socket.emit('user_uttered', { message, session_id: this.sessionId });
  }

  // ---------------------------------------------------------------- typing indicator
  showTyping() {
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), this.cfg.typingTimeoutMs);
    this.setStatus('The assistant is typing…', 'typing');
    if (this.typing) return;
    this.typing = true;
    try {
      this.loading.toggle({});
    } catch {
      /* not rendered yet */
    }
  }

  hideTyping() {
    clearTimeout(this.typingTimer);
    this.clearStatus('typing');
    if (!this.typing) return;
    this.typing = false;
    try {
      this.loading.toggle();
    } catch {
      /* ignore */
    }
  }

  // ---------------------------------------------------------------- socket.io
  connect() {
    if (this.socket) return;
    const cfg = this.cfg;
    if (!this.confirmed && !this.statusKind) this.setStatus('Connecting…', 'connection');
    const socket = io(cfg.serverUrl, {
      path: cfg.socketPath,
      transports: cfg.transports,
      forceNew: true,
      reconnectionDelayMax: 10000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.confirmed = false;
      // The same session id continues the same Rasa conversation.
      socket.emit('session_request', { session_id: this.sessionId });
    });
    socket.on('session_confirm', (data) => this.onSessionConfirm(data));
    socket.on('bot_uttered', (data) => this.onBotMessage(data));
    socket.on('disconnect', (reason) => {
      this.confirmed = false;
      if (reason !== 'io client disconnect') this.setStatus('Connection lost. Reconnecting…', 'connection');
    });
    socket.on('connect_error', () => {
      // socket.active is false when the server refused the connection (e.g.
      // this page's origin is not on the bot's allow-list): no retry then.
      this.setStatus(
        socket.active
          ? 'Cannot reach the assistant right now. Retrying…'
          : 'The assistant is not available on this page.',
        'connection',
      );
    });
  }

  onSessionConfirm(data) {
    const id = typeof data === 'string' ? data : data && data.session_id;
    if (!id) return;
    const isNew = !this.sessionId;
    if (this.sessionId && this.sessionId !== id) {
      // server refused our id: keep the visible transcript under the new id
      this.store.clear(this.sessionId);
    }
    this.sessionId = id;
    this.store.sessionId = id;
    this.persist();
    this.confirmed = true;
    this.clearStatus('connection');
    if (isNew && this.cfg.initPayload) this.emitUser(this.cfg.initPayload);
    const pending = this.queue.splice(0);
    for (const m of pending) this.emitUser(m);
  }

  onBotMessage(data) {
    if (!data || typeof data !== 'object') return;
    this.hideTyping();
    const entry = { role: 'bot' };
    if (typeof data.text === 'string' && data.text.trim()) entry.text = data.text;
    const buttons = extractButtons(data);
    if (buttons.length) entry.buttons = buttons;
    const att = data.attachment;
    if (att && typeof att === 'object') {
      const src = safeHttpUrl(att.payload && (att.payload.src || att.payload.url));
      if (src && att.type === 'image') entry.image = src;
      else if (src) entry.link = src;
    } else if (typeof data.image === 'string') {
      const src = safeHttpUrl(data.image);
      if (src) entry.image = src;
    }
    if (data.custom && typeof data.custom === 'object') entry.custom = data.custom;
    if (entry.custom && entry.custom.conversation_deleted === true) {
      this.forgetLocally();
      return;
    }
    const level = triageLevel(data);
    if (level) this.transcript.triage = level; // latest triage, kept with the transcript
    this.updateEmergency(level, mentionsEmergencyNumber(entry.text, this.cfg.emergencyNumber));

    const visible = entry.text || entry.image || entry.link || entry.buttons;
    if (visible) {
      this.transcript.messages.push(entry);
      if (this.chat) for (const m of this.toChatMessages(entry, { interactive: true })) this.chat.addMessage(m);
      let spoken = entry.text ? toPlainText(entry.text) : '';
      if (entry.buttons) spoken += ` Answer options: ${entry.buttons.map((b) => b.title).join(', ')}.`;
      this.announce(spoken.trim());
    }
    this.persist();
  }

  /**
   * The banner goes up for a custom triage_level "emergency", or for text
   * that mentions the emergency number -- unless the bot gives another
   * triage level in the same reply burst (safety-net advice such as "call 911
   * if it suddenly gets worse").  Rasa sends a message's text just before its
   * custom payload, so a banner based on the text alone waits a moment for
   * that payload.  Once shown, the banner stays until "Start over".
   */
  updateEmergency(level, mentionsNumber) {
    const burst = this.burst;
    if (level) burst.level = level;
    if (level === 'emergency') {
      this.raiseEmergency();
      return;
    }
    if (!mentionsNumber || this.transcript.emergency || burst.level || this.emergencyTimer) return;
    this.emergencyTimer = setTimeout(() => {
      this.emergencyTimer = null;
      if (!burst.level || burst.level === 'emergency') this.raiseEmergency();
    }, EMERGENCY_TEXT_GRACE_MS);
  }

  raiseEmergency() {
    clearTimeout(this.emergencyTimer);
    this.emergencyTimer = null;
    if (this.transcript.emergency) return;
    this.transcript.emergency = true;
    this.showEmergency();
    this.persist();
  }

  /**
   * The bot deleted the conversation ("delete my data"): drop this browser's
   * copy too and continue in a new session, showing only the confirmation
   * (which is not stored).  The old session gets no /restart: nothing more
   * is written under it.
   */
  forgetLocally() {
    const lastBot = this.transcript.messages.filter((m) => m.role === 'bot').pop();
    this.restart({ notifyServer: false });
    if (lastBot && lastBot.text && this.chat) {
      for (const m of this.toChatMessages({ role: 'bot', text: lastBot.text }, { interactive: false })) {
        this.chat.addMessage(m);
      }
    }
    this.setStatus('Your conversation was deleted.');
  }

  // ---------------------------------------------------------------- start over
  restart({ notifyServer = true } = {}) {
    const old = this.sessionId;
    const socket = this.socket;
    if (notifyServer && socket && socket.connected && old && this.confirmed) {
      socket.emit('user_uttered', { message: '/restart', session_id: old });
    }
    this.store.clear(old);
    this.store.sessionId = null;
    this.sessionId = null;
    this.transcript = { messages: [], emergency: false, triage: null };
    this.queue = [];
    this.burst = { level: null };
    clearTimeout(this.emergencyTimer);
    this.emergencyTimer = null;
    this.hideTyping();
    this.clearEmergency();
    this.announcer.textContent = '';
    if (this.chat) this.chat.clearMessages(true);
    // A fresh socket: replies still addressed to the old session are not shown.
    if (socket) {
      socket.off();
      socket.disconnect();
    }
    this.socket = null;
    this.confirmed = false;
    if (this.isOpen) this.connect();
    this.setStatus('Started a new conversation.');
    this.focusInput();
  }

  destroy() {
    if (this.socket) {
      this.socket.off();
      this.socket.disconnect();
    }
    this.host.remove();
  }
}

let instance = null;

function init(userConfig) {
  if (instance) return instance;
  const cfg = normalizeConfig(readScriptAttributes(SCRIPT), window.SymptomChatConfig, userConfig);
  const start = () => {
    if (!instance) instance = new SymptomChatWidget(cfg);
    return instance;
  };
  if (document.body) return start();
  document.addEventListener('DOMContentLoaded', start, { once: true });
  return null;
}

window.SymptomChat = {
  version: VERSION,
  init,
  open: () => instance && instance.openPanel(),
  close: () => instance && instance.closePanel(),
  restart: () => instance && instance.restart(),
  get instance() {
    return instance;
  },
};

if (parseBool(SCRIPT && SCRIPT.getAttribute('data-auto-init'), true)) init();
