// First load of each page in Chromium with an empty cache (a fresh browser context per visit):
// WASM + JS bytes as transferred (compressed bodies and headers) and the time from navigation
// to hydrated (the body's data-hydrated mark, set when the page's WASM has taken over).
// Prints figures; asserts nothing. Usage: node first-load.mjs http://127.0.0.1:3400
import { chromium } from '@playwright/test';

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function signedInCookies() {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email address or phone number').fill('megan@contoso.com');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Work or school account' }).click();
  await page.getByLabel('Password').fill('Demo-Password-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

async function visit(path, cookies) {
  const context = await browser.newContext({ baseURL: base });
  if (cookies) await context.addCookies(cookies);
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.body?.dataset.hydrated === 'true') {
        window.__hydrated_at = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  const page = await context.newPage();
  const pending = [];
  page.on('requestfinished', (request) => {
    if (/\.(wasm|js)$/.test(new URL(request.url()).pathname)) {
      pending.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
    }
  });
  await page.goto(path);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const hydrated = await page.evaluate(() => window.__hydrated_at);
  const bytes = (await Promise.all(pending)).reduce((a, b) => a + b, 0);
  await context.close();
  return { bytes, hydrated };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cookies = await signedInCookies();
const pages = [
  ['sign-in', '/sign-in', null],
  ['home', '/', cookies],
  ['Manage Users', '/workspaces/1/users', cookies],
  ['Support cases', '/workspaces/1/cases', cookies],
  ['Customer Activity', '/activity', cookies],
];
console.log(`first load, cold cache, median of ${runs}: WASM + JS transferred, time to hydrated`);
for (const [label, path, jar] of pages) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await visit(path, jar));
  const kb = median(results.map((r) => r.bytes)) / 1000;
  const ms = median(results.map((r) => r.hydrated));
  console.log(`  ${label.padEnd(18)} ${kb.toFixed(1).padStart(7)} KB   hydrated in ${ms.toFixed(0).padStart(5)} ms`);
}
await browser.close();
