// The coordinator dashboard in a real browser: sign in with a key, filter the list, open a case,
// record contact-made and see the phase change on the page. Inputs come from the environment.
import { run } from './browser.mjs';

const { BASE_URL, API_KEY, CASE_ID, MUNICIPALITY, SCREENSHOT } = process.env;

await run(async (page) => {
  const failures = [];
  page.on('pageerror', (e) => failures.push(String(e)));
  // The first probe without a key answers 401 by design (it shows the sign-in form); anything else is a failure.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 401/.test(m.text())) failures.push(m.text()); });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(BASE_URL, { waitUntil: 'domcontentloaded' });

  await page.fill('#api-key', API_KEY);
  await page.click('#signin-submit');
  await page.waitForSelector('#filters');

  await page.selectOption('#filter-municipality', MUNICIPALITY);
  await page.click('#filter-apply');
  const link = page.locator(`a.case-link[href="#/case/${CASE_ID}"]`);
  await link.waitFor({ timeout: 15000 });
  const others = await page.$$eval('#case-rows tr[data-case] td:nth-child(4)', (cells) => cells.map((c) => c.textContent));
  if (others.some((m) => m !== 'Åstorp')) throw new Error(`the filter let other municipalities through: ${others.join(', ')}`);

  await link.click();
  await page.waitForSelector('#case-phase[data-phase="first-contact"]');
  const offered = await page.$$eval('#event-type option', (os) => os.map((o) => o.value).filter(Boolean));
  if (offered.includes('support-given')) throw new Error('the form offers an event that first-contact does not allow');

  await page.selectOption('#event-type', 'contact-made');
  // The payload fields are labelled in Swedish, never by their API names.
  const labels = await page.$$eval('#event-fields label', (ls) => ls.map((l) => l.firstChild.textContent));
  if (!labels.includes('Vill ha stöd') || labels.some((l) => /^[a-z]+[A-Z]/.test(l))) throw new Error(`event fields labelled ${labels.join(', ')}`);
  const wants = await page.$$eval('#event-wantsSupport option', (os) => os.map((o) => o.textContent));
  if (!wants.includes('Ja')) throw new Error(`wantsSupport offers ${wants.join(', ')}`);
  await page.selectOption('#event-wantsSupport', 'yes');
  await page.selectOption('#event-wantsAuthorityContact', 'yes');
  await page.click('#event-submit');
  await page.waitForSelector('#case-phase[data-phase="short-term-support"]', { timeout: 30000 });
  const phase = await page.getAttribute('#case-phase', 'data-phase');
  const label = await page.textContent('#case-phase');
  if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });
  if (failures.length) throw new Error(`page errors: ${failures.join(' | ')}`);
  return { phase, label };
});
