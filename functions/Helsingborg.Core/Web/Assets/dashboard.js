// The coordinator dashboard: plain DOM built from text nodes only (never parsed markup), data from the API.
import { h, localDate, localTime } from './dom.js';
import { refreshNavigation } from './site.js';
const lang = document.documentElement.lang === 'en' ? 'en' : 'sv';
const KEY = 'helsingborg.apiKey';

const TEXT = {
  sv: {
    recordOutreach: 'Registrera uppsökstillfället',
    signInTitle: 'Logga in', keyLabel: 'API-nyckel', signIn: 'Logga in',
    entraNote: 'Lokalt loggar du in med en nyckel (sparas bara i den här flikens session). I Azure loggar personalen in med Microsoft Entra ID.',
    badKey: 'Nyckeln gäller inte för samordnare.', loading: 'Hämtar …', failed: 'Något gick fel. Försök igen.',
    filters: 'Filter', phase: 'Fas', municipality: 'Kommun', lead: 'Huvudansvar', minor: 'Minderårig', overdueOnly: 'Bara försenade',
    any: 'Alla', openPhases: 'Alla öppna', apply: 'Visa', more: 'Visa fler',
    caseId: 'Ärende', step: 'Steg', openedAt: 'Öppnat', nextDueAt: 'Nästa frist', overdue: 'Försenat', noCases: 'Inga ärenden matchar.',
    reminders: 'Påminnelser att kvittera', noReminders: 'Inga öppna påminnelser.', acknowledge: 'Kvittera', escalated: 'Eskalerad', due: 'förfaller',
    back: '← Mina ärenden', caseData: 'Ärendet', reportedBy: 'Rapporterat av', closeReason: 'Orsak',
   
    evaluationOutcome: 'Utvärdering', erased: 'Personuppgifterna är raderade.',
    incident: 'Händelsen', observedAt: 'Observerad', placeType: 'Plats', suspicion: 'Misstanke', policeNotified: 'Polisen informerad',
    description: 'Beskrivning', location: 'Plats (fritext)', policeReference: 'Polisens diarienummer', reporterContact: 'Rapportörens kontakt',
    person: 'Personen', alias: 'Alias', estimatedAge: 'Uppskattad ålder', gender: 'Kön', languages: 'Språk', citizenship: 'Medborgarskap', contact: 'Kontakt',
    noPerson: 'Ingen person dokumenterad.', openReminders: 'Öppna påminnelser',
    record: 'Registrera händelse', eventType: 'Händelse', note: 'Anteckning (valfri)', save: 'Spara', recorded: 'Händelsen är registrerad.',
    noEvents: 'Inga händelser är tillåtna i den här fasen.', timeline: 'Tidslinje', refused: 'avvisad', noTimeline: 'Inga händelser ännu.',
    documents: 'Dokument', noDocuments: 'Inga dokument.', upload: 'Ladda upp', download: 'Hämta', file: 'Fil (pdf, jpeg, png eller text, högst 10 MiB)',
    uploaded: 'Dokumentet är uppladdat.', notFound: 'Ärendet finns inte eller är inte synligt för dig.', choose: '– välj –', none: '–',
    consents: 'Samtycken till delning', noConsents: 'Personen har inte samtyckt till att något delas.', organisation: 'Organisation', sharedFields: 'Får dela',
    purpose: 'Syfte', givenAt: 'Givet', withdrawnAt: 'Återkallat', inForce: 'Gäller',
    referrals: 'Remisser', noReferrals: 'Inga remisser.', kind: 'Slag av stöd', status: 'Status', sentAt: 'Skickad', dueAt: 'Klar senast',
    answeredAt: 'Besvarad', endedAt: 'Avslutad', declineReason: 'Skäl att avböja', need: 'Behov (delas bara om personen samtyckt till att behovet delas)',
    chooseFields: 'Välj minst en uppgift som får delas.',
    legalBasis: 'Rättslig grund', basisConsent: 'Samtycke', basisPublicTask: 'Uppgift av allmänt intresse (socialtjänstlagen)',
    consentWithdrawnAt: 'Samtycket återkallat', cullAfter: 'Akten gallras', recordKept: 'Stödet och all delning avslutades. Akten behålls till gallringsdatum.',
    recordErased: 'Personuppgifterna raderades.',
    reference: 'Ärendenummer', findTitle: 'Hitta ärende', findLabel: 'Ärendenummer, till exempel', find: 'Sök',
    findNone: 'Inget ärende med numret {0} som du kan se.', findInvalid: 'Skriv numret som på kvittot, till exempel {0}.',
    myCases: 'Mina ärenden', unassigned: 'Otilldelade ärenden', allCases: 'Alla ärenden', views: 'Ärendelistor', myReminders: 'Mina påminnelser',
    noMyCases: 'Du har inga ärenden just nu.', noMyReminders: 'Du har inga öppna påminnelser.', noUnassigned: 'Inga otilldelade ärenden.',
    worker: 'Ansvarig', noWorker: 'Ingen (otilldelat)', you: '(du)', workerTitle: 'Ansvarig för ärendet', assignToMe: 'Ta ärendet',
    handOverTo: 'Lämna över till', handOver: 'Lämna över', release: 'Lämna tillbaka till organisationen',
    assigned: 'Ärendet är ditt.', handedOver: 'Ärendet är överlämnat.', released: 'Ärendet är tillbaka bland de otilldelade.', chooseColleague: 'Välj en kollega.',
    samePersonNote: 'Andra ärenden där personen har samma alias eller kontaktuppgift. Bara ett förslag: öppna ärendena och avgör själv om det är samma person.',
    noSamePerson: 'Inga andra ärenden som du kan se har samma alias eller kontaktuppgift.',
  },
  en: {
    recordOutreach: 'Record the outreach session',
    signInTitle: 'Sign in', keyLabel: 'API key', signIn: 'Sign in',
    entraNote: 'Locally you sign in with a key (kept only in this tab\'s session). In Azure, staff sign in with Microsoft Entra ID.',
    badKey: 'This key is not a coordinator\'s.', loading: 'Loading …', failed: 'Something went wrong. Try again.',
    filters: 'Filters', phase: 'Phase', municipality: 'Municipality', lead: 'Lead', minor: 'Minor', overdueOnly: 'Overdue only',
    any: 'Any', openPhases: 'All open', apply: 'Show', more: 'Show more',
    caseId: 'Case', step: 'Step', openedAt: 'Opened', nextDueAt: 'Next due', overdue: 'Overdue', noCases: 'No cases match.',
    reminders: 'Reminders to acknowledge', noReminders: 'No open reminders.', acknowledge: 'Acknowledge', escalated: 'Escalated', due: 'due',
    back: '← My cases', caseData: 'The case', reportedBy: 'Reported by', closeReason: 'Reason',
   
    evaluationOutcome: 'Evaluation', erased: 'The personal data was erased.',
    incident: 'The incident', observedAt: 'Observed', placeType: 'Place', suspicion: 'Suspicion', policeNotified: 'Police notified',
    description: 'Description', location: 'Location', policeReference: 'Police reference', reporterContact: 'Reporter contact',
    person: 'The person', alias: 'Alias', estimatedAge: 'Estimated age', gender: 'Gender', languages: 'Languages', citizenship: 'Citizenship', contact: 'Contact',
    noPerson: 'No person documented.', openReminders: 'Open reminders',
    record: 'Record an event', eventType: 'Event', note: 'Note (optional)', save: 'Save', recorded: 'The event was recorded.',
    noEvents: 'No events are allowed in this phase.', timeline: 'Timeline', refused: 'refused', noTimeline: 'No events yet.',
    documents: 'Documents', noDocuments: 'No documents.', upload: 'Upload', download: 'Download', file: 'File (pdf, jpeg, png or text, at most 10 MiB)',
    uploaded: 'The document was uploaded.', notFound: 'The case does not exist or is not visible to you.', choose: '– choose –', none: '–',
    consents: 'Consents to share', noConsents: 'The person has not agreed to share anything.', organisation: 'Organisation', sharedFields: 'May share',
    purpose: 'Purpose', givenAt: 'Given', withdrawnAt: 'Withdrawn', inForce: 'In force',
    referrals: 'Referrals', noReferrals: 'No referrals.', kind: 'Kind of support', status: 'Status', sentAt: 'Sent', dueAt: 'Due',
    answeredAt: 'Answered', endedAt: 'Ended', declineReason: 'Reason for declining', need: 'Need (shared only if the person agreed to share the need)',
    chooseFields: 'Choose at least one thing that may be shared.',
    legalBasis: 'Legal basis', basisConsent: 'Consent', basisPublicTask: 'Public task (Social Services Act)',
    consentWithdrawnAt: 'Consent withdrawn', cullAfter: 'Record culled on', recordKept: 'Support and all sharing ended. The record is kept until its culling date.',
    recordErased: 'The personal data was erased.',
    reference: 'Case number', findTitle: 'Find a case', findLabel: 'Case number, for example', find: 'Search',
    findNone: 'No case numbered {0} that you can see.', findInvalid: 'Write the number as on the receipt, for example {0}.',
    myCases: 'My cases', unassigned: 'Unassigned cases', allCases: 'All cases', views: 'Case lists', myReminders: 'My reminders',
    noMyCases: 'You hold no cases right now.', noMyReminders: 'You have no open reminders.', noUnassigned: 'No unassigned cases.',
    worker: 'Assigned to', noWorker: 'No one (unassigned)', you: '(you)', workerTitle: 'Who holds the case', assignToMe: 'Assign to me',
    handOverTo: 'Hand over to', handOver: 'Hand over', release: 'Release to the organisation',
    assigned: 'The case is yours.', handedOver: 'The case was handed over.', released: 'The case is back among the unassigned.', chooseColleague: 'Choose a colleague.',
    samePersonNote: 'Other cases whose person has the same alias or contact. Only a suggestion: open the cases and decide whether it is the same person.',
    noSamePerson: 'No other case you can see has the same alias or contact.',
  },
};

