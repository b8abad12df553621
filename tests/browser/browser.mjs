// Shared launcher for the real-browser tests: Debian's Chromium through playwright-core.
// The flags keep Chromium off the network (this machine allows only loopback) and headless.
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// Runs `body(page)` and prints one JSON line with its result; any failure exits 1 with the message.
export async function run(body) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const result = await body(page);
    console.log(JSON.stringify({ ok: true, ...result }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: String(e && e.message || e) }));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
