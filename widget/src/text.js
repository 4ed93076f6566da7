// Small pure helpers (unit-tested in widget/test/).

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escape text for use in HTML text content and quoted attribute values. */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

/** Markdown-ish bot text -> plain text for the screen-reader live region. */
export function toPlainText(markdown) {
  return String(markdown ?? '')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1') // [label](url) -> label
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_](?!\s)(.+?)[*_](?=$|[^\w*])/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The triage level of a custom payload ({"custom": {"triage_level": ...}}), lower case. */
export function triageLevel(message) {
  const custom = message && typeof message === 'object' ? message.custom : null;
  if (!custom || typeof custom !== 'object') return null;
  const level = custom.triage_level ?? (custom.data && custom.data.triage_level);
  return typeof level === 'string' && level ? level.toLowerCase() : null;
}

/** Text mentions the emergency number (911 by default) as a whole number. */
export function mentionsEmergencyNumber(text, emergencyNumber = '911') {
  if (typeof text !== 'string' || !text) return false;
  for (const n of new Set(['911', String(emergencyNumber)])) {
    const esc = n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp('(^|[^0-9])' + esc + '($|[^0-9])').test(text)) return true;
  }
  return false;
}

/**
 * Emergency detection for one bot message: a custom payload with
 * triage_level "emergency", or text mentioning the emergency number.
 * (The widget refines this per reply burst: see SymptomChatWidget.onBotMessage.)
 */
export function isEmergency(message, emergencyNumber = '911') {
  if (!message || typeof message !== 'object') return false;
  if (triageLevel(message) === 'emergency') return true;
  return mentionsEmergencyNumber(message.text, emergencyNumber);
}

/** Normalise Rasa's quick_replies / buttons into [{title, payload}]. */
export function extractButtons(message) {
  const raw = (message && (message.quick_replies || message.buttons)) || [];
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((b) => b && (b.title !== undefined || b.payload !== undefined))
    .map((b) => ({
      title: String(b.title ?? b.payload ?? ''),
      payload: String(b.payload ?? b.title ?? ''),
    }))
    .filter((b) => b.title || b.payload);
}

/** Only http(s) URLs are used for images / links coming from attachments. */
export function safeHttpUrl(url) {
  try {
    const u = new URL(String(url), typeof location !== 'undefined' ? location.href : 'http://localhost/');
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

const SAFE_LINK_PROTOCOLS = ['http:', 'https:', 'mailto:', 'tel:'];

/** True for http(s)/mailto/tel links (absolute, or relative to the page). */
export function isSafeLink(href) {
  if (typeof href !== 'string') return false;
  // strip control characters and whitespace browsers ignore in URLs
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!cleaned) return false;
  try {
    const base = typeof location !== 'undefined' ? location.href : 'http://localhost/';
    return SAFE_LINK_PROTOCOLS.includes(new URL(cleaned, base).protocol);
  } catch {
    return false;
  }
}

/**
 * Markdown inline links [label](target) whose target is not a safe link are
 * reduced to their label before rendering (javascript:, data:, vbscript: ...).
 * The rendered DOM is checked again afterwards (see sanitizeAnchors).
 */
export function stripUnsafeLinks(markdown) {
  return String(markdown ?? '').replace(
    /\[([^\]]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
    (whole, label, target) => (isSafeLink(target) ? whole : label),
  );
}

/** Removes unsafe hrefs from rendered anchors and hardens the rest. */
export function sanitizeAnchors(root) {
  for (const a of root.querySelectorAll('a')) {
    const href = a.getAttribute('href');
    if (href !== null && !isSafeLink(href)) {
      a.removeAttribute('href');
      a.setAttribute('data-unsafe-link-removed', '');
    }
    if (a.getAttribute('target') === '_blank') a.setAttribute('rel', 'noopener noreferrer');
  }
}
