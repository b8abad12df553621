// The statistics page (GET /statistics): asks for a coordinator or statistics key once per browser session, fetches the
// figures and draws them as SVG bar charts with their tables; its words are the page's JSON data block "texts".
import { localDate } from './dom.js';
import { refreshNavigation } from './site.js';

(() => {
  'use strict';
  const t = JSON.parse(document.getElementById('texts').textContent);
  const months = t.months.split(',');
  const storageKey = 'helsingborg.apiKey';
  const svgNs = 'http://www.w3.org/2000/svg';
  const $ = id => document.getElementById(id);
  const say = text => { $('message').textContent = text || ''; };
  const today = localDate(Date.now()); // the period ends today in Sweden
  const params = new URLSearchParams(location.search);
  $('from').value = params.get('from') || today.slice(0, 4) + '-01-01';
  $('to').value = params.get('to') || today;

  function key() { return sessionStorage.getItem(storageKey); }

  function query(format, view) {
    const q = new URLSearchParams({ from: $('from').value, to: $('to').value, format });
    if (view === 'referrals') q.set('view', 'referrals'); else q.set('groupBy', 'month');
    if (document.documentElement.lang === 'en') q.set('lang', 'en');
    return '/api/statistics?' + q.toString();
  }

  async function request(format, view) {
    if (!key()) { say(t.needKey); return null; }
    const response = await fetch(query(format, view), { headers: { 'X-Api-Key': key() } });
    if (response.status === 401 || response.status === 403) { sessionStorage.removeItem(storageKey); say(t.denied); return null; }
    if (!response.ok) { say(t.failed); return null; }
    return response;
  }

  function numberOf(value) { return typeof value === 'number' ? value : 0; }

  function el(name, attributes, text) {
    const node = document.createElementNS(svgNs, name);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function monthLabel(group) {
    const [year, month] = group.split('-');
    return months[Number(month) - 1] + (month === '01' ? ' ' + year.slice(2) : '');
  }

  function draw(svg, items, figure) {
    svg.replaceChildren();
    svg.setAttribute('aria-label', t[figure] + ' ' + t.perMonth + ': ' + items.map(i => monthLabel(i.group) + ' ' + i[figure]).join(', '));
    const width = 480, height = 200, left = 28, bottom = 24, top = 14;
    const max = Math.max(1, ...items.map(i => numberOf(i[figure])));
    const slot = (width - left) / Math.max(1, items.length);
    const barWidth = Math.max(2, slot * 0.7);
    svg.appendChild(el('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#888' }));
    svg.appendChild(el('text', { x: 2, y: top, class: 'axis' }, String(max)));
    items.forEach((item, index) => {
      const value = item[figure];
      const suppressed = typeof value === 'string';
      const h = suppressed ? 3 : (numberOf(value) / max) * (height - bottom - top);
      const x = left + index * slot + (slot - barWidth) / 2;
      const bar = el('rect', { x, y: height - bottom - h, width: barWidth, height: h, class: suppressed ? 'bar suppressed' : 'bar', 'data-group': item.group, 'data-value': String(value) });
      bar.appendChild(el('title', {}, monthLabel(item.group) + ': ' + value));
      svg.appendChild(bar);
      svg.appendChild(el('text', { x: x + barWidth / 2, y: height - bottom - h - 2, 'text-anchor': 'middle', class: 'value' }, String(value)));
      svg.appendChild(el('text', { x: x + barWidth / 2, y: height - 8, 'text-anchor': 'middle', class: 'label' }, monthLabel(item.group)));
    });
  }

  // A table per month: the month is each row's header, cells(item) its other cells in order.
  function table(id, items, cells) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren();
    for (const item of items) {
      const row = document.createElement('tr');
      const month = document.createElement('th');
      month.scope = 'row';
      month.textContent = monthLabel(item.group);
      row.appendChild(month);
      for (const value of cells(item)) {
        const td = document.createElement('td');
        td.textContent = String(value);
        row.appendChild(td);
      }
      body.appendChild(row);
    }
    $(id).hidden = false;
  }

  const figures = names => item => names.map(name => item[name]);

  // A child's statutory clocks: each clock's met and missed counts, in the order the figures give them (the page's
  // header names them).
  const clocks = item => Object.values(item.statutoryClocks || {}).flatMap(clock => [clock.metOnTime, clock.missed]);

  const lang = document.documentElement.lang;
  const hours = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const counts = ['sent', 'accepted', 'declined', 'completed', 'expired', 'cancelled', 'awaitingAnswer'];

  // The referral figures: each organisation's kinds, then its row of all kinds, then the total; the
  // organisation and the kind are each row's headers.
  function referrals(data) {
    const body = document.querySelector('#referrals tbody');
    body.replaceChildren();
    const rows = data.organisations.flatMap(o => [...data.items.filter(i => i.organisation === o.organisation), o]);
    if (rows.length > 0) rows.push(data.total);
    for (const item of rows) {
      const row = document.createElement('tr');
      row.dataset.organisation = item.organisation;
      row.dataset.kind = item.kind || 'all';
      if (item.kind === null) row.className = 'subtotal';
      for (const [text, className] of [[item.label, 'organisation'], [item.kindLabel, 'kind']]) {
        const th = document.createElement('th');
        th.scope = 'row';
        th.className = className;
        th.textContent = text;
        row.appendChild(th);
      }
      const cells = counts.map(c => [c, String(item[c])]).concat([
        ['medianAnswerHours', item.medianAnswerHours === null ? '–' : hours.format(item.medianAnswerHours)],
        ['declinedShare', item.declinedShare === null ? '–' : percent.format(item.declinedShare)],
        ['expiredShare', item.expiredShare === null ? '–' : percent.format(item.expiredShare)]]);
      for (const [figure, text] of cells) {
        const td = document.createElement('td');
        td.dataset.figure = figure;
        td.textContent = text;
        row.appendChild(td);
      }
      body.appendChild(row);
    }
    document.querySelector('#referrals caption').textContent = t.referralsCaption + ' ' + data.from + '–' + data.to;
    $('referrals').hidden = rows.length === 0;
    $('no-referrals').hidden = rows.length > 0;
  }

  async function load() {
    say(t.loading);
    const response = await request('json');
    if (!response) return;
    const data = await response.json();
    for (const svg of document.querySelectorAll('svg.chart')) draw(svg, data.items, svg.dataset.figure);
    table('figures', data.items, figures(['incidentsReported', 'personsDocumented', 'supportConversations', 'supportGiven']));
    table('outreach', data.items, figures(['outreachSessions', 'adsReviewed', 'contactsAttempted', 'supportAccepted']));
    table('clocks', data.items, clocks);
    const referred = await request('json', 'referrals');
    if (!referred) return;
    referrals(await referred.json());
    say('');
    document.body.dataset.loaded = 'true';
  }

  async function download(view, name) {
    const response = await request('csv', view).catch(() => null);
    if (!response) return;
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  $('key-form').addEventListener('submit', e => {
    e.preventDefault();
    sessionStorage.setItem(storageKey, $('api-key').value);
    refreshNavigation();
    $('api-key').value = '';
    load().catch(() => say(t.failed));
  });
  $('period-form').addEventListener('submit', e => { e.preventDefault(); load().catch(() => say(t.failed)); });
  $('csv').addEventListener('click', () => download('figures', 'statistik-' + $('from').value + '-' + $('to').value + '.csv'));
  $('referrals-csv').addEventListener('click', () => download('referrals', 'statistik-' + $('from').value + '-' + $('to').value + '-remisser.csv'));
  if (key()) load().catch(() => say(t.failed)); else say(t.needKey);
})();