// The city profile's network (organisation names in the page's language, municipalities, lead organisations), from the shell.
const CITY = JSON.parse(document.getElementById('city-profile').textContent);
const MUNICIPALITIES = Object.fromEntries(CITY.municipalities);
const LEADS = CITY.leads;
// An example of the city's case numbers, for the search box: its prefix, this year and a number.
const EXAMPLE_REFERENCE = `${CITY.referencePrefix}-${new Date().getFullYear()}-0042`;
// The case as people name it: its number, or its opaque id for a case opened before case numbers.
const nameOf = (c) => c.reference ?? c.caseId;

// The glossary's words in the page's language ({ phase: { 'first-contact': …, … }, caseEventType: …, supportKind: …, …,
// term: { supportGiven: …, … }, problem: { 404: …, … } }),
// and the schema of the event bodies: one object per event type with its fields, their titles, values and form hints.
const VOCAB = JSON.parse(document.getElementById('words').textContent);
const SCHEMA = JSON.parse(document.getElementById('case-event-schema').textContent);
const DISCRIMINATOR = Object.keys(SCHEMA.oneOf[0].properties).find((k) => 'const' in SCHEMA.oneOf[0].properties[k]);
const EVENTS = Object.fromEntries(SCHEMA.oneOf.map((v) => [v.properties[DISCRIMINATOR].const, v]));
// The events that say who holds a case ({ assign, release }): the case page's own actions, not the general event form's.
const WORKER_EVENTS = JSON.parse(document.getElementById('worker-events').textContent);
// The events of one person's reports ({ link, unlink, merge }): the case page's own section, not the general event form's.
const PERSON_EVENTS = JSON.parse(document.getElementById('person-events').textContent);
const isWorkerEvent = (type) => type === WORKER_EVENTS.assign || type === WORKER_EVENTS.release || Object.values(PERSON_EVENTS).includes(type);
// The receiver's answers to a pending transfer ({ accept, decline }): the handover section's actions.
const TRANSFER_EVENTS = JSON.parse(document.getElementById('transfer-events').textContent);
const isTransferAnswer = (type) => type === TRANSFER_EVENTS.accept || type === TRANSFER_EVENTS.decline;

// The organisations the person's consent to share is in force for: the only ones a referral may go to, or a consent be withdrawn from.
const consented = (c) => (c.consents || []).filter((x) => !x.withdrawnAt).map((x) => x.organisation);

// The page's own words, then the glossary's terms (the words of concepts, shared with every other page).
const t = (k) => TEXT[lang][k] ?? VOCAB.term[k] ?? k;
const humanize = (v) => { const s = String(v).replace(/-/g, ' '); return s.charAt(0).toUpperCase() + s.slice(1); };
const word = (v) => (v == null ? t('none') : (VOCAB.term[v] ?? CITY.organisations[v] ?? humanize(v)));
// A value of the lifecycle in words: kind is the enum's key in VOCAB.
const say = (kind, v) => (v == null ? t('none') : (VOCAB[kind]?.[v] ?? word(v)));
const app = document.getElementById('app');
const appName = lang === 'en' ? 'The Helsingborg model' : 'Helsingborgsmodellen';

// Each view names itself in the window title (WCAG 2.4.2), as a page of its own would.
function titled(view) { document.title = `${view} – ${appName}`; }

// After the coordinator moves to another view (or a view is redrawn after an action), focus goes where a
// keyboard or screen-reader user continues: the view's heading, or the message that says what happened.
function focusOn(element) {
  if (!element) return;
  if (!element.matches('a, button, input, select, textarea')) element.tabIndex = -1;
  element.focus();
}

const fmtTime = (v) => (v ? localTime(v) : t('none'));
const fmtDate = (v) => (v ? localDate(v) : t('none'));
const yesNo = (v) => (v == null ? t('none') : v ? t('yes') : t('no'));

