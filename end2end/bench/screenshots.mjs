// Screenshots of every page at a desktop (1280 px) and a phone (390 px) width, for people to
// look at before a change to the pages lands. Prints each file and the page's width against
// the window's (a page wider than the window scrolls sideways). Asserts nothing.
// Usage: node screenshots.mjs http://127.0.0.1:3300 target/screenshots
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';

const [base, dir = 'target/screenshots'] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function signIn(page, email, kind) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address or phone number').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  if (kind) await page.getByRole('button', { name: kind }).click();
  await page.getByLabel('Password').fill('Demo-Password-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

const people = [
  ['megan', 'megan@contoso.com', 'Work or school account', [
    '/workspaces/1', '/workspaces/1/users', '/workspaces/1/users?confirm=remove-2',
    '/workspaces/1/groups', '/workspaces/1/cases', '/workspaces/1/cases?new=1',
    '/workspaces/1/audit', '/activity?workspace=1', '/activity?workspace=all', '/profile',
    '/workspaces/999999', '/staff',
  ]],
  ['csam', 'csam@provider.example', null, ['/staff', '/staff/agreements/1', '/workspaces/1/cases']],
];

for (const [width, height, label] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
  const anonymous = await browser.newContext({ baseURL: base, viewport: { width, height } });
  const page = await anonymous.newPage();
  await page.goto('/sign-in');
  await page.screenshot({ path: `${dir}/${label}-sign-in.png`, fullPage: true });
  await anonymous.close();
  for (const [who, email, kind, paths] of people) {
    const context = await browser.newContext({ baseURL: base, viewport: { width, height } });
    const page = await context.newPage();
    await signIn(page, email, kind);
    for (const path of paths) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const name = `${label}-${who}${path.replace(/[^a-z0-9]+/gi, '-')}`.replace(/-$/, '');
      await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      console.log(`${name}.png  ${wide} px wide in ${width}${wide > width ? '  <- scrolls sideways' : ''}`);
    }
    await context.close();
  }
}
await browser.close();
