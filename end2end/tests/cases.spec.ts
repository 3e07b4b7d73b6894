import { Browser, expect, Page, test, TestInfo } from '@playwright/test';
import { DEMO_PASSWORD, E2E_PASSWORD, expectAccessible, header, projectTag, signIn } from './helpers';

async function person(browser: Browser, testInfo: TestInfo, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.use.javaScriptEnabled !== false });
  const page = await context.newPage();
  await signIn(page, email, password);
  await expect(header(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
  return page;
}

test('a support contact opens a case, the CSAM answers and records time, and outsiders never see it', async ({ browser }, testInfo) => {
  const title = `Printer on fire (${projectTag(testInfo)})`;
  // Alex is a support contact of Contoso's Default Workspace (demo data).
  const alex = await person(browser, testInfo, 'alex@contoso.com', DEMO_PASSWORD);
  await alex.getByRole('link', { name: 'Support cases' }).click();
  await expect(alex.getByRole('heading', { name: 'Support cases' })).toBeVisible();
  await expectAccessible(alex);
  const form = alex.getByRole('region', { name: 'Open a case' });
  await form.getByLabel('Title', { exact: true }).fill(title);
  await form.getByLabel('Description').fill('It smokes when printing in colour.');
  await form.getByLabel('Severity').selectOption('b');
  await form.getByLabel('Product or area').fill('Printing');
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(alex.getByRole('heading', { name: new RegExp(`Case \\d+: ${title.replace(/[()]/g, '\\$&')}`) })).toBeVisible();
  await expect(alex.getByText('B (high)')).toBeVisible();
  await expectAccessible(alex);
  const caseUrl = new URL(alex.url()).pathname;

  // The agreement's CSAM answers, records time and moves it on.
  const csam = await person(browser, testInfo, 'csam@provider.example', DEMO_PASSWORD);
  await csam.goto(caseUrl);
  await csam.getByRole('textbox', { name: 'Note' }).fill('We are on it.');
  await csam.getByRole('button', { name: 'Add the note' }).click();
  await expect(csam.getByText('We are on it.')).toBeVisible();
  await csam.getByLabel('Minutes spent').fill('45');
  await csam.getByRole('button', { name: 'Record the time' }).click();
  await expect(csam.getByText('45 minutes').first()).toBeVisible();
  await csam.getByLabel('New status').selectOption('in_progress');
  await csam.getByRole('button', { name: 'Change the status' }).click();
  await expect(csam.locator('dd').filter({ hasText: 'In progress' })).toBeVisible();
  await expectAccessible(csam);

  await alex.reload();
  await expect(alex.getByText('We are on it.')).toBeVisible();
  await expect(alex.locator('dd').filter({ hasText: 'In progress' })).toBeVisible();

  // Someone outside the workspace gets "not found" for the same address.
  const stranger = await person(browser, testInfo, `stranger-${projectTag(testInfo)}@contoso.com`, E2E_PASSWORD);
  await stranger.goto(caseUrl);
  await expect(stranger.getByText('We could not find that.')).toBeVisible();
  await expect(stranger.getByText(title)).toHaveCount(0);
  for (const page of [alex, csam, stranger]) await page.context().close();
});