// What went wrong, in the page's language: the API's problem titles are English and for developers.
const problem = (err) => VOCAB.problem[err.status] ?? t('failed');

class HttpError extends Error { constructor(status, body) { super(`HTTP ${status}`); this.status = status; this.body = body; } }

// One Idempotency-Key per submit: sent again unchanged (a retry, a double click), the same request keeps its key and is
// applied once; anything else gets a new one.
let lastSubmit = null;
function keyFor(caseId, body) {
  const request = `${caseId} ${JSON.stringify(body)}`;
  if (!lastSubmit || lastSubmit.request !== request) lastSubmit = { request, key: crypto.randomUUID() };
  return lastSubmit.key;
}

async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const key = sessionStorage.getItem(KEY);
  if (key) headers.set('X-Api-Key', key);
  if (options.json !== undefined) { headers.set('Content-Type', 'application/json'); options.body = JSON.stringify(options.json); }
  const response = await fetch(path, { method: options.method || 'GET', headers, body: options.body, credentials: 'same-origin' });
  if (response.status === 401) { sessionStorage.removeItem(KEY); showSignIn(); throw new HttpError(401); }
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) throw new HttpError(response.status, type.includes('json') ? await response.json() : null);
  if (options.raw) return response;
  return type.includes('json') ? response.json() : null;
}

function showSignIn(message) {
  signedIn = false;
  titled(t('signInTitle'));
  const error = h('p', { className: 'error', id: 'signin-error', role: 'alert' }, message || '');
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true });
  const form = h('form', { className: 'card signin', id: 'signin-form', onsubmit: async (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    try { await api('/api/cases?limit=1'); refreshNavigation(); route({ focus: 'h1' }); } catch (err) {
      sessionStorage.removeItem(KEY);
      showSignIn(err.status === 403 || err.status === 401 ? t('badKey') : t('failed'));
    }
  } },
  h('h1', {}, t('signInTitle')), field(t('keyLabel'), input), h('p', {}, h('button', { type: 'submit', id: 'signin-submit' }, t('signIn'))), error,
  h('p', { className: 'note' }, t('entraNote')));
  app.replaceChildren(form);
  input.focus();
}

// A control under its label, tied by for/id, so its name is the label alone (not the label and the chosen value).
function field(label, control) {
  return h('div', { className: 'field' }, h('label', { for: control.id }, label), control);
}

function select(id, label, values, current, blank) {
  return field(label, h('select', { id, name: id },
    blank == null ? null : h('option', { value: '' }, blank),
    values.map(([value, text]) => h('option', { value, selected: value === current }, text))));
}

const filters = { phase: '', municipality: '', lead: '', minor: '', overdue: false };

// The case lists, one click from each other: my cases (where the dashboard opens), my organisation's unassigned ones, all.
const VIEWS = [['#/', 'myCases'], ['#/unassigned', 'unassigned'], ['#/all', 'allCases']];
function viewNav(current) {
  return h('nav', { className: 'views', id: 'views', 'aria-label': t('views') }, VIEWS.map(([href, k]) => h('a', { href, id: `view-${k}`, 'aria-current': k === current ? 'page' : null }, t(k))));
}

// A table of cases, loaded by loadCases with the query the view gives it.
function casesTable() {
  const tbody = h('tbody', { id: 'case-rows' });
  const more = h('button', { type: 'button', className: 'secondary', id: 'more', hidden: true }, t('more'));
  const section = h('section', {}, h('table', { className: 'cases' },
    h('thead', {}, h('tr', {}, [t('caseId'), t('phase'), t('worker'), t('lead'), t('municipality'), t('openedAt'), t('nextDueAt')].map((c) => h('th', {}, c)))), tbody), h('p', {}, more));
  return { section, tbody, more };
}

// My cases: my reminders first, then the cases I hold.
async function showMine(after = {}) {
  titled(t('myCases'));
  const { section, tbody, more } = casesTable();
  const reminders = h('section', { id: 'reminders' }, h('h2', {}, t('myReminders')), h('p', { className: 'muted' }, t('loading')));
  app.replaceChildren(h('h1', {}, t('myCases')), viewNav('myCases'), reminders, h('h2', { className: 'list-title' }, t('myCases')), section, findForm());
  if (after.focus) focusOn(app.querySelector(after.focus));
  loadReminders(reminders, false, 'me');
  loadCases(tbody, more, null, true, { assignee: 'me' }, t('noMyCases'));
}

// My organisation's cases that no one holds (and those no organisation leads yet).
async function showUnassigned(after = {}) {
  titled(t('unassigned'));
  const { section, tbody, more } = casesTable();
  app.replaceChildren(h('h1', {}, t('unassigned')), viewNav('unassigned'), section);
  if (after.focus) focusOn(app.querySelector(after.focus));
  loadCases(tbody, more, null, true, { assignee: 'none' }, t('noUnassigned'));
}

async function showList(after = {}) {
  titled(t('allCases'));
  const form = h('form', { className: 'card', id: 'filters', onsubmit: (e) => {
    e.preventDefault();
    for (const k of ['phase', 'municipality', 'lead', 'minor']) filters[k] = form.querySelector(`#filter-${k}`).value;
    filters.overdue = form.querySelector('#filter-overdue').checked;
    loadCases(tbody, more, null, true, filtered());
  } },
  h('h2', {}, t('filters')),
  h('div', { className: 'filters' },
    select('filter-phase', t('phase'), Object.entries(VOCAB.phase), filters.phase, t('openPhases')),
    select('filter-municipality', t('municipality'), Object.entries(MUNICIPALITIES), filters.municipality, t('any')),
    select('filter-lead', t('lead'), LEADS.map((l) => [l, word(l)]), filters.lead, t('any')),
    select('filter-minor', t('minor'), [['true', t('yes')], ['false', t('no')]], filters.minor, t('any')),
    h('label', { className: 'inline' }, h('input', { type: 'checkbox', id: 'filter-overdue', checked: filters.overdue }), t('overdueOnly')),
    h('button', { type: 'submit', id: 'filter-apply' }, t('apply'))));
  const { section, tbody, more } = casesTable();
  const reminders = h('section', { id: 'reminders' }, h('h2', {}, t('reminders')), h('p', { className: 'muted' }, t('loading')));
  app.replaceChildren(h('h1', {}, t('allCases')), viewNav('allCases'), findForm(), form, section, reminders);
  if (after.focus) focusOn(app.querySelector(after.focus));
  loadCases(tbody, more, null, true, filtered());
  loadReminders(reminders);
}

const filtered = () => Object.fromEntries([
  ['phase', filters.phase], ['municipality', filters.municipality], ['lead', filters.lead], ['minor', filters.minor], ['overdue', filters.overdue ? 'true' : ''],
].filter(([, v]) => v));

