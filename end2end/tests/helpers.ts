import { createHmac } from 'node:crypto';
import { expect, Page, test, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const DEMO_PASSWORD = 'Demo-Password-2026';
export const E2E_PASSWORD = 'E2E-Password-2026';

/** The journeys' own account for this project (see serve.sh). */
export function ownAccount(testInfo: TestInfo, who: 'wrong' | 'profile' | 'signout' | 'password') {
  const project = testInfo.project.name.endsWith('nojs') ? 'nojs' : 'js';
  return { email: `${who}-${project}@contoso.com`, name: `E2E ${who} ${project}` };
}

/**
 * Fails on any serious or critical accessibility finding on the current page. axe runs inside
 * the page, so it runs in the JavaScript project; the no-JS project sees the same server HTML.
 */
export async function expectAccessible(page: Page) {
  if (test.info().project.use.javaScriptEnabled === false) return;
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(', ')}`);
  expect(report, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** The sign-in steps as a person takes them; `kind` answers the chooser when it appears. */
export async function signIn(
  page: Page,
  identifier: string,
  password: string,
  kind?: 'Work or school account' | 'Personal account',
) {
  await page.goto('/sign-in');
  await enterIdentifier(page, identifier);
  if (kind) {
    await page.getByRole('button', { name: kind }).click();
  }
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function enterIdentifier(page: Page, identifier: string) {
  await page.getByLabel('Email address or phone number').fill(identifier);
  await page.getByRole('button', { name: 'Next' }).click();
}

export function header(page: Page) {
  return page.locator('header');
}

/**
 * With JavaScript, waits until the page has hydrated: before that its forms post and its links
 * load pages as they would without JavaScript, and a journey that expects the page to answer in
 * place must wait. Without JavaScript it returns at once.
 */
export async function hydrated(page: Page) {
  if (test.info().project.use.javaScriptEnabled === false) return;
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

/**
 * After signing in, waits until the landing page is on screen and live: the account menu shows
 * as soon as the session exists, but home's code (and its step on to the workspace) may still
 * be loading, and a click in that moment can be overtaken by that step.
 */
export async function settled(page: Page) {
  await expect(page).not.toHaveURL(/\/sign-in/);
  // The address changes as soon as the step starts, while "Sign in" stays on screen until the
  // next page's code has arrived: wait for the next page's own heading.
  await expect(page.locator('main h1').filter({ hasNotText: /^Sign in$/ })).toBeVisible();
  await hydrated(page);
}

/** The account menu's button in the header: it shows the signed-in person's name. */
export function accountMenu(page: Page) {
  return header(page).locator('details.account-menu > summary');
}

/** Checks who is signed in, as the header shows it. */
export async function expectSignedInAs(page: Page, name: string) {
  await expect(accountMenu(page)).toContainText(name);
}

/** Opens the account menu and signs out. */
export async function signOut(page: Page) {
  await accountMenu(page).click();
  await header(page).getByRole('button', { name: 'Sign out' }).click();
}

/** Opens the account menu and follows "Edit Profile". */
export async function openProfile(page: Page) {
  await accountMenu(page).click();
  await header(page).getByRole('link', { name: 'Edit Profile' }).click();
}

/** The shell's navigation: every tool the person's roles open, on every page. */
export function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Portal' });
}

/** JavaScript on or off for this project: names the journeys' own accounts. */
export function projectTag(testInfo: TestInfo) {
  return testInfo.project.name.endsWith('nojs') ? 'nojs' : 'js';
}

/**
 * The invitation link of the newest mail to `to` in the mail folder (serve.sh: target/e2e/mail),
 * as a person would copy it from the .eml file. Waits for the outbox worker to deliver it.
 */
export async function invitationLink(to: string, after = 0): Promise<string> {
  const links = await invitationLinks(to, after, 1);
  return links[0];
}

/** Every invitation link mailed to `to` (newest first), once at least `count` have arrived. */
export async function invitationLinks(to: string, after = 0, count = 1): Promise<string[]> {
  return mailedLinks(to, /https?:\/\/\S+\/invitations\/accept\?token=[A-Za-z0-9_-]+/, after, count);
}

/** The address-confirmation link of the newest sign-up mail to `to`. */
export async function confirmationLink(to: string): Promise<string> {
  const links = await mailedLinks(to, /https?:\/\/\S+\/confirm-email\?token=[A-Za-z0-9_-]+/, 0, 1);
  return links[0];
}

/** The password link (reset or new user) of the newest such mail to `to` after mail `after`. */
export async function passwordLink(to: string, after = 0): Promise<string> {
  const links = await mailedLinks(to, /https?:\/\/\S+\/(reset|set)-password\?token=[A-Za-z0-9_-]+/, after, 1);
  return links[0];
}

/** Links matching `pattern` in the mails to `to` (newest first), once `count` have arrived. */
async function mailedLinks(to: string, pattern: RegExp, after: number, count: number): Promise<string[]> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = path.resolve(__dirname, '../../target/e2e/mail');
  for (let i = 0; i < 100; i++) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    const mails = files
      .map((f) => ({ id: parseInt(f, 10), text: decodeMail(fs.readFileSync(path.join(dir, f), 'utf8')) }))
      .filter((m) => m.id > after && new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}$`, 'mi').test(m.text))
      .sort((a, b) => b.id - a.id);
    const links = mails
      .map((m) => m.text.match(pattern))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => new URL(m[0]).pathname + new URL(m[0]).search);
    if (links.length >= count) return links;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} with a link like ${pattern}`);
}

/** The highest mail number so far: `invitationLink(to, newestMail())` then waits for a new one. */
export async function newestMail(): Promise<number> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = path.resolve(__dirname, '../../target/e2e/mail');
  const ids = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => parseInt(f, 10)).filter((n) => !Number.isNaN(n)) : [];
  return Math.max(0, ...ids);
}

/** The text of a mail as a reader sees it (undoes quoted-printable, should a mailer choose it). */
function decodeMail(raw: string): string {
  if (!/^Content-Transfer-Encoding: quoted-printable/mi.test(raw)) return raw;
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** Follows "New support request" on the case list and returns the form it opens. */
export async function newSupportRequest(page: Page) {
  await page.getByRole('link', { name: 'New support request' }).click();
  const form = page.getByRole('region', { name: 'New support request' });
  await expect(form).toBeVisible();
  return form;
}

/**
 * A destructive action that asks first: follows the asking button, checks the question, then
 * confirms with the question's own button.
 */
export async function confirmAction(page: Page, ask: string | RegExp, question: string | RegExp, confirm: string | RegExp) {
  await page.getByRole('link', { name: ask }).click();
  const box = page.getByRole('group', { name: question });
  await expect(box).toBeVisible();
  await box.getByRole('button', { name: confirm }).click();
}

/** RFC 4648 base32 (a secret as the page shows it, spaces allowed) to bytes. */
function base32decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = ((value << 5) | alphabet.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code an authenticator app shows at time step `step` (RFC 6238: SHA-1, 30 s, six digits). */
export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The current 30-second time step. */
export const nowStep = () => Math.floor(Date.now() / 1000 / 30);
