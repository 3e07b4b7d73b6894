import { expect, test } from './fixtures';
import { DEMO_PASSWORD, enterIdentifier, expectSignedInAs } from './helpers';

test('the page hydrates without errors and signs in without a full reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/sign-in');
  await enterIdentifier(page, 'alex@contoso.com');
  // The WASM bundle marks the body once it has hydrated the page.
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  // A marker on window survives only client-side navigation.
  await page.evaluate(() => ((window as any).__still_here = true));
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedInAs(page, 'Alex Wilber');
  expect(await page.evaluate(() => (window as any).__still_here)).toBe(true);
  expect(errors).toEqual([]);
});

/**
 * Follows a link inside the page, as a person clicking one would: the router navigates on the
 * client (no new document), loading the page's code chunk on the way.
 */
async function follow(page: import('@playwright/test').Page, href: string) {
  await page.evaluate((target) => {
    const link = document.createElement('a');
    link.href = target;
    link.textContent = 'go';
    document.querySelector('main')?.appendChild(link);
    link.click();
  }, href);
  await page.waitForURL((url) => url.pathname + url.search === href);
}

test('every page loads its code on client-side navigation, without an error or a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A page asked for something the person may not see answers 403/404, which Chromium logs
    // as a failed resource: that is the page working. Anything else (a panic, a hydration
    // warning) is a failure.
    const text = message.text();
    const failedResource = text.startsWith('Failed to load resource');
    if ((message.type() === 'error' && !failedResource) || /hydrat/i.test(text)) errors.push(text);
  });
  const chunks: string[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.wasm')) chunks.push(new URL(response.url()).pathname);
  });
  await page.goto('/sign-in');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await enterIdentifier(page, 'megan@contoso.com');
  await page.getByRole('button', { name: 'Work or school account' }).click();
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedInAs(page, 'Megan Bowen');
  // Home sends a member on to their workspace.
  await page.waitForURL((url) => url.pathname === '/workspaces/1');
  await expect(page.locator('main h1')).toHaveText('Default Workspace');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  // A marker on window survives only client-side navigation.
  await page.evaluate(() => ((window as any).__still_here = true));
  const first = chunks.length;

  // Each page and what it shows (pages asked for something missing or not Megan's show why).
  const pages: [string, string][] = [
    ['/profile', 'Edit Profile'],
    ['/workspaces/1', 'Default Workspace'],
    ['/workspaces/1/users', 'Manage Users'],
    ['/workspaces/1/groups', 'Groups'],
    ['/workspaces/1/cases', 'Support cases'],
    ['/workspaces/1/cases/999999', 'Page not found'],
    ['/workspaces/1/audit', 'Audit log'],
    ['/activity', 'Customer Activity'],
    ['/workspaces/1/users/import/999999', 'Page not found'],
    ['/invitations/accept?token=not-a-token', 'Your invitation'],
    ['/staff', "You can't open this page"],
  ];
  for (const [href, text] of pages) {
    await follow(page, href);
    await expect(page.locator('main').first()).toContainText(text);
    // Still the first document: the step was client-side.
    expect(await page.evaluate(() => (window as any).__still_here), href).toBe(true);
  }
  // The pages' code came as separate chunks after sign-in.
  expect(chunks.length).toBeGreaterThan(first);
  expect(errors).toEqual([]);
});
