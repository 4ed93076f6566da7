// Unit tests of the widget's pure helpers: `npm test` (node:test, no deps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  escapeHtml,
  extractButtons,
  isEmergency,
  isSafeLink,
  mentionsEmergencyNumber,
  safeHttpUrl,
  stripUnsafeLinks,
  toPlainText,
  triageLevel,
} from '../src/text.js';
import { normalizeConfig, parseBool } from '../src/config.js';

test('escapeHtml escapes markup and attribute quotes', () => {
  assert.equal(
    escapeHtml(`<img src=x onerror="a('b')">&\``),
    '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;&#96;',
  );
  assert.equal(escapeHtml(null), '');
});

test('isEmergency: custom triage_level or the emergency number as a word', () => {
  assert.equal(isEmergency({ custom: { triage_level: 'emergency' } }), true);
  assert.equal(isEmergency({ custom: { triage_level: 'EMERGENCY' } }), true);
  assert.equal(isEmergency({ custom: { data: { triage_level: 'emergency' } } }), true);
  assert.equal(isEmergency({ custom: { triage_level: 'urgent' } }), false);
  assert.equal(isEmergency({ text: 'Call 911 now.' }), true);
  assert.equal(isEmergency({ text: '**911**' }), true);
  assert.equal(isEmergency({ text: 'Reference 19112 is not a number to call' }), false);
  assert.equal(isEmergency({ text: 'Ring 112 now' }, '112'), true);
  assert.equal(isEmergency({ text: 'See a doctor today.' }), false);
  assert.equal(isEmergency(null), false);
});

test('triageLevel and mentionsEmergencyNumber', () => {
  assert.equal(triageLevel({ custom: { triage_level: 'Self_Care' } }), 'self_care');
  assert.equal(triageLevel({ text: 'x' }), null);
  assert.equal(triageLevel({ custom: 'emergency' }), null);
  assert.equal(mentionsEmergencyNumber('call 911.'), true);
  assert.equal(mentionsEmergencyNumber('call 000', '000'), true);
  assert.equal(mentionsEmergencyNumber('9110'), false);
  assert.equal(mentionsEmergencyNumber(undefined), false);
});

test('extractButtons normalises quick_replies and buttons', () => {
  assert.deepEqual(extractButtons({ quick_replies: [{ content_type: 'text', title: 'Yes', payload: '/affirm' }] }), [
    { title: 'Yes', payload: '/affirm' },
  ]);
  assert.deepEqual(extractButtons({ buttons: [{ title: 'No' }, { payload: '/x' }, null, {}] }), [
    { title: 'No', payload: 'No' },
    { title: '/x', payload: '/x' },
  ]);
  assert.deepEqual(extractButtons({ quick_replies: 'nope' }), []);
});

test('link safety', () => {
  for (const ok of ['https://example.org/a', 'http://x.y', 'mailto:a@b.c', 'tel:911', '/relative']) {
    assert.equal(isSafeLink(ok), true, ok);
  }
  for (const bad of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x']) {
    assert.equal(isSafeLink(bad), false, bad);
  }
  assert.equal(safeHttpUrl('javascript:alert(1)'), null);
  assert.equal(safeHttpUrl('https://example.org/i.png'), 'https://example.org/i.png');
});

test('stripUnsafeLinks keeps safe links and drops unsafe targets', () => {
  assert.equal(
    stripUnsafeLinks('see [ok](https://a.org) and [bad](javascript:alert(1)) and [t](tel:911 "call")'),
    'see [ok](https://a.org) and bad and [t](tel:911 "call")',
  );
});

test('toPlainText strips Markdown for screen-reader announcements', () => {
  assert.equal(toPlainText('**Call 911** now, _please_. See [help](https://a.org).'), 'Call 911 now, please. See help.');
  assert.equal(toPlainText('snake_case_word stays'), 'snake_case_word stays');
});

test('config: defaults, data attributes, colours and booleans', () => {
  const cfg = normalizeConfig({ serverUrl: 'https://bot.example.org/', startOpen: 'true', primaryColor: 'red;}body{x' });
  assert.equal(cfg.serverUrl, 'https://bot.example.org');
  assert.equal(cfg.startOpen, true);
  assert.equal(cfg.primaryColor, '#0b57d0'); // rejected: CSS injection attempt
  assert.equal(cfg.position, 'right');
  assert.match(cfg.disclaimer, /General information, not a diagnosis\. In an emergency call 911/);
  const uk = normalizeConfig({ emergencyNumber: '999', transports: 'websocket' });
  assert.match(uk.disclaimer, /call 999 or your local emergency number/);
  assert.deepEqual(uk.transports, ['websocket']);
  assert.equal(normalizeConfig({ unknownKey: 1 }).unknownKey, undefined);
  assert.equal(parseBool('closed', true), false);
  assert.equal(parseBool(undefined, true), true);
});
