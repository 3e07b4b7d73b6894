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
