import { expect, test } from './fixtures';
import { DEMO_PASSWORD, enterIdentifier, header } from './helpers';

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
  await expect(header(page).getByRole('link', { name: 'Alex Wilber' })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__still_here)).toBe(true);
  expect(errors).toEqual([]);
});