// Finds a case by its number (GET /api/cases?reference=) and opens it; says so when none is found.
function findForm() {
  const input = h('input', { id: 'find-reference', name: 'reference', type: 'search', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'find-status' });
  const status = h('p', { id: 'find-status', role: 'status' });
  const form = h('form', { className: 'card', id: 'find', role: 'search', 'aria-labelledby': 'find-title', onsubmit: async (e) => {
    e.preventDefault();
    const wanted = input.value.trim();
    if (!wanted) return;
    status.className = 'muted'; status.textContent = t('loading');
    try {
      const page = await api(`/api/cases?reference=${encodeURIComponent(wanted)}`);
      if (page.items.length) { location.hash = `#/case/${page.items[0].caseId}`; return; }
      status.className = 'error'; status.textContent = t('findNone').replace('{0}', wanted);
    } catch (err) {
      if (err.status === 401) return;
      status.className = 'error'; status.textContent = err.status === 400 ? t('findInvalid').replace('{0}', EXAMPLE_REFERENCE) : t('failed');
    }
    input.focus();
  } },
  h('h2', { id: 'find-title' }, t('findTitle')),
  h('div', { className: 'filters' }, field(`${t('findLabel')} ${EXAMPLE_REFERENCE}`, input), h('button', { type: 'submit', id: 'find-submit' }, t('find'))),
  status);
  return form;
}

// query: the list's filters ({ assignee: 'me' }, the filter form's); empty: what an empty list says.
async function loadCases(tbody, more, cursor, reset, query = {}, empty = t('noCases')) {
  const q = new URLSearchParams({ limit: '50', ...query });
  if (cursor) q.set('cursor', cursor);
  if (reset) tbody.replaceChildren(h('tr', {}, h('td', { colspan: 7, className: 'muted' }, t('loading'))));
  try {
    const page = await api(`/api/cases?${q}`);
    if (reset) tbody.replaceChildren();
    for (const c of page.items) {
      tbody.append(h('tr', { className: c.overdue ? 'overdue' : null, 'data-case': c.caseId },
        h('td', { 'data-label': t('caseId') }, h('a', { href: `#/case/${c.caseId}`, className: 'mono case-link' }, nameOf(c)), ' ', c.minor ? h('span', { className: 'badge minor' }, t('minor')) : null, c.overdue ? h('span', { className: 'badge overdue' }, t('overdue')) : null),
        h('td', { 'data-label': t('phase') }, say('phase', c.phase), c.step ? ` · ${say('returnStep', c.step)}` : ''),
        h('td', { 'data-label': t('worker'), 'data-worker': c.worker?.id ?? '' }, c.worker?.name ?? t('none')),
        h('td', { 'data-label': t('lead') }, word(c.lead)),
        h('td', { 'data-label': t('municipality') }, MUNICIPALITIES[c.municipality] ?? c.municipality ?? t('none')),
        h('td', { 'data-label': t('openedAt') }, fmtDate(c.openedAt)),
        h('td', { 'data-label': t('nextDueAt') }, fmtTime(c.nextDueAt))));
    }
    if (!tbody.children.length) tbody.append(h('tr', {}, h('td', { colspan: 7, className: 'muted', id: 'no-cases' }, empty)));
    more.hidden = !page.next;
    more.onclick = () => loadCases(tbody, more, page.next, false, query, empty);
  } catch (err) {
    if (err.status !== 401) tbody.replaceChildren(h('tr', {}, h('td', { colspan: 7, className: 'error' }, t('failed'))));
  }
}

// The every-other-Thursday outreach reminder leads to the outreach page, where the session is recorded.
const OUTREACH_REMINDER = 'outreach-session';

function reminderItem(r, after) {
  const overdue = new Date(r.dueAt) < new Date();
  return h('li', { className: overdue ? 'overdue' : null },
    h('span', {}, r.escalated ? h('span', { className: 'badge overdue' }, t('escalated')) : null, overdue ? h('span', { className: 'badge overdue' }, t('overdue')) : null,
      say('reminderKind', r.kind), ' · ', t('due'), ' ', fmtTime(r.dueAt), ' ', r.caseId ? h('a', { href: `#/case/${r.caseId}`, className: 'mono' }, nameOf(r)) : null,
      r.kind === OUTREACH_REMINDER ? h('a', { href: lang === 'en' ? '/outreach?lang=en' : '/outreach', className: 'outreach-link' }, t('recordOutreach')) : null,
      r.worker ? h('span', { className: 'muted reminder-worker' }, ` · ${t('worker')}: ${r.worker.name}`) : null),
    h('button', { type: 'button', className: 'secondary ack', onclick: async (e) => {
      e.target.disabled = true;
      try { await api(`/api/reminders/${encodeURIComponent(r.reminderId)}/acknowledge`, { method: 'POST' }); after(); } catch { e.target.disabled = false; }
    } }, t('acknowledge')));
}

