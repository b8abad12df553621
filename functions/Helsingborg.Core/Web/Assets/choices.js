// A multiple choice by name that sends codes (the partner form's languages and citizenship). The server renders a
// plain <select multiple>, which works without script; this makes it the WAI-ARIA combobox with a listbox popup
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): type to filter, Down and Up to move, Enter to choose, Escape to
// close. The chosen names are listed under the field, each with a button to remove it. The select stays in the form,
// hidden, and holds the choice, so the form sends the same codes as the plain list would.
import { h } from './dom.js';

const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
const fill = (template, name) => template.replace('{0}', name);

export function enhanceChoices(wrapper) {
  const select = wrapper.querySelector('select[multiple]');
  const label = wrapper.querySelector('label');
  const hint = wrapper.querySelector('.hint');
  const words = wrapper.dataset;
  const id = select.id;
  const max = Number(words.max) || Infinity;
  const options = Array.from(select.options, (option) => ({ option, name: option.textContent, key: fold(option.textContent) }));

  // The field's id, label and error go to the search box: the error summary links to it and marks it.
  const describedby = select.getAttribute('aria-describedby');
  select.id = `${id}-select`;
  select.removeAttribute('aria-describedby');
  select.hidden = true;
  label.id = `${id}-label`;
  if (hint) { hint.textContent = words.msgHint; }

  const input = h('input', {
    id, type: 'text', role: 'combobox', autocomplete: 'off', spellcheck: 'false', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': `${id}-listbox`, 'aria-describedby': describedby, 'data-error': select.dataset.error,
  });
  const listbox = h('ul', { id: `${id}-listbox`, role: 'listbox', className: 'listbox', 'aria-labelledby': label.id, 'aria-multiselectable': 'true', hidden: true });
  const chosen = h('ul', { className: 'chosen', 'aria-label': words.msgChosenList, hidden: true });
  const status = h('p', { className: 'visually-hidden', role: 'status' });
  select.after(input, listbox, chosen, status);

  let matches = [];
  let active = -1;

  const say = (text) => { status.textContent = text; };
  const isOpen = () => !listbox.hidden;

  function render() {
    const query = fold(input.value.trim());
    const found = query ? options.filter((o) => o.key.includes(query) || o.option.value.toLocaleLowerCase() === query) : options;
    // Names that start with what was typed come first: "rum" finds rumänska before arumänska.
    matches = [...found.filter((o) => o.key.startsWith(query)), ...found.filter((o) => !o.key.startsWith(query))];
    listbox.replaceChildren(...(matches.length
      ? matches.map((o) => h('li', {
        id: `${id}-option-${o.option.value}`, role: 'option', 'aria-selected': o.option.selected ? 'true' : 'false',
        onmousedown: (event) => event.preventDefault(), onclick: () => choose(o),
      }, o.name))
      : [h('li', { role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', className: 'none' }, words.msgNone)]));
    setActive(-1);
  }

  function setActive(index) {
    active = matches.length ? index : -1;
    Array.from(listbox.children).forEach((li, n) => li.classList.toggle('active', n === active));
    if (active >= 0) {
      const li = listbox.children[active];
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function open() {
    if (!isOpen()) { render(); }
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  // In the order chosen: the first citizenship is the one the national export counts.
  const chosenOnes = () => Array.from(select.selectedOptions, (option) => options.find((o) => o.option === option));

  function renderChosen() {
    const picked = chosenOnes();
    chosen.replaceChildren(...picked.map((o) => h('li', { 'data-code': o.option.value }, h('span', {}, o.name), ' ',
      h('button', { type: 'button', className: 'remove', onclick: () => remove(o) }, words.msgRemove, h('span', { className: 'visually-hidden' }, ` ${o.name}`)))));
    chosen.hidden = picked.length === 0;
  }

  function choose(o) {
    if (o.option.selected) {
      remove(o);
    } else if (select.selectedOptions.length >= max) {
      say(words.msgMax);
    } else {
      const last = select.selectedOptions[select.selectedOptions.length - 1];
      if (last) { last.after(o.option); } else { select.prepend(o.option); }
      o.option.selected = true;
      renderChosen();
      say(fill(words.msgChosen, o.name));
    }
    input.value = '';
    close();
    input.focus();
  }

  function remove(o) {
    o.option.selected = false;
    renderChosen();
    say(fill(words.msgRemoved, o.name));
    input.focus();
  }

  input.addEventListener('input', () => { render(); open(); });
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!isOpen()) { open(); setActive(0); } else { setActive(Math.min(active + 1, matches.length - 1)); }
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (isOpen()) { setActive(Math.max(active - 1, 0)); }
    } else if (event.key === 'Enter' && isOpen() && (active >= 0 || input.value.trim() !== '')) {
      // Enter chooses the highlighted name, or the best match of what was typed; otherwise it sends the form.
      event.preventDefault();
      if (matches.length) { choose(matches[Math.max(active, 0)]); }
    } else if (event.key === 'Escape') {
      if (isOpen()) { event.preventDefault(); close(); } else { input.value = ''; }
    }
  });
  renderChosen();
}
