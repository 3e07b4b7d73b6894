import { expect, test } from './fixtures';
import {
  E2E_PASSWORD,
  enterIdentifier,
  expectAccessible,
  expectSignedInAs,
  newestMail,
  passwordLink,
  projectTag,
} from './helpers';

// "Forgot your password?" (issue 14, item 5): the project's own personal account (serve.sh)
// asks for a reset, sets a new password from the mailed link and signs in with it; the old
// password, the link a second time and the other browser's session no longer work.
test('a person who forgot their password resets it from the mail', async ({ page, person }, testInfo) => {
  const email = `forgot-${projectTag(testInfo)}@home.example`;
  const name = `E2E forgot ${projectTag(testInfo)}`;
  const newPassword = `a fresh passphrase for ${projectTag(testInfo)}`;

  // Signed in elsewhere with the old password: that session ends with the reset.
  const elsewhere = await person(email);
  await expectSignedInAs(elsewhere, name);

  await page.goto('/sign-in');
  await enterIdentifier(page, email);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await expect(page.getByLabel('Email address')).toHaveValue(email);
  await expectAccessible(page);
  const before = await newestMail();
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText("If an account uses this address, we've sent it a link");
  await expectAccessible(page);

  // The link from the mail: the form first (opening it changes nothing), then the new password.
  const link = await passwordLink(email, before);
  expect(link).toMatch(/^\/reset-password\?token=/);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('New password').fill(newPassword);
  await page.getByLabel('Type it again').fill('not the same passphrase');
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The two passwords are different' })).toBeVisible();
  await page.getByLabel('New password').fill(newPassword);
  await page.getByLabel('Type it again').fill(newPassword);
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password is set' })).toBeVisible();
  await expectAccessible(page);

  // The old password no longer works; the new one does (the link fills in the address).
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Your email or password is incorrect.' })).toBeVisible();
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedInAs(page, name);

  // The other browser was signed out by the reset.
  await elsewhere.reload();
  await expect(elsewhere.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
  await expectAccessible(page);
});
