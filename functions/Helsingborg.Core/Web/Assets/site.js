// Every page's header (Web/Layout.razor): the server draws the navigation for a caller the request names (Entra
// sign-in); a key kept in this tab's session is known only here, so the links it allows come from GET /api/navigation
// and are shown among the header's own (hidden ones are never the only way to a page: each works without them).
// Sign-out forgets this tab's keys and starts the page again.
const KEYS = ['helsingborg.apiKey', 'helsingborg.partnerKey'];
const lang = document.documentElement.lang === 'en' ? 'en' : 'sv';

function storedKeys() {
  try { return [...new Set(KEYS.map((k) => sessionStorage.getItem(k)).filter(Boolean))]; } catch { return []; }
}

async function allowedBy(key) {
  try {
    const response = await fetch(`/api/navigation?lang=${lang}`, { headers: { 'X-Api-Key': key, 'Accept': 'application/json' }, cache: 'no-store' });
    return response.ok ? (await response.json()).items.map((i) => i.id) : [];
  } catch { return []; }
}

// The links the server drew: the public ones, and those of a caller the request named.
const drawn = new Set([...document.querySelectorAll('#site-nav li:not([hidden])')].map((li) => li.id));

// Shows the links of the keys this tab holds; a page calls it again when it stores or forgets a key.
export async function refreshNavigation() {
  const keys = storedKeys();
  document.getElementById('sign-out').hidden = keys.length === 0;
  const allowed = new Set((await Promise.all(keys.map(allowedBy))).flat().map((id) => `nav-item-${id}`));
  for (const item of document.querySelectorAll('#site-nav li')) item.hidden = !drawn.has(item.id) && !allowed.has(item.id);
}

document.getElementById('sign-out').addEventListener('click', () => {
  try { for (const k of KEYS) sessionStorage.removeItem(k); } catch { /* storage off: nothing kept */ }
  location.reload();
});

refreshNavigation();
