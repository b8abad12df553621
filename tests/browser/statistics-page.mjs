// Opens the statistics page, enters a key once, and reports what the charts show.
// Inputs: BASE_URL, API_KEY, FROM, TO.
import { launch, run } from './browser.mjs';

const base = process.env.BASE_URL;
const { FROM, TO, API_KEY } = process.env;

await run(async (page) => {
  let cspViolations = 0;
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations++; });
  await page.goto(`${base}statistics?from=${FROM}&to=${TO}`);
  await page.fill('#api-key', API_KEY);
  await page.click('#key-form button[type=submit]');
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });

  const charts = await page.locator('svg.chart').count();
  const bars = [];
  for (const id of ['incidentsReported', 'personsDocumented', 'supportConversations', 'supportGiven']) {
    bars.push(await page.locator(`#chart-${id} rect.bar`).count());
  }
  const incidents = await page.locator('#chart-incidentsReported rect.bar').evaluateAll(rs => rs.map(r => r.getAttribute('data-value')));
  const conversationsApril = await page.locator('#chart-supportConversations rect.bar[data-group="2019-04"]').getAttribute('data-value');
  const firstLabel = await page.locator('#chart-incidentsReported text.label').first().textContent();
  const outreachRows = await page.locator('#outreach tbody tr').count();

  // The key lives in sessionStorage: a reload draws again without asking.
  await page.reload();
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });

  // The CSV is fetched with the key and handed to the browser as a download.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const csvStart = Buffer.concat(chunks).toString('utf8').slice(0, 20);

  await page.goto(`${base}statistics?lang=en`);
  const englishHeading = await page.locator('h1').textContent();

  return { charts, bars, incidents, conversationsApril, firstLabel, outreachRows, cspViolations, csvStart, englishHeading };
});
