// Widget configuration: defaults < data-* attributes on the <script> tag <
// window.SymptomChatConfig < the object passed to SymptomChat.init().

export const DEFAULT_EMERGENCY_NUMBER = '911';

export const DEFAULTS = Object.freeze({
  serverUrl: 'http://localhost:5005',
  socketPath: '/socket.io',
  title: 'Symptom guide',
  subtitle: 'Twitching face, cheek or eyelid',
  primaryColor: '#0b57d0',
  primaryTextColor: '#ffffff',
  emergencyColor: '#b3261e',
  startOpen: false,
  position: 'right',
  emergencyNumber: DEFAULT_EMERGENCY_NUMBER,
  disclaimer: '', // derived from emergencyNumber when empty
  welcomeMessage:
    'Hi! Tell me what you are noticing, for example: "my left eyelid has been twitching for three days".',
  placeholder: 'Describe your symptoms…',
  initPayload: '',
  storage: 'local', // "local" | "session"
  storageKey: 'symptom-chat',
  transports: ['websocket', 'polling'],
  typingTimeoutMs: 30000,
});

// data-attribute name (without "data-") -> config key
const ATTRIBUTES = {
  'server-url': 'serverUrl',
  'socket-path': 'socketPath',
  title: 'title',
  subtitle: 'subtitle',
  'primary-color': 'primaryColor',
  'primary-text-color': 'primaryTextColor',
  'emergency-color': 'emergencyColor',
  'start-open': 'startOpen',
  position: 'position',
  'emergency-number': 'emergencyNumber',
  disclaimer: 'disclaimer',
  'welcome-message': 'welcomeMessage',
  placeholder: 'placeholder',
  'init-payload': 'initPayload',
  storage: 'storage',
  'storage-key': 'storageKey',
  transports: 'transports',
};

export function parseBool(value, fallback) {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return fallback;
  const v = String(value).trim().toLowerCase();
  if (['true', '1', 'yes', 'open', ''].includes(v)) return true;
  if (['false', '0', 'no', 'closed'].includes(v)) return false;
  return fallback;
}

function safeColor(value, fallback) {
  if (typeof value !== 'string' || !value.trim()) return fallback;
  const v = value.trim();
  // Only plain colour values: no ";", "{", "}" or url() that could inject CSS.
  if (/[;{}<>\\]|url\s*\(/i.test(v)) return fallback;
  if (typeof CSS !== 'undefined' && CSS.supports && !CSS.supports('color', v)) return fallback;
  return v;
}

export function readScriptAttributes(script) {
  const out = {};
  if (!script || !script.dataset) return out;
  for (const [attr, key] of Object.entries(ATTRIBUTES)) {
    const value = script.getAttribute('data-' + attr);
    if (value !== null) out[key] = value;
  }
  return out;
}

export function normalizeConfig(...sources) {
  const merged = { ...DEFAULTS };
  for (const src of sources) {
    if (!src || typeof src !== 'object') continue;
    for (const [k, v] of Object.entries(src)) {
      if (v !== undefined && k in DEFAULTS) merged[k] = v;
    }
  }
  const cfg = { ...merged };
  cfg.serverUrl = String(cfg.serverUrl || DEFAULTS.serverUrl).replace(/\/+$/, '');
  cfg.socketPath = String(cfg.socketPath || DEFAULTS.socketPath);
  cfg.startOpen = parseBool(cfg.startOpen, false);
  cfg.position = cfg.position === 'left' ? 'left' : 'right';
  cfg.storage = cfg.storage === 'session' ? 'session' : 'local';
  cfg.primaryColor = safeColor(cfg.primaryColor, DEFAULTS.primaryColor);
  cfg.primaryTextColor = safeColor(cfg.primaryTextColor, DEFAULTS.primaryTextColor);
  cfg.emergencyColor = safeColor(cfg.emergencyColor, DEFAULTS.emergencyColor);
  cfg.emergencyNumber = String(cfg.emergencyNumber || DEFAULT_EMERGENCY_NUMBER).replace(/[^0-9+*#]/g, '') ||
    DEFAULT_EMERGENCY_NUMBER;
  if (!cfg.disclaimer) {
    cfg.disclaimer =
      'General information, not a diagnosis. In an emergency call ' +
      cfg.emergencyNumber +
      ' or your local emergency number.';
  }
  if (typeof cfg.transports === 'string') {
    cfg.transports = cfg.transports.split(',').map((t) => t.trim()).filter(Boolean);
  }
  if (!Array.isArray(cfg.transports) || !cfg.transports.length) cfg.transports = [...DEFAULTS.transports];
  cfg.typingTimeoutMs = Number(cfg.typingTimeoutMs) > 0 ? Number(cfg.typingTimeoutMs) : DEFAULTS.typingTimeoutMs;
  cfg.storageKey = String(cfg.storageKey || DEFAULTS.storageKey);
  return cfg;
}
