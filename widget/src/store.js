// Session id + local transcript, kept in localStorage (or sessionStorage).
// The Rasa tracker endpoint is token protected, so a page reload re-renders
// this local copy while the server continues the same conversation because
// the same session_id is sent in `session_request`.

const MAX_MESSAGES = 200;

function memoryStorage() {
  const data = new Map();
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

function pickStorage(kind) {
  try {
    const s = kind === 'session' ? window.sessionStorage : window.localStorage;
    const probe = '__symptom_chat_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return memoryStorage(); // storage blocked (privacy mode, sandboxed iframe)
  }
}

export class ChatStore {
  constructor(kind, prefix) {
    this.storage = pickStorage(kind);
    this.prefix = prefix;
  }

  key(name) {
    return this.prefix + ':' + name;
  }

  get sessionId() {
    return this.storage.getItem(this.key('session_id')) || null;
  }

  set sessionId(id) {
    if (id) this.storage.setItem(this.key('session_id'), id);
    else this.storage.removeItem(this.key('session_id'));
  }

  get open() {
    return this.storage.getItem(this.key('open'));
  }

  set open(value) {
    this.storage.setItem(this.key('open'), value ? '1' : '0');
  }

  transcriptKey(sessionId) {
    return this.key('transcript:' + sessionId);
  }

  /** @returns {{messages: Array<object>, emergency: boolean, triage: string|null}} */
  load(sessionId) {
    const empty = { messages: [], emergency: false, triage: null };
    if (!sessionId) return empty;
    try {
      const raw = this.storage.getItem(this.transcriptKey(sessionId));
      if (!raw) return empty;
      const data = JSON.parse(raw);
      if (!data || !Array.isArray(data.messages)) return empty;
      return {
        messages: data.messages.filter((m) => m && typeof m === 'object'),
        emergency: !!data.emergency,
        triage: typeof data.triage === 'string' ? data.triage : null,
      };
    } catch {
      return empty;
    }
  }

  save(sessionId, transcript) {
    if (!sessionId) return;
    const messages = transcript.messages.slice(-MAX_MESSAGES);
    try {
      this.storage.setItem(
        this.transcriptKey(sessionId),
        JSON.stringify({ v: 1, messages, emergency: !!transcript.emergency, triage: transcript.triage || null }),
      );
    } catch {
      /* quota exceeded: keep going without persistence */
    }
  }

  clear(sessionId) {
    if (sessionId) this.storage.removeItem(this.transcriptKey(sessionId));
  }
}
