// The outreach page (GET /outreach): records a session with POST /api/outreach-sessions and lists the past year's
// with GET /api/outreach-sessions, with the coordinator key of this browser session (the dashboard's). Its words are
// the page's JSON data block "texts"; organisations' and types' names are the form's own labels.
import { h, localDate } from './dom.js';
import { refreshNavigation } from './site.js';

const t = JSON.parse(document.getElementById('texts').textContent);
const KEY = 'helsingborg.apiKey';
const $ = (id) => document.getElementById(id);
const form = $('session-form');
const keyForm = $('key-form');
const status = $('form-status');
const summary = $('error-summary');
const list = $('error-list');
const labelOf = (id) => document.querySelector(`label[for="${id}"]`)?.textContent || '';
let idempotencyKey = crypto.randomUUID();

function key() {
  try { return sessionStorage.getItem(KEY) || ''; } catch { return ''; }
}

function askForKey(message) {
  keyForm.hidden = false;
  status.textContent = message || '';
  $('api-key').focus();
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'X-Api-Key': key(), 'Accept': 'application/json', ...(body ? { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    cache: 'no-store',
  });
  if (response.status === 401 || response.status === 403) {
    try { sessionStorage.removeItem(KEY); } catch { /* storage off */ }
    askForKey(t.denied);
    return null;
  }
  return response;
}

function clearErrors() {
  list.replaceChildren();
  summary.hidden = true;
  for (const p of form.querySelectorAll('p.error')) { p.hidden = true; p.textContent = ''; }
  for (const e of form.querySelectorAll('[aria-invalid]')) { e.removeAttribute('aria-invalid'); }
}

function showErrors(fields) {
  clearErrors();
  for (const field of fields) {
    const wrapper = $(`o-${field}-field`);
    const control = $(`o-${field}`) || wrapper?.querySelector('input');
    const text = (control && control.dataset.error) || wrapper?.dataset.error || t.failed;
    const error = $(`o-${field}-error`);
    if (error) { error.textContent = text; error.hidden = false; }
    if (control && control.type !== 'radio' && control.type !== 'checkbox') { control.setAttribute('aria-invalid', 'true'); }
    list.append(h('li', {}, control ? h('a', { href: `#${control.id}`, onclick: (e) => { e.preventDefault(); control.focus(); } }, text) : text));
  }
  summary.hidden = false;
  summary.focus();
}

async function showSessions() {
  if (!key()) { askForKey(); return; }
  const today = localDate(Date.now());
  const from = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
  const response = await call('GET', `/api/outreach-sessions?from=${from}&to=${today}`);
  if (!response) { return; }
  if (!response.ok) { $('sessions').replaceChildren(h('p', {}, t.failed)); return; }
  const items = (await response.json()).items.slice().reverse();
  const cell = (label, value) => h('td', { 'data-label': label }, value);
  $('sessions').replaceChildren(items.length === 0 ? h('p', { id: 'no-sessions' }, t.none) : h('table', { id: 'session-list', className: 'stack' },
    h('caption', {}, t.listCaption),
    h('thead', {}, h('tr', {}, ['heldOn', 'type', 'participants', 'adsReviewed', 'contactsAttempted', 'responses', 'supportAccepted'].map((c) => h('th', { scope: 'col' }, t[c])))),
    h('tbody', {}, items.map((s) => h('tr', { 'data-session': s.sessionId },
      cell(t.heldOn, s.heldOn), cell(t.type, labelOf(`o-type-${s.type}`)),
      cell(t.participants, s.participants.map((p) => labelOf(`o-participants-${p}`) || p).join(', ')),
      cell(t.adsReviewed, s.adsReviewed), cell(t.contactsAttempted, s.contactsAttempted), cell(t.responses, s.responses), cell(t.supportAccepted, s.supportAccepted))))));
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('api-key').value.trim();
  if (!value) { return; }
  try { sessionStorage.setItem(KEY, value); } catch { /* storage off: asked again */ }
  refreshNavigation();
  keyForm.hidden = true;
  status.textContent = '';
  showSessions();
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!key()) { askForKey(t.needKey); return; }
  const number = (name) => (form.elements[name].value.trim() === '' ? null : Number(form.elements[name].value));
  const body = {
    heldOn: form.elements.heldOn.value || null,
    type: form.querySelector('input[name=type]:checked')?.value || null,
    participants: Array.from(form.querySelectorAll('input[name=participants]:checked'), (c) => c.value),
    adsReviewed: number('adsReviewed'), contactsAttempted: number('contactsAttempted'), responses: number('responses'), supportAccepted: number('supportAccepted'),
  };
  status.textContent = t.saving;
  try {
    const response = await call('POST', '/api/outreach-sessions', body);
    if (!response) { return; }
    if (response.status === 201) {
      clearErrors();
      idempotencyKey = crypto.randomUUID();
      status.textContent = t.saved;
      await showSessions();
    } else if (response.status === 400) {
      status.textContent = '';
      showErrors(Object.keys((await response.json()).errors || {}).map((f) => f.split('[')[0]));
    } else {
      status.textContent = t.failed;
    }
  } catch {
    status.textContent = t.failed;
  }
});

form.elements.heldOn.value = localDate(Date.now());
showSessions();
