// The partner form (GET /intake): keeps the partner key for this browser session only, posts the form to
// POST /intake with the key as X-Api-Key, then shows the HTML receipt or the field errors in the summary.
// Server messages are never shown as such: each field's own (localised) error text is.
import { enhanceChoices } from './choices.js';
import { refreshNavigation } from './site.js';

(() => {
  'use strict';
  const storageName = 'helsingborg.partnerKey';
  const form = document.getElementById('intake-form');
  if (!form) {
    return;
  }

  for (const wrapper of form.querySelectorAll('.choices')) { enhanceChoices(wrapper); }
  const messages = form.dataset;
  const keyInput = document.getElementById('f-apiKey');
  const summary = document.getElementById('error-summary');
  const list = document.getElementById('error-list');
  const status = document.getElementById('form-status');
  const submit = document.getElementById('submit');
  let idempotencyKey = newIdempotencyKey();
  let sending = false;

  function storedKey() {
    try { return sessionStorage.getItem(storageName) || ''; } catch { return ''; }
  }

  function storeKey(key) {
    try { if (key) { sessionStorage.setItem(storageName, key); } else { sessionStorage.removeItem(storageName); } } catch { /* storage off: asked again */ }
    refreshNavigation();
  }

  function showKeyEntry(show) {
    document.getElementById('key-entry').hidden = !show;
    document.getElementById('key-saved').hidden = show;
  }

  function newIdempotencyKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  }

  function idFor(field) {
    return 'f-' + field.replace(/\./g, '-');
  }

  function errorTextFor(id) {
    const element = document.getElementById(id);
    const wrapper = document.getElementById(id + '-field');
    return (element && element.dataset.error) || (wrapper && wrapper.dataset.error) || '';
  }

  function clearErrors() {
    list.replaceChildren();
    summary.hidden = true;
    for (const element of form.querySelectorAll('p.error')) { element.hidden = true; element.textContent = ''; }
    for (const element of form.querySelectorAll('[aria-invalid]')) { element.removeAttribute('aria-invalid'); }
    for (const element of form.querySelectorAll('.field-error')) { element.classList.remove('field-error'); }
  }

  // items: [{ id?, text }] — an id links the summary entry to its field.
  function showErrors(items) {
    clearErrors();
    const shown = new Set();
    for (const item of items) {
      if (shown.has(item.text)) { continue; }
      shown.add(item.text);
      const li = document.createElement('li');
      const target = item.id ? document.getElementById(item.id) : null;
      if (target) {
        const link = document.createElement('a');
        link.href = '#' + item.id;
        link.textContent = item.text;
        link.addEventListener('click', event => { event.preventDefault(); target.focus(); });
        li.append(link);
        target.setAttribute('aria-invalid', 'true');
        const error = document.getElementById(item.id + '-error');
        if (error) { error.textContent = item.text; error.hidden = false; }
        const wrapper = document.getElementById(item.id + '-field');
        if (wrapper) { wrapper.classList.add('field-error'); }
      } else {
        li.textContent = item.text;
      }
      list.append(li);
    }
    summary.hidden = false;
    summary.focus();
  }

  // A list (languages, citizenship) goes as one field of codes separated by commas, as the API's form body takes it.
  function body() {
    const fields = new URLSearchParams();
    const lists = new Map();
    for (const [name, value] of new FormData(form)) {
      if (typeof value !== 'string' || value.trim() === '') { continue; }
      if (form.elements.namedItem(name) instanceof HTMLSelectElement && form.elements.namedItem(name).multiple) {
        lists.set(name, [...(lists.get(name) || []), value]);
      } else if (name === 'observedAt') {
        const time = new Date(value); // datetime-local is the browser's local time: send it with its offset
        fields.append(name, Number.isNaN(time.getTime()) ? value : time.toISOString());
      } else {
        fields.append(name, value);
      }
    }
    for (const [name, codes] of lists) { fields.append(name, codes.join(',')); }
    return fields.toString();
  }

  async function problemItems(response) {
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON: general message */ }
    const items = [];
    for (const field of Object.keys((problem && problem.errors) || {})) {
      const id = idFor(field);
      const text = errorTextFor(id);
      items.push(text ? { id, text } : { text: messages.msgUnknown });
    }
    return items.length ? items : [{ text: messages.msgUnknown }];
  }

  async function send(event) {
    event.preventDefault();
    if (sending) { return; }
    const key = storedKey() || keyInput.value.trim();
    if (!key) {
      showErrors([{ id: 'f-apiKey', text: errorTextFor('f-apiKey') }]);
      return;
    }

    storeKey(key);
    sending = true;
    submit.disabled = true;
    status.textContent = messages.msgSending;
    try {
      const response = await fetch(form.getAttribute('action'), {
        method: 'POST',
        headers: {
          'X-Api-Key': key,
          'Idempotency-Key': idempotencyKey,
          'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8',
          'Accept': 'text/html, application/problem+json',
        },
        body: body(),
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
      if (response.status === 202) {
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const receipt = page.getElementById('main');
        document.getElementById('main').replaceWith(document.adoptNode(receipt));
        document.title = page.title;
        idempotencyKey = newIdempotencyKey();
        document.getElementById('receipt-title').focus();
        return;
      }

      if (response.status === 401 || response.status === 403) {
        storeKey('');
        keyInput.value = '';
        showKeyEntry(true);
        showErrors([{ id: 'f-apiKey', text: response.status === 401 ? messages.msgInvalidKey : messages.msgForbidden }]);
      } else if (response.status === 413) {
        showErrors([{ id: 'f-description', text: messages.msgTooLarge }]);
      } else if (response.status === 400) {
        showErrors(await problemItems(response));
      } else if (response.status === 503 || response.status === 429) {
        // Storage did not answer in time, or too many reports at once: the same Idempotency-Key goes with the retry.
        showErrors([{ text: messages.msgBusy }]);
      } else {
        showErrors([{ text: messages.msgFailed }]);
      }
    } catch {
      showErrors([{ text: messages.msgFailed }]);
    } finally {
      sending = false;
      if (document.body.contains(submit)) {
        submit.disabled = false;
        status.textContent = '';
      }
    }
  }

  // The outreach sessions of the last two weeks, for a report made during one; shown only when there are any.
  async function loadOutreachSessions(key) {
    const field = document.getElementById('f-outreachSessionId-field');
    const select = document.getElementById('f-outreachSessionId');
    if (!key || !field || select.options.length > 1) { return; }
    try {
      const response = await fetch('/api/outreach-sessions/recent', { headers: { 'X-Api-Key': key, 'Accept': 'application/json' }, credentials: 'omit', cache: 'no-store' });
      if (!response.ok) { return; }
      const items = (await response.json()).items || [];
      for (const session of items) {
        select.append(new Option(`${session.heldOn}, ${field.dataset['type' + session.type.charAt(0).toUpperCase() + session.type.slice(1)] || session.type}`, session.sessionId));
      }
      field.hidden = items.length === 0;
    } catch { /* no choice offered: the report is sent without a session */ }
  }

  showKeyEntry(storedKey() === '');
  loadOutreachSessions(storedKey());
  keyInput.addEventListener('change', () => loadOutreachSessions(keyInput.value.trim()));
  document.getElementById('change-key').addEventListener('click', () => {
    storeKey('');
    keyInput.value = '';
    showKeyEntry(true);
    keyInput.focus();
  });
  form.addEventListener('submit', send);
})();
