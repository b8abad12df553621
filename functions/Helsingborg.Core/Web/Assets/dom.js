// Builds DOM from text nodes only (never parsed markup), for the dashboard and the referral inbox:
// h('p', { className: 'note', onclick: f }, 'text', child) — attributes, event handlers and children.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'className') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Times as people in the network read them, the twin of LocalTime.cs: Swedish wall-clock time (Europe/Stockholm,
// with summer time) written 2026-12-07 14:05 on Swedish and English pages alike; the API's times stay UTC.
const swedishClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function swedishParts(value) {
  const parts = Object.fromEntries(swedishClock.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export function localTime(value) {
  const { date, time } = swedishParts(value);
  return `${date} ${time}`;
}

export function localDate(value) {
  return swedishParts(value).date;
}
