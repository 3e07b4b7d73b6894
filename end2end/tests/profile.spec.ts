import { expect, test } from './fixtures';
import { E2E_PASSWORD, expectAccessible, expectSignedInAs, openProfile, ownAccount, signIn, signOut } from './helpers';

test('Edit Profile saves every field and they survive a reload', async ({ page }, testInfo) => {
  const account = ownAccount(testInfo, 'profile');
  await signIn(page, account.email, E2E_PASSWORD);
  await openProfile(page);
  await expect(page.getByRole('heading', { name: 'Edit Profile' })).toBeVisible();
  await expect(page.locator('main').getByText(account.email)).toBeVisible();
  await expectAccessible(page);

  const newName = `${account.name} (edited)`;
  await page.getByLabel('Display name').fill(newName);
  await page.getByLabel('Phone number').fill(testInfo.project.name.endsWith('nojs') ? '+44 20 7946 0001' : '+44 20 7946 0002');
  await page.getByLabel('Language').selectOption('de');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByLabel('Notification email').fill('notices@example.org');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status')).toContainText('Your profile has been saved.');
  await expectSignedInAs(page, newName);

  await page.reload();
  await expect(page.getByLabel('Display name')).toHaveValue(newName);
  await expect(page.getByLabel('Language')).toHaveValue('de');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await expect(page.getByLabel('Notification email')).toHaveValue('notices@example.org');
  await expectAccessible(page);

  // A bad notification email is refused at the field and nothing changes.
  await page.getByLabel('Notification email').fill('nope');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'valid email address' })).toBeVisible();
  await expectAccessible(page);
  await page.goto('/profile');
  await expect(page.getByLabel('Notification email')).toHaveValue('notices@example.org');
});

test('changing the password takes effect at the next sign-in', async ({ page }, testInfo) => {
  const account = ownAccount(testInfo, 'password');
  const newPassword = 'a brand new passphrase';
  await signIn(page, account.email, E2E_PASSWORD);
  await openProfile(page);
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'current password is incorrect' })).toBeVisible();
  await page.getByLabel('Current password').fill(E2E_PASSWORD);
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password has been changed.');
  await expectAccessible(page);
  await signOut(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signIn(page, account.email, newPassword);
  await expectSignedInAs(page, account.name);
});
