import { expect, test } from './fixtures';
import { E2E_PASSWORD, expectAccessible, expectSignedInAs, nowStep, openProfile, projectTag, signIn, signOut, totp } from './helpers';

test('a person turns on two-step verification from Profile and signs in with a code', async ({ page }, testInfo) => {
  const project = projectTag(testInfo);
  const email = `twofa-${project}@contoso.com`;
  const name = `E2E twofa ${project}`;
  await signIn(page, email, E2E_PASSWORD);
  await expectSignedInAs(page, name);

  await openProfile(page);
  await page.getByRole('link', { name: 'Manage two-step verification' }).click();
  await expect(page.getByRole('heading', { name: 'Two-step verification', level: 1 })).toBeVisible();
  await expect(page.getByText('Status: off.')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Set up' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.locator('code.secret').innerText()).trim();
  expect(secret.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page);

  // A wrong code is refused at the field.
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That code is not correct' }).first()).toBeVisible();

  const enrolledAt = nowStep();
  await page.getByLabel('Code from the app').fill(totp(secret, enrolledAt));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  const codes = await page.locator('ul.recovery-codes li').allInnerTexts();
  expect(codes).toHaveLength(10);
  await expectAccessible(page);

  // Shown once: a reload shows the status, not the codes.
  await page.goto('/profile/two-factor');
  await expect(page.getByText('Status: on.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toHaveCount(0);

  await signOut(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signIn(page, email, E2E_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  await expectAccessible(page);
  // The next step's code (the enrollment used this one; each code works once).
  await page.getByLabel('Code').fill(totp(secret, enrolledAt + 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expectSignedInAs(page, name);

  // A recovery code works in place of a code, once.
  await signOut(page);
  await signIn(page, email, E2E_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expectSignedInAs(page, name);
  await signOut(page);
  await signIn(page, email, E2E_PASSWORD);
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That code is not correct' }).first()).toBeVisible();
  await expectAccessible(page);
});
