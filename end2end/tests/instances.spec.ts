import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  accountMenu,
  E2E_PASSWORD,
  enterIdentifier,
  expectAccessible,
  expectSignedInAs,
  hydrated,
  nav,
  newSupportRequest,
  projectTag,
  settled,
  signOut,
} from './helpers';

// Two instances of the portal on one PostgreSQL database (serve-pair.sh): A on 3310 (the
// project's base URL) and B on 3311. The browser's cookie for 127.0.0.1 goes to both, as one
// cookie goes to every instance behind a load balancer. Each journey alternates between them.
const A = 'http://127.0.0.1:3310';
const B = 'http://127.0.0.1:3311';

/** The sign-in steps on one instance. */
async function signInAt(page: Page, instance: string, email: string, password: string) {
  await page.goto(`${instance}/sign-in`);
  await enterIdentifier(page, email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a session made on one instance is valid on the other, and signing out on one ends it on both', async ({ page, browser }, testInfo) => {
  const tag = projectTag(testInfo);
  const name = `Pair alex ${tag}`;
  await signInAt(page, A, `alex-${tag}@contoso.com`, E2E_PASSWORD);
  await settled(page);
  await expectSignedInAs(page, name);

  // B knows the session A made: the same person, no sign-in.
  await page.goto(`${B}/profile`);
  await expectSignedInAs(page, name);
  await expect(page).toHaveURL(`${B}/profile`);
  await expectAccessible(page);

  // Keep a copy of the cookie, as a stolen or second browser would have it, then sign out on B.
  const cookies = await page.context().cookies();
  await hydrated(page);
  await signOut(page);
  await expect(page.getByText('You have signed out. Sign in again to continue.')).toBeVisible();

  // The old cookie is dead on A too: the session is gone from the database, not just the browser.
  const other = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled !== false });
  await other.addCookies(cookies);
  const replay = await other.newPage();
  await replay.goto(`${A}/profile`);
  await expect(replay).toHaveURL(/\/sign-in/);
  await expect(accountMenu(replay)).toHaveCount(0);
  await other.close();
});

test('wrong passwords spread over both instances lock the account on both', async ({ page }, testInfo) => {
  const tag = projectTag(testInfo);
  const email = `lock-${tag}@contoso.com`;
  // Five wrong passwords, alternating: each instance alone has seen fewer than five.
  for (const instance of [A, B, A, B, A]) {
    await signInAt(page, instance, email, 'not-the-password');
    await expect(page.getByRole('alert')).toContainText('Your email or password is incorrect.');
  }
  // Now even the right password is refused on B, with the same message and no session.
  await signInAt(page, B, email, E2E_PASSWORD);
  await expect(page.getByRole('alert')).toContainText('Your email or password is incorrect.');
  await expect(accountMenu(page)).toHaveCount(0);
  await expectAccessible(page);
});

test("a note added on one instance reaches the case's reader on the other", async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const live = testInfo.project.use.javaScriptEnabled !== false;
  const title = `Replication lag on the pair (${tag})`;
  const sam = `sam-${tag}@contoso.com`;

  // Alex opens a case on A and shares it with Sam.
  const alex = await person(`alex-${tag}@contoso.com`);
  await nav(alex).getByRole('link', { name: 'Support cases' }).click();
  const form = await newSupportRequest(alex);
  await form.getByLabel('Title', { exact: true }).fill(title);
  await form.getByLabel('Description').fill('The second instance shows old figures.');
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(alex.getByRole('heading', { name: new RegExp(`^Case \\d+: `) })).toBeVisible();
  const path = new URL(alex.url()).pathname;
  const share = alex.getByRole('region', { name: 'Share this case' });
  await share.getByLabel('Email address of a member of this workspace').fill(sam);
  await share.getByRole('button', { name: 'Share' }).click();
  await expect(alex.locator('dd').filter({ hasText: sam })).toBeVisible();

  // Sam reads it on B.
  const reader = await person(sam);
  await reader.goto(`${B}${path}`);
  await expect(reader.getByRole('heading', { name: new RegExp(`: ${title.replace(/[()]/g, '\\$&')}$`) })).toBeVisible();
  await hydrated(reader);
  await expectAccessible(reader);

  // Alex adds a note on A.
  await hydrated(alex);
  await alex.getByRole('textbox', { name: 'Note' }).fill('Fixed on both instances now.');
  await alex.getByRole('button', { name: 'Add the note' }).click();
  await expect(alex.getByText('Fixed on both instances now.')).toBeVisible();

  // With JavaScript, Sam's open page on B shows it without a reload (the event crossed the
  // instances through PostgreSQL); without, the next load of B's page does.
  if (!live) await reader.reload();
  await expect(reader.getByText('Fixed on both instances now.')).toBeVisible();
  expect(new URL(reader.url()).origin).toBe(B);
});