// assignee: 'me' for the reminders of the cases I hold, else every open reminder.
async function loadReminders(section, focus, assignee) {
  const title = assignee ? t('myReminders') : t('reminders');
  try {
    // The listing is paged in storage order: follow `next` to the end so every open reminder shows, soonest due first.
    const items = [];
    let next = null;
    do {
      const page = await api(`/api/reminders?status=open&limit=200${assignee ? `&assignee=${assignee}` : ''}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
      items.push(...page.items);
      next = page.next;
    } while (next);
    items.sort((a, b) => new Date(a.dueAt) - new Date(b.dueAt));
    const list = h('ul', { className: 'plain' }, items.map((r) => reminderItem(r, () => loadReminders(section, true, assignee))));
    section.replaceChildren(h('h2', {}, title), items.length ? list : h('p', { className: 'muted', id: 'no-reminders' }, assignee ? t('noMyReminders') : t('noReminders')));
    if (focus) focusOn(section.querySelector('h2'));
  } catch (err) {
    if (err.status !== 401) section.replaceChildren(h('h2', {}, title), h('p', { className: 'error' }, t('failed')));
  }
}

function facts(pairs) {
  return h('dl', { className: 'facts' }, pairs.filter(([, v]) => v !== undefined).map(([k, v, id]) => [h('dt', {}, t(k)), h('dd', { id }, v == null || v === '' ? t('none') : v)]));
}

// after: { focus: a selector to focus once drawn, status: [a status element's selector, its message] }.
async function showCase(caseId, after = {}) {
  titled(`${t('caseId')} ${caseId}`);
  if (!after.status) app.replaceChildren(h('p', { className: 'muted' }, t('loading')));
  let c;
  try {
    c = await api(`/api/cases/${encodeURIComponent(caseId)}`);
  } catch (err) {
    if (err.status !== 401) app.replaceChildren(h('p', {}, h('a', { href: '#/' }, t('back'))), h('h1', {}, t('caseId')), h('p', { className: 'error', id: 'case-error' }, err.status === 404 ? t('notFound') : t('failed')));
    if (after.focus) focusOn(app.querySelector(after.focus));
    return;
  }
  const [timeline, documents, colleagues, possiblySame] = await Promise.all([
    api(`/api/cases/${encodeURIComponent(caseId)}/timeline`).catch(() => ({ items: [] })),
    api(`/api/cases/${encodeURIComponent(caseId)}/documents`).catch(() => ({ items: [] })),
    api('/api/workers').catch(() => ({ me: null, items: [] })),
    api(`/api/cases/${encodeURIComponent(caseId)}/possibly-same-person`).catch(() => ({ items: [] })),
  ]);
  const inc = c.incident || {};
  const p = c.person;
  titled(`${t('caseId')} ${nameOf(c)}`);
  const support = Object.entries(c.counts?.supportGiven || {}).map(([k, n]) => `${say('supportKind', k)}: ${n}`).join(', ');
  app.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, t('back'))),
    h('h1', {}, h('span', { className: 'mono', id: 'case-reference' }, nameOf(c)), ' ', h('span', { className: 'badge', id: 'case-phase', 'data-phase': c.phase }, say('phase', c.phase)),
      c.minor ? h('span', { className: 'badge minor' }, t('minor')) : null, c.erased ? h('span', { className: 'badge' }, t('erased')) : null),
    accessNote(c),
    transferSection(c),
    workerSection(c, colleagues),
    h('div', { className: 'grid2' },
      h('section', {}, h('h2', {}, t('caseData')), facts([
        ['reference', c.reference], ['worker', c.worker?.name ?? t('noWorker')], ['phase', say('phase', c.phase)], ['step', c.step ? say('returnStep', c.step) : null], ['lead', word(c.lead)], ['municipality', MUNICIPALITIES[c.municipality] ?? c.municipality],
        ['municipalityNow', c.municipalityNow && c.municipalityNow !== c.municipality ? MUNICIPALITIES[c.municipalityNow] ?? c.municipalityNow : null],
        ['leadPeriods', (c.leads || []).map((l) => `${word(l.organisation)} ${fmtDate(l.from)}–${l.until ? fmtDate(l.until) : t('leadOngoing')}`).join('; ')],
        ['latestTransfer', c.transfer && c.transfer.status !== 'pending' ? `${word(c.transfer.to)}: ${say('transferStatus', c.transfer.status)}${c.transfer.declineReason ? ` (${say('transferDeclineReason', c.transfer.declineReason)})` : ''}, ${fmtTime(c.transfer.answeredAt)}` : null],
        ['reportedBy', word(c.reportedBy)], ['openedAt', fmtTime(c.openedAt)], ['nextDueAt', fmtTime(c.nextDueAt)], ['caseClosedAt', c.closedAt ? fmtTime(c.closedAt) : null],
        ['closeReason', c.closeReason ? say('closeReason', c.closeReason) : null], ['mergedInto', c.mergedInto ? h('a', { href: `#/case/${encodeURIComponent(c.mergedInto)}` }, (c.samePerson || []).find((r) => r.caseId === c.mergedInto)?.reference ?? c.mergedInto) : undefined], ['contactAttempts', c.counts?.contactAttempts], ['supportConversations', c.counts?.supportConversations], ['supportGiven', support],
        ['reflectionPeriodEnds', c.reflectionPeriodEnds ? fmtDate(c.reflectionPeriodEnds) : null], ['residencePermitEnds', c.residencePermitEnds ? fmtDate(c.residencePermitEnds) : null],
        ['evaluationOutcome', c.evaluationOutcome ? say('evaluationOutcome', c.evaluationOutcome) : null],
        ['legalBasis', c.legalBasis === 'public-task' ? t('basisPublicTask') : t('basisConsent')],
        ['consentWithdrawnAt', c.consentWithdrawnAt ? fmtTime(c.consentWithdrawnAt) : null], ['cullAfter', c.cullAfter ? fmtDate(c.cullAfter) : null],
      ])),
      h('section', {}, h('h2', { id: 'case-reminders-title' }, t('openReminders')), c.openReminders.length
        ? h('ul', { className: 'plain', id: 'case-reminders' }, c.openReminders.map((r) => reminderItem(r, () => showCase(caseId, { focus: '#case-reminders-title' }))))
        : h('p', { className: 'muted' }, t('noReminders')))),
    samePersonSection(c),
    eventForm(c),
    ...sharingSections(c),
    h('div', { className: 'grid2' },
      h('section', {}, h('h2', {}, t('incident')), facts([
        ['observedAt', fmtTime(inc.observedAt)], ['placeType', inc.placeType ? say('placeType', inc.placeType) : null], ['suspicion', inc.suspicion ? say('suspicion', inc.suspicion) : null], ['policeNotified', yesNo(inc.policeNotified)],
        ['description', inc.description], ['location', inc.location], ['policeReference', inc.policeReference], ['reporterContact', inc.reporterContact],
      ])),
      h('section', {}, h('h2', {}, t('person')), p ? facts([
        ['alias', p.alias], ['estimatedAge', p.estimatedAge], ['gender', p.gender ? say('gender', p.gender) : null], ['languages', (p.languages || []).join(', ')],
        ['citizenship', (p.citizenship || []).join(', ')], ['contact', p.contact], ['minor', yesNo(p.isMinor)],
      ]) : h('p', { className: 'muted' }, c.erased ? t('erased') : t('noPerson')))),
    possiblySamePersonSection(possiblySame.items),
    h('section', { id: 'timeline' }, h('h2', {}, t('timeline')), timeline.items.length
      ? h('ul', { className: 'plain' }, timeline.items.map((i) => h('li', {}, h('span', {}, fmtTime(i.at), ' · ', h('strong', {}, say('caseEventType', i.type)), ' · ', word(i.by), i.worker ? ` · ${t('worker')}: ${i.worker.name}` : '', i.refused ? h('span', { className: 'badge overdue' }, t('refused')) : null),
        i.outcome ? h('span', { className: 'muted' }, timelineOutcome(i)) : null,
        i.note ? h('span', { className: 'muted' }, i.note) : null)))
      : h('p', { className: 'muted' }, t('noTimeline'))),
    documentsSection(c, documents.items));
  if (after.status) {
    const [selector, message] = after.status;
    const status = app.querySelector(selector);
    if (status) { status.className = 'message'; status.textContent = message; focusOn(status); } else focusOn(app.querySelector('h1'));
  } else if (after.focus) {
    focusOn(app.querySelector(after.focus));
  }
}

// Other cases whose person has the same alias or contact: suggestions with links, never linked by the page.
function possiblySamePersonSection(items) {
  return h('section', { id: 'possibly-same-person' }, h('h2', {}, t('possiblySamePerson')), h('p', { className: 'muted' }, t('samePersonNote')), items.length
    ? h('ul', { className: 'plain' }, items.map((i) => h('li', {},
      h('a', { href: `#/case/${i.caseId}`, className: 'mono' }, nameOf(i)), ' · ', fmtTime(i.openedAt), ' · ', word(i.reportedBy), ' · ', say('phase', i.phase),
      ' · ', h('strong', {}, i.matched.map((m) => say('personHintField', m)).join(', ')))))
    : h('p', { className: 'muted', id: 'no-same-person' }, t('noSamePerson')));
}

