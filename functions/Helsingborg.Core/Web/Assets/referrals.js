// The referral inbox (GET /referrals): the receiving partner's referrals from GET /api/referrals, answered with
// POST /api/referrals/{referralId}/{accept|decline|complete}. The partner key is kept for this browser session only,
// under the same name as the intake form's. Plain DOM from text nodes only; the words come from the page's data block.
import { h, localTime } from './dom.js';
import { refreshNavigation } from './site.js';

(() => {
  'use strict';
  const storageName = 'helsingborg.partnerKey';
  const data = JSON.parse(document.getElementById('inbox-data').textContent);
  const t = (key) => data.texts[key] ?? key;
  const lang = document.documentElement.lang === 'en' ? 'en' : 'sv';
  const locale = lang === 'en' ? 'en-GB' : 'sv-SE';
  const OPEN = ['sent', 'accepted'];
  const $ = (id) => document.getElementById(id);
  let current = [];

  const keyInput = $('f-apiKey');
  const keyError = $('f-apiKey-error');
  const status = $('inbox-status');
  const inbox = $('inbox');

  function storedKey() {
    try { return sessionStorage.getItem(storageName) || ''; } catch { return ''; }
  }

  function storeKey(key) {
    try { if (key) { sessionStorage.setItem(storageName, key); } else { sessionStorage.removeItem(storageName); } } catch { /* storage off: asked again */ }
    refreshNavigation();
  }

  // Says what happened in the live region; an emptied region first, so the same words twice are read twice.
  function say(text, kind) {
    status.textContent = '';
    status.className = kind || '';
    requestAnimationFrame(() => { status.textContent = text; });
  }

  function focusOn(element) {
    if (!element) return;
    if (!element.matches('a, button, input, select, textarea')) element.tabIndex = -1;
    element.focus();
  }

  const format = (text, ...values) => values.reduce((s, v, i) => s.replace(`{${i}}`, String(v)), text);
  const when = (v) => (v ? h('time', { datetime: v }, localTime(v)) : null);

  function named(type, code) {
    try { const name = new Intl.DisplayNames([locale], { type }).of(code); return name && name !== code ? `${name} (${code})` : code; } catch { return code; }
  }

  // A shared value as words: language and country codes by name, gender by the page's word.
  function shown(field, value) {
    if (value == null || value === '' || (Array.isArray(value) && !value.length)) return t('notKnown');
    if (field === 'languages') return value.map((c) => named('language', c)).join(', ');
    if (field === 'citizenship') return value.map((c) => named('region', c)).join(', ');
    if (field === 'gender') return t(`gender.${value}`);
    return Array.isArray(value) ? value.join(', ') : String(value);
  }

  class HttpError extends Error { constructor(status) { super(`HTTP ${status}`); this.status = status; } }

  // One Idempotency-Key per answer: the same answer sent again (a retry, a double click) keeps its key and counts once.
  const keys = new Map();

  async function call(path, method = 'GET', body = undefined) {
    const headers = { 'X-Api-Key': storedKey(), Accept: 'application/json' };
    if (method === 'POST') {
      const request = `${path} ${JSON.stringify(body ?? null)}`;
      if (!keys.has(request)) keys.set(request, crypto.randomUUID());
      headers['Idempotency-Key'] = keys.get(request);
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store', redirect: 'error',
    });
    if (!response.ok) throw new HttpError(response.status);
    return response.status === 202 || response.status === 204 ? null : response.json();
  }

  function problem(err) {
    switch (err && err.status) {
      case 401: return t('invalidKey');
      case 403: return t('forbiddenKey');
      case 404: return t('notFound');
      case 409: return t('conflict');
      case 429: case 503: return t('busy');
      default: return t('failed');
    }
  }

  function showKeyEntry(show) {
    $('key-entry').hidden = !show;
    $('key-saved').hidden = show;
  }

  function keyProblem(text) {
    keyError.textContent = text;
    keyError.hidden = !text;
    if (text) keyInput.setAttribute('aria-invalid', 'true'); else keyInput.removeAttribute('aria-invalid');
    $('f-apiKey-field').classList.toggle('field-error', Boolean(text));
  }

  // The key was refused: nothing of the referrals stays on the page, and the key is asked for again.
  function signOut(err) {
    storeKey('');
    keyInput.value = '';
    clear();
    showKeyEntry(true);
    const text = problem(err);
    keyProblem(text);
    say(text, 'error');
    keyInput.focus();
  }

  function clear() {
    current = [];
    inbox.hidden = true;
    for (const id of ['open-referrals', 'closed-referrals']) $(id).replaceChildren();
  }

  function facts(pairs) {
    return h('dl', { className: 'facts' }, pairs.filter(([, v]) => v != null).map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
  }

  function sharedPart(r) {
    if (!OPEN.includes(r.status)) return h('p', { className: 'muted' }, t('sharedGone'));
    const fields = data.fields.filter((f) => r.shared && Object.prototype.hasOwnProperty.call(r.shared, f));
    if (!fields.length) return h('p', { className: 'muted' }, t('sharedNone'));
    return [h('h4', {}, t('shared')), h('dl', { className: 'facts shared' }, fields.map((f) => [h('dt', {}, t(`field.${f}`)), h('dd', { 'data-field': f }, shown(f, r.shared[f]))]))];
  }

  function actions(r, titleId) {
    const context = { 'aria-describedby': titleId };
    if (r.status === 'accepted') {
      const hint = `${titleId}-complete-hint`;
      return h('div', { className: 'actions' },
        h('p', { className: 'hint', id: hint }, t('completeHint')),
        h('button', { type: 'button', className: 'primary complete', 'aria-describedby': `${titleId} ${hint}`, onclick: () => answer(r, 'complete') }, t('complete')));
    }
    if (r.status !== 'sent') return null;
    const selectId = `${titleId}-reason`;
    const errorId = `${selectId}-error`;
    const reason = h('select', { id: selectId, name: 'reason', required: true, 'aria-describedby': errorId },
      h('option', { value: '' }, t('chooseReason')), data.reasons.map((v) => h('option', { value: v }, t(`reason.${v}`))));
    const error = h('p', { className: 'error', id: errorId, hidden: true });
    const decline = h('form', { className: 'decline', novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      if (!reason.value) {
        error.textContent = t('reasonError'); error.hidden = false;
        reason.setAttribute('aria-invalid', 'true');
        say(t('reasonError'), 'error');
        reason.focus();
        return;
      }
      answer(r, 'decline', { reason: reason.value });
    } },
    h('div', { className: 'field' }, h('label', { for: selectId }, t('reason')), error, reason),
    h('button', { type: 'submit', className: 'secondary decline', ...context }, t('decline')));
    return h('div', { className: 'actions' },
      h('button', { type: 'button', className: 'primary accept', ...context, onclick: () => answer(r, 'accept') }, t('accept')),
      decline);
  }

  function item(r) {
    const titleId = `r-${r.referralId}`;
    const overdue = OPEN.includes(r.status) && new Date(r.dueAt) < new Date();
    return h('li', { className: 'referral', 'data-referral': r.referralId, 'data-status': r.status },
      h('h3', { id: titleId, tabindex: '-1' }, t(`kind.${r.kind}`), ' ',
        h('span', { className: 'badge status' }, t(`status.${r.status}`)), overdue ? h('span', { className: 'badge overdue' }, t('overdue')) : null),
      facts([
        ['sentAt', when(r.sentAt)], ['dueAt', when(r.dueAt)], ['answeredAt', when(r.answeredAt)], ['closedAt', when(r.closedAt)],
        ['declineReason', r.declineReason ? t(`reason.${r.declineReason}`) : null],
        // The referral's id, as the organisation's daily digest names it (nothing of the case).
        ['reference', h('span', { className: 'mono' }, r.referralId)],
      ]),
      sharedPart(r),
      actions(r, titleId));
  }

  function render(items) {
    const open = items.filter((r) => OPEN.includes(r.status));
    const closed = items.filter((r) => !OPEN.includes(r.status));
    for (const [list, none, rows] of [['open-referrals', 'no-open', open], ['closed-referrals', 'no-closed', closed]]) {
      $(list).replaceChildren(...rows.map(item));
      $(list).hidden = !rows.length;
      $(none).hidden = rows.length > 0;
    }
    inbox.hidden = false;
    return [open.length, closed.length];
  }

  // after: { message, kind, focus: an element id to move focus to once drawn }.
  async function load(after = {}) {
    say(t('loading'));
    let page;
    try {
      page = await call('/api/referrals');
    } catch (err) {
      if (err.status === 401 || err.status === 403) signOut(err); else say(problem(err), 'error');
      return;
    }
    showKeyEntry(false);
    keyProblem('');
    current = page.items;
    const [open, closed] = render(current);
    say(after.message || format(t('loaded'), open, closed), after.kind);
    if (after.focus) focusOn($(after.focus) || $('open-title'));
  }

  // The answer is checked against the case and accepted (202); the case applies it a moment later, so the item is
  // drawn as answered now rather than read again (every read of the inbox shows, and logs, what the open ones share).
  async function answer(r, verb, body) {
    const li = document.querySelector(`li[data-referral="${CSS.escape(r.referralId)}"]`);
    const controls = li ? [...li.querySelectorAll('button, select')] : [];
    const focused = document.activeElement;
    for (const c of controls) c.disabled = true;
    say(t('sending'));
    try {
      await call(`/api/referrals/${encodeURIComponent(r.referralId)}/${verb}`, 'POST', body);
    } catch (err) {
      if (err.status === 401 || err.status === 403) { signOut(err); return; }
      if (err.status === 404 || err.status === 409) { await load({ message: problem(err), kind: 'error', focus: 'open-title' }); return; }
      for (const c of controls) c.disabled = false;
      if (controls.includes(focused)) focused.focus();
      say(problem(err), 'error');
      return;
    }
    const now = new Date().toISOString();
    const answered = verb === 'accept' ? { status: 'accepted', answeredAt: now }
      : verb === 'decline' ? { status: 'declined', answeredAt: now, closedAt: now, declineReason: body.reason, shared: null }
        : { status: 'completed', closedAt: now, shared: null };
    current = current.map((x) => (x.referralId === r.referralId ? { ...x, ...answered } : x));
    render(current);
    say(t(`answered.${verb}`), 'message');
    // Still open, the referral's next step follows its heading; ended, it left the list, and the user goes on with the rest.
    focusOn(OPEN.includes(answered.status) ? $(`r-${r.referralId}`) : $('open-title'));
  }

  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = keyInput.value.trim();
    if (!key) {
      keyProblem(t('keyError'));
      say(t('keyError'), 'error');
      keyInput.focus();
      return;
    }
    storeKey(key);
    keyInput.value = '';
    load({ focus: 'open-title' });
  });
  $('change-key').addEventListener('click', () => {
    storeKey('');
    clear();
    say('');
    showKeyEntry(true);
    keyInput.focus();
  });
  $('refresh').addEventListener('click', () => load());

  if (storedKey()) { showKeyEntry(false); load(); } else { showKeyEntry(true); }
})();
