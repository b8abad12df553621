// The partner form in a real browser: open /intake (Swedish), submit it empty and see the error summary,
// enter the key, fill the form by its labels with the keyboard, submit, and read the case reference off
// the receipt. Then "report something else" must not ask for the key again (sessionStorage).
// Inputs: BASE_URL, PARTNER_KEY. Prints { ok, caseId, errors, keyAskedAgain, consoleErrors }.
import { run } from './browser.mjs';

await run(async page => {
  const consoleErrors = [];
  // Script errors and policy violations; not the network's own lines (the expected 400, the favicon's 404).
  page.on('console', m => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
  page.on('pageerror', e => consoleErrors.push(String(e)));
  const external = [];
  page.on('request', r => { if (!r.url().startsWith(process.env.BASE_URL)) external.push(r.url()); });

  await page.goto(new URL('intake', process.env.BASE_URL).href);
  if (await page.locator('html').getAttribute('lang') !== 'sv') throw new Error('the form is not Swedish by default');

  // An empty submit: the error summary appears, takes focus and links to the fields.
  await page.getByRole('button', { name: 'Skicka rapporten' }).press('Enter');
  const summary = page.locator('#error-summary');
  await summary.waitFor({ state: 'visible' });
  const keyError = await summary.innerText();
  if (!/partnernyckeln/i.test(keyError)) throw new Error('no key error in the summary: ' + keyError);

  await page.getByLabel('Din organisations partnernyckel').fill(process.env.PARTNER_KEY);
  await page.getByRole('button', { name: 'Skicka rapporten' }).press('Enter');
  await page.locator('#error-list a[href="#f-description"]').waitFor();
  const errors = await page.locator('#error-list li').allInnerTexts();
  if (await page.evaluate(() => document.activeElement && document.activeElement.id) !== 'error-summary') throw new Error('the summary did not take focus');

  // Fill it in by labels, with the keyboard.
  await page.getByLabel('Kommun').focus();
  await page.keyboard.press('End'); // Örkelljunga, the last one
  await page.getByLabel('Kommun').selectOption('helsingborg');
  const when = new Date(Date.now() - 2 * 3600_000);
  const pad = n => String(n).padStart(2, '0');
  await page.getByLabel('När såg du det?').fill(`${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T${pad(when.getHours())}:${pad(when.getMinutes())}`);
  await page.getByLabel('Hotell').focus();
  await page.keyboard.press('Space');
  await page.getByLabel('Plats', { exact: true }).pressSequentially('Rum 214');
  await page.getByLabel('Människohandel').focus();
  await page.keyboard.press('Space');
  await page.getByLabel('Beskriv vad du såg').pressSequentially('En kvinna, cirka 20, följdes av en man som höll hennes pass.');
  await page.getByRole('group', { name: /Är polisen informerad/ }).getByLabel('Nej').check();
  await page.getByLabel('Namn eller alias').fill('Testperson');
  await page.getByLabel('Uppskattad ålder').fill('20');
  await page.getByLabel('Språk').fill('ro, en');
  await page.getByLabel('Dina kontaktuppgifter').fill('nattportier');
  await page.getByRole('button', { name: 'Skicka rapporten' }).focus();
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: /rapporten är mottagen/ }).waitFor();
  const caseId = (await page.locator('#case-reference').innerText()).trim();
  if (!/^c_[0-9a-z]{26}$/.test(caseId)) throw new Error('no case reference on the receipt: ' + caseId);

  // Another report in the same session: the key is not asked for again.
  await page.getByRole('link', { name: 'Rapportera något mer' }).click();
  await page.getByRole('button', { name: 'Skicka rapporten' }).waitFor();
  const keyAskedAgain = await page.getByLabel('Din organisations partnernyckel').isVisible();

  // English on request.
  await page.goto(new URL('intake?lang=en', process.env.BASE_URL).href);
  await page.getByRole('button', { name: 'Send the report' }).waitFor();

  if (external.length) throw new Error('requests outside the app: ' + external.join(', '));
  return { caseId, errors, keyAskedAgain, consoleErrors };
});