// What a timeline entry's outcome says: the organisation a transfer asked, why it was declined, or what consent withdrawn did to the record.
function timelineOutcome(i) {
  if (i.type === TRANSFER_EVENTS.decline) return say('transferDeclineReason', i.outcome);
  if (i.outcome === 'record-kept') return t('recordKept');
  if (i.outcome === 'erased') return t('recordErased');
  return `${t('transferTo')}: ${word(i.outcome)}`;
}

// What a caller who only reads the case may do with it: answer a handover, or read what it led before.
function accessNote(c) {
  if (c.access === 'read-only') return h('p', { className: 'message', id: 'case-access' }, t('readOnlyAccess'));
  if (c.access === 'former-lead') return h('p', { className: 'message', id: 'case-access' }, t('formerLeadAccess'));
  return null;
}

// A pending transfer: who asked whom, by when; the receiver takes the case over or declines with a reason and a note.
function transferSection(c) {
  const transfer = c.transfer;
  if (!transfer || transfer.status !== 'pending') return null;
  const section = h('section', { className: 'card', id: 'transfer', 'aria-labelledby': 'transfer-title' }, h('h2', { id: 'transfer-title' }, t('transferPending')),
    facts([['transferFrom', word(transfer.from)], ['transferTo', word(transfer.to)], ['municipalityNow', transfer.municipality ? MUNICIPALITIES[transfer.municipality] ?? transfer.municipality : null], ['transferDue', fmtTime(transfer.dueAt)]]));
  const allowed = c.allowed || [];
  const decline = EVENTS[TRANSFER_EVENTS.decline];
  if (!allowed.includes(TRANSFER_EVENTS.accept) || !decline) return section;
  const fields = payload(decline).map(([name, p]) => eventField(name, p, false, c));
  const note = h('textarea', { id: 'transfer-note', maxlength: 2000 });
  const status = h('p', { id: 'transfer-status', role: 'status' });
  const send = async (body) => {
    if (note.value.trim()) body[noteOf(decline)?.[0] ?? 'note'] = note.value.trim();
    status.className = ''; status.textContent = t('loading');
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/events`, { method: 'POST', json: body, headers: { 'Idempotency-Key': keyFor(c.caseId, body) } });
      lastSubmit = null;
    } catch (err) {
      status.className = 'error'; status.textContent = problem(err);
      return;
    }
    // Declined, the case stays with the organisation that asked and is no longer the receiver's to see.
    if (body[DISCRIMINATOR] === TRANSFER_EVENTS.decline) { status.className = 'message'; status.textContent = t('recorded'); return; }
    await waitForChange(c, ['#event-status', t('recorded')]);
  };
  section.append(h('div', { className: 'fields' }, ...fields, field(t('note'), note)),
    h('p', { className: 'actions' },
      h('button', { type: 'button', id: 'transfer-accept', onclick: () => send({ [DISCRIMINATOR]: TRANSFER_EVENTS.accept }) }, t('acceptTransfer')),
      h('button', { type: 'button', className: 'secondary', id: 'transfer-decline', onclick: () => {
        const body = { [DISCRIMINATOR]: TRANSFER_EVENTS.decline };
        for (const [name] of payload(decline)) {
          const control = section.querySelector(`#event-${name}`);
          if (!control.value) { status.className = 'error'; status.textContent = t('choose'); focusOn(control); return; }
          body[name] = control.value;
        }
        send(body);
      } }, t('declineTransfer'))),
    status);
  return section;
}

// The payload fields of an event type, from its schema: all but its type, what the form does not ask (x-hidden) and the note.
const isNote = (p) => p.type === 'string' && p.maxLength != null && !p.oneOf;
const payload = (v) => Object.entries(v.properties).filter(([, p]) => !('const' in p) && !p['x-hidden'] && !isNote(p));
const noteOf = (v) => Object.entries(v.properties).find(([, p]) => isNote(p));
// A type whose required organisation must be one the person consented to is offered only when there is one.
const needsConsent = (v) => payload(v).some(([name, p]) => p['x-consented'] && v.required.includes(name));

