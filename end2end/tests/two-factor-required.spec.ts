import { expect, test } from './fixtures';
import { E2E_PASSWORD, enterIdentifier, expectAccessible, expectSignedInAs, hydrated, nowStep, projectTag, signOut, totp } from './helpers';

// Runs on the pair (serve-pair.sh), whose instances keep the installation's default: staff and
// Global Administrators must use two-step verification.
const A = 'http://127.0.0.1:3310';
const B = 'http://127.0.0.1:3311';

test('an operator must set up two-step verification before anything else, then signs in with a code', async ({ page }, testInfo) => {
  const tag = projectTag(testInfo);
  const email = `ops-${tag}@provider.example`;
  const name = `Pair operator ${tag}`;
  await page.goto(`${A}/sign-in`);
  await enterIdentifier(page, email);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // The password alone leads only to the set-up page, with the reason.
  await expect(page).toHaveURL(/\/profile\/two-factor\?required=1/);
  await expect(page.getByText('Your account administers others, so it must use two-step verification.')).toBeVisible();
  await expectAccessible(page);
  await page.goto(`${A}/staff`);
  await expect(page).toHaveURL(/\/profile\/two-factor\?required=1/);
  await expect(page.getByRole('heading', { name: 'Staff console' })).toHaveCount(0);

  await hydrated(page);
  await page.getByRole('button', { name: 'Set up' }).click();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.locator('code.secret').innerText()).trim();
  const step = nowStep();
  await page.getByLabel('Code from the app').fill(totp(secret, step));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  await expectAccessible(page);

  // Now the console opens, on the other instance too.
  await page.goto(`${B}/staff`);
  await expect(page.getByRole('heading', { name: 'Staff console' })).toBeVisible();
  await expectSignedInAs(page, name);

  // The next sign-in asks for a code; the one just used is refused, the next one works.
  await hydrated(page);
  await signOut(page);
  await page.goto(`${B}/sign-in`);
  await enterIdentifier(page, email);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  await page.getByLabel('Code').fill(totp(secret, step));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That code is not correct' }).first()).toBeVisible();
  await page.getByLabel('Code').fill(totp(secret, step + 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expectSignedInAs(page, name);
});
