import { expect, test } from './fixtures';
import { accountMenu, DEMO_PASSWORD, E2E_PASSWORD, enterIdentifier, expectAccessible, expectSignedInAs, header, ownAccount, settled, signIn, signOut } from './helpers';

test('a work account signs in and lands on its main page', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);
  await enterIdentifier(page, 'alex@contoso.com');
  await expect(page.getByText('Work or school account')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Alex is a member of Contoso's Default Workspace (demo data): the main page opens it.
  await expect(page.getByRole('heading', { name: 'Default Workspace' })).toBeVisible();
  await expectSignedInAs(page, 'Alex Wilber');
  await expect(header(page)).toContainText('Services Hub');
  await expectAccessible(page);
});

test('an address with both kinds asks which account, and the work choice signs in as work', async ({ page }) => {
  await page.goto('/sign-in');
  await enterIdentifier(page, 'megan@contoso.com');
  await expect(page.getByText('more than one account')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Personal account' })).toBeVisible();
  // Each kind says what it is, and there is a way back.
  await expect(page.getByText('Created for you by your organization')).toBeVisible();
  await expect(page.getByText('Created by you for your own use')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Use another account' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Work or school account' }).click();
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedInAs(page, 'Megan Bowen');
  await page.goto('/profile');
  await expect(page.getByText('Work or school account')).toBeVisible();
});

test('the personal choice signs in as the personal account', async ({ page }) => {
  await signIn(page, 'megan@contoso.com', DEMO_PASSWORD, 'Personal account');
  await expectSignedInAs(page, 'Megan Personal');
  await page.goto('/profile');
  await expect(page.getByText('Personal account', { exact: true })).toBeVisible();
});

test('a phone number signs in too', async ({ page }) => {
  await signIn(page, '+1 425 555 0100', DEMO_PASSWORD);
  await expectSignedInAs(page, 'Pat Personal');
});

test('a wrong password gets one clear message and no session', async ({ page }, testInfo) => {
  const account = ownAccount(testInfo, 'wrong');
  await signIn(page, account.email, 'not the password');
  await expect(page.getByRole('alert')).toContainText('Your email or password is incorrect.');
  await expectAccessible(page);
  // An unknown account gets exactly the same words.
  await signIn(page, 'nobody@contoso.com', 'not the password');
  await expect(page.getByRole('alert')).toContainText('Your email or password is incorrect.');
  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a malformed address is answered at the field', async ({ page }) => {
  await page.goto('/sign-in');
  await enterIdentifier(page, 'not-an-email');
  await expect(page.getByRole('alert')).toContainText('valid email address or phone number');
  await expectAccessible(page);
});

test('a private page sends a signed-out visitor to sign in and back', async ({ page }) => {
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/sign-in\?next=(%2F|\/)profile/);
  await enterIdentifier(page, 'alex@contoso.com');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole('heading', { name: 'Edit Profile' })).toBeVisible();
});

test('sign out ends the session', async ({ page }, testInfo) => {
  const account = ownAccount(testInfo, 'signout');
  await signIn(page, account.email, E2E_PASSWORD);
  await expectSignedInAs(page, account.name);
  // The home page's code arrives after the header shows the name: until then the sign-in page
  // is still on screen, and its heading would answer the check below before signing out.
  await settled(page);
  await signOut(page);
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('You have signed out. Sign in again to continue.')).toBeVisible();
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(accountMenu(page)).toHaveCount(0);
});