// Who holds the case, and the actions that change it: assign to me, hand over to a colleague of my organisation, release.
// The note of each is the handover (its label from the schema), sealed like every note.
function workerSection(c, colleagues) {
  const allowed = c.allowed || [];
  const me = colleagues.me;
  const holder = c.worker ? `${c.worker.name}${c.worker.id === me ? ` ${t('you')}` : ''}` : t('noWorker');
  const section = h('section', { id: 'worker', 'aria-labelledby': 'worker-title' }, h('h2', { id: 'worker-title' }, t('workerTitle')),
    h('p', { id: 'case-worker', 'data-worker': c.worker?.id ?? '' }, holder));
  const assign = EVENTS[WORKER_EVENTS.assign];
  if (!assign || !allowed.includes(WORKER_EVENTS.assign)) return section;
  const [colleagueField] = payload(assign).find(([, p]) => p['x-colleague']) || [];
  const note = h('textarea', { id: 'worker-note', maxlength: 2000 });
  const status = h('p', { id: 'worker-status', role: 'status' });
  const send = async (body, done) => {
    if (note.value.trim()) body[noteOf(assign)?.[0] ?? 'note'] = note.value.trim();
    status.className = ''; status.textContent = t('loading');
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/events`, { method: 'POST', json: body, headers: { 'Idempotency-Key': keyFor(c.caseId, body) } });
      lastSubmit = null;
      await waitForChange(c, ['#worker-status', done]);
    } catch (err) {
      status.className = 'error'; status.textContent = t('failed');
    }
  };
  const actions = h('p', { className: 'actions' },
    c.worker?.id !== me ? h('button', { type: 'button', id: 'assign-me', onclick: () => send({ [DISCRIMINATOR]: WORKER_EVENTS.assign }, t('assigned')) }, t('assignToMe')) : null,
    c.worker && allowed.includes(WORKER_EVENTS.release)
      ? h('button', { type: 'button', className: 'secondary', id: 'release', onclick: () => send({ [DISCRIMINATOR]: WORKER_EVENTS.release }, t('released')) }, t('release')) : null);
  const others = (colleagues.items || []).filter((x) => x.id !== me && x.id !== c.worker?.id);
  const handOver = colleagueField && others.length ? h('div', { className: 'filters' },
    select('worker-colleague', t('handOverTo'), others.map((x) => [x.id, x.name]), '', t('choose')),
    h('button', { type: 'button', className: 'secondary', id: 'hand-over', onclick: () => {
      const chosen = section.querySelector('#worker-colleague');
      if (!chosen.value) { status.className = 'error'; status.textContent = t('chooseColleague'); focusOn(chosen); return; }
      send({ [DISCRIMINATOR]: WORKER_EVENTS.assign, [colleagueField]: chosen.value }, t('handedOver'));
    } }, t('handOver'))) : null;
  section.append(h('div', { className: 'fields' }, field(noteOf(assign)?.[1]?.title ?? t('note'), note)), actions, handOver, status);
  return section;
}

// The other reports of the same person, each a link to its page; the coordinator links another report by its case number,
// removes a link made by mistake, or merges this case into another report of the group.
function samePersonSection(c) {
  const allowed = c.allowed || [];
  const reports = c.samePerson || [];
  const status = h('p', { id: 'same-person-status', role: 'status' });
  const send = async (type, reference) => {
    const body = { [DISCRIMINATOR]: type, reference };
    status.className = ''; status.textContent = t('loading');
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/events`, { method: 'POST', json: body, headers: { 'Idempotency-Key': keyFor(c.caseId, body) } });
      lastSubmit = null;
      await waitForChange(c, ['#same-person-status', t('recorded')]);
    } catch (err) {
      status.className = 'error'; status.textContent = VOCAB.problem[err.status] ?? t('failed');
    }
  };
  const list = reports.length
    ? h('ul', { className: 'plain', id: 'same-person-list' }, reports.map((r) => h('li', { 'data-case': r.caseId },
      h('a', { href: `#/case/${encodeURIComponent(r.caseId)}` }, r.reference ?? r.caseId), ' · ', `${t('openedAt')} ${fmtTime(r.openedAt)}`, ' · ',
      `${t('reportedBy')}: ${word(r.reportedBy)}`, ' · ', say('phase', r.phase),
      r.linked && allowed.includes(PERSON_EVENTS.unlink)
        ? h('button', { type: 'button', className: 'secondary', 'data-action': 'unlink', onclick: () => send(PERSON_EVENTS.unlink, r.caseId) }, t('samePersonUnlink')) : null,
      allowed.includes(PERSON_EVENTS.merge) && r.phase !== 'closed' && r.phase !== 'completed'
        ? h('button', { type: 'button', className: 'secondary', 'data-action': 'merge', onclick: () => { if (confirm(t('samePersonMergeConfirm'))) send(PERSON_EVENTS.merge, r.caseId); } }, t('samePersonMerge')) : null)))
    : h('p', { className: 'muted' }, t('samePersonNone'));
  const section = h('section', { id: 'same-person', 'aria-labelledby': 'same-person-title' }, h('h2', { id: 'same-person-title' }, t('samePerson')), list);
  if (allowed.includes(PERSON_EVENTS.link)) {
    const reference = h('input', { id: 'same-person-reference', type: 'text', autocomplete: 'off', maxlength: 100 });
    section.append(h('div', { className: 'filters' }, field(t('samePersonReference'), reference),
      h('button', { type: 'button', id: 'same-person-link', onclick: () => {
        if (!reference.value.trim()) { status.className = 'error'; status.textContent = t('samePersonReference'); focusOn(reference); return; }
        send(PERSON_EVENTS.link, reference.value.trim());
      } }, t('samePersonLink'))));
  }
  section.append(status);
  return section;
}

function eventForm(c) {
  const allowed = (c.allowed || []).filter((a) => EVENTS[a] && !isWorkerEvent(a) && !(isTransferAnswer(a) && c.transfer?.status === 'pending') && (!needsConsent(EVENTS[a]) || consented(c).length > 0));
  const section = h('form', { className: 'card', id: 'event-form' }, h('h2', {}, t('record')));
  if (!allowed.length) { section.append(h('p', { className: 'muted' }, t('noEvents'))); return section; }
  const typeSelect = h('select', { id: 'event-type', name: DISCRIMINATOR, required: true }, h('option', { value: '' }, t('choose')), allowed.map((a) => h('option', { value: a }, EVENTS[a].title)));
  const fields = h('div', { className: 'fields', id: 'event-fields' });
  const note = h('textarea', { id: 'event-note', maxlength: 2000 });
  const noteField = field(t('note'), note);
  const status = h('p', { id: 'event-status', role: 'status' });
  typeSelect.addEventListener('change', () => {
    const v = EVENTS[typeSelect.value];
    fields.replaceChildren(...(v ? payload(v).map(([name, p]) => eventField(name, p, v.required.includes(name), c)) : []));
    // The note's label says what it is for this type (a referral's note is the need it shares).
    const [, text] = (v && noteOf(v)) || [null, null];
    noteField.querySelector('label').textContent = text?.title ?? t('note');
    if (text?.maxLength) note.maxLength = text.maxLength;
  });
  fields.addEventListener('change', (e) => {
    // A field that starts as the purpose of the consent of the organisation chosen (x-consent-purpose).
    const v = EVENTS[typeSelect.value];
    const chosen = v && payload(v).find(([name, p]) => p['x-consented'] && e.target.id === `event-${name}`);
    if (!chosen) return;
    const purpose = (c.consents || []).find((x) => !x.withdrawnAt && x.organisation === e.target.value)?.purpose;
    for (const [name, p] of payload(v)) if (p['x-consent-purpose'] && purpose) fields.querySelector(`#event-${name}`).value = purpose;
  });
  section.append(h('div', { className: 'fields' }, field(t('eventType'), typeSelect)), fields, noteField, h('p', {}, h('button', { type: 'submit', id: 'event-submit' }, t('save'))), status);
  section.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = EVENTS[typeSelect.value];
    const body = { [DISCRIMINATOR]: typeSelect.value };
    for (const [name, p] of payload(v)) {
      if (p.type === 'array') {
        const chosen = [...section.querySelectorAll(`input[name="event-${name}"]:checked`)].map((x) => x.value);
        if (v.required.includes(name) && chosen.length < (p.minItems ?? 1)) {
          status.className = 'error'; status.textContent = t('chooseFields');
          focusOn(section.querySelector(`input[name="event-${name}"]`));
          return;
        }
        body[name] = chosen;
        continue;
      }
      const value = section.querySelector(`#event-${name}`).value;
      if (value === '') continue;
      body[name] = p.type === 'boolean' ? value === 'true' : value;
    }
    const [noteName] = noteOf(v) || [];
    if (noteName && note.value.trim()) body[noteName] = note.value.trim();
    status.className = ''; status.textContent = t('loading');
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/events`, { method: 'POST', json: body, headers: { 'Idempotency-Key': keyFor(c.caseId, body) } });
      lastSubmit = null;
      status.className = 'message'; status.textContent = t('recorded');
      await waitForChange(c, ['#event-status', t('recorded')]);
    } catch (err) {
      status.className = 'error';
      const errors = err.body?.errors ? Object.keys(err.body.errors).join(', ') : '';
      status.textContent = `${problem(err)}${errors ? ` (${errors})` : ''}`;
    }
  });
  return section;
}

// One payload field of the event form, from its schema: a group of checkboxes for a list, a choice for a oneOf of
// values (limited to consented organisations when x-consented, starting empty when x-choose), yes/no for a boolean,
// a date otherwise (after today when x-future). Labels and values' words are the schema's titles.
function eventField(name, p, required, c) {
  const id = `event-${name}`;
  if (p.type === 'array') {
    return h('fieldset', { className: 'checks', id: `${id}-group` }, h('legend', {}, p.title),
      p.items.oneOf.map((o) => h('label', { className: 'inline', for: `${id}-${o.const}` }, h('input', { type: 'checkbox', id: `${id}-${o.const}`, name: id, value: o.const }), o.title)));
  }
  if (p.oneOf) {
    const options = p.oneOf.filter((o) => !p['x-consented'] || consented(c).includes(o.const)).map((o) => [o.const, o.title]);
    const control = select(id, p.title, options, '', p['x-choose'] ? t('choose') : required ? null : t('none'));
    control.querySelector('select').required = required;
    return control;
  }
  if (p.type === 'boolean') return select(id, p.title, [['true', t('yes')], ['false', t('no')]], '', required ? null : t('none'));
  const min = p['x-future'] ? new Date(Date.now() + 86400000).toLocaleDateString('sv-SE') : null;
  return field(p.title, h('input', { id, type: 'date', required, min }));
}

// The person's consents to share, and the case's referrals with how each organisation answered.
function sharingSections(c) {
  const consents = c.consents || [];
  const referrals = c.referrals || [];
  const head = (...cols) => h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k)))));
  const cell = (k, ...v) => h('td', { 'data-label': t(k) }, ...v);
  return [
    h('section', { id: 'consents' }, h('h2', {}, t('consents')), consents.length
      ? h('table', { className: 'stack' }, head('organisation', 'sharedFields', 'purpose', 'givenAt', 'withdrawnAt'),
        h('tbody', {}, consents.map((x) => h('tr', { 'data-organisation': x.organisation, 'data-withdrawn': x.withdrawnAt ? 'true' : 'false' },
          cell('organisation', word(x.organisation)), cell('sharedFields', (x.fields || []).map((v) => say('sharedField', v)).join(', ')),
          cell('purpose', say('supportKind', x.purpose)), cell('givenAt', fmtTime(x.givenAt)),
          cell('withdrawnAt', x.withdrawnAt ? fmtTime(x.withdrawnAt) : h('span', { className: 'badge done' }, t('inForce')))))))
      : h('p', { className: 'muted' }, t('noConsents'))),
    h('section', { id: 'referrals' }, h('h2', {}, t('referrals')), referrals.length
      ? h('table', { className: 'stack' }, head('organisation', 'kind', 'status', 'sentAt', 'dueAt', 'answeredAt', 'endedAt', 'declineReason'),
        h('tbody', {}, referrals.map((r) => {
          const open = r.status === 'sent' || r.status === 'accepted';
          const overdue = open && new Date(r.dueAt) < new Date();
          return h('tr', { 'data-referral': r.referralId, 'data-status': r.status, className: overdue ? 'overdue' : null },
            cell('organisation', word(r.organisation)), cell('kind', say('supportKind', r.kind)),
            cell('status', h('span', { className: r.status === 'completed' ? 'badge done' : 'badge', 'data-status': r.status }, say('referralStatus', r.status)),
              overdue ? h('span', { className: 'badge overdue' }, t('overdue')) : null),
            cell('sentAt', fmtTime(r.sentAt)), cell('dueAt', fmtTime(r.dueAt)), cell('answeredAt', fmtTime(r.answeredAt)), cell('endedAt', fmtTime(r.closedAt)),
            cell('declineReason', say('declineReason', r.declineReason)));
        })))
      : h('p', { className: 'muted' }, t('noReferrals'))),
  ];
}

// The orchestration applies an event a moment after 202: re-read the case until it changed, then redraw.
async function waitForChange(before, status) {
  const signature = (x) => JSON.stringify([x.phase, x.step, x.lead, x.worker?.id, x.counts, x.closedAt, x.openReminders.length, x.consents, x.referrals, x.samePerson, x.transfer]);
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 700));
    const now = await api(`/api/cases/${encodeURIComponent(before.caseId)}`);
    if (signature(now) !== signature(before)) break;
  }
  if (location.hash === `#/case/${before.caseId}`) showCase(before.caseId, { status });
}

function documentsSection(c, items) {
  const list = items.length
    ? h('ul', { className: 'plain', id: 'document-list' }, items.map((d) => h('li', {}, h('span', {}, d.fileName || d.documentId, ' ', h('span', { className: 'muted' }, `${d.contentType}, ${Math.ceil(d.size / 1024)} KiB, ${fmtTime(d.uploadedAt)}`)),
      h('button', { type: 'button', className: 'secondary', onclick: () => download(c.caseId, d) }, t('download')))))
    : h('p', { className: 'muted' }, t('noDocuments'));
  const file = h('input', { type: 'file', id: 'document-file', accept: '.pdf,.jpg,.jpeg,.png,.txt,application/pdf,image/jpeg,image/png,text/plain', required: true });
  const status = h('p', { id: 'document-status', role: 'status' });
  const form = h('form', { id: 'document-form', onsubmit: async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) return;
    const byName = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', txt: 'text/plain' };
    const type = f.type || byName[(f.name.split('.').pop() || '').toLowerCase()] || 'application/octet-stream';
    try {
      await api(`/api/cases/${encodeURIComponent(c.caseId)}/documents`, { method: 'POST', body: f, headers: { 'Content-Type': type, 'X-File-Name': encodeURIComponent(f.name) } });
      showCase(c.caseId, { status: ['#document-status', t('uploaded')] });
    } catch (err) { status.className = 'error'; status.textContent = problem(err); }
  } }, h('div', { className: 'fields' }, field(t('file'), file)), h('button', { type: 'submit', id: 'document-submit' }, t('upload')), status);
  return h('section', { id: 'documents' }, h('h2', {}, t('documents')), list, c.erased ? null : form);
}

async function download(caseId, d) {
  const response = await api(`/api/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(d.documentId)}`, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  const a = h('a', { href: url, download: d.fileName || d.documentId });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Whether the dashboard shows a view (not the sign-in): a change of the address's hash then draws the view it names.
let signedIn = false;

async function route(after = {}) {
  signedIn = true;
  const match = /^#\/case\/([A-Za-z0-9_]+)$/.exec(location.hash);
  document.getElementById('lang-switch').href = (lang === 'en' ? '/' : '/?lang=en') + location.hash;
  const views = { '#/unassigned': showUnassigned, '#/all': showList };
  if (match) await showCase(match[1], after); else await (views[location.hash] ?? showMine)(after);
}

function init() {
  window.addEventListener('hashchange', () => { if (signedIn) route({ focus: 'h1' }); });
  // With a key from this session, or an Entra sign-in (App Service cookie), go straight in.
  api('/api/cases?limit=1').then(route, (err) => { if (err.status !== 401) showSignIn(err.status === 403 ? t('badKey') : null); });
}

init();
