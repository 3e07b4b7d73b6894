import { expect, test } from './fixtures';
import { DEMO_PASSWORD, E2E_PASSWORD, expectAccessible, nav, newSupportRequest, projectTag } from './helpers';

test('a support contact opens a case, the CSAM answers and records time, and outsiders never see it', async ({ person }, testInfo) => {
  const title = `Printer on fire (${projectTag(testInfo)})`;
  // Alex is a support contact of Contoso's Default Workspace (demo data).
  const alex = await person('alex@contoso.com', DEMO_PASSWORD);
  await nav(alex).getByRole('link', { name: 'Support cases' }).click();
  await expect(alex.getByRole('heading', { name: 'Support cases' })).toBeVisible();
  await expectAccessible(alex);
  const form = await newSupportRequest(alex);
  await form.getByLabel('Title', { exact: true }).fill(title);
  await form.getByLabel('Description').fill('It smokes when printing in colour.');
  await form.getByLabel('Severity').selectOption('b');
  await form.getByLabel('Product or area').fill('Printing');
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(alex.getByRole('heading', { name: new RegExp(`Case \\d+: ${title.replace(/[()]/g, '\\$&')}`) })).toBeVisible();
  await expect(alex.getByText('B (high)')).toBeVisible();
  await expectAccessible(alex);
  const caseUrl = new URL(alex.url()).pathname;

  // Customer Activity before any time is recorded: the reactive hours left.
  await alex.goto('/');
  await nav(alex).getByRole('link', { name: 'Customer Activity' }).click();
  await expect(alex.getByRole('heading', { name: 'Customer Activity' })).toBeVisible();
  // The chart is an SVG rendered on the server: it is there with JavaScript off too.
  await expect(alex.locator('figure.chart svg')).toBeVisible();
  await expectAccessible(alex);
  const reactive = alex.getByRole('row').filter({ hasText: 'Reactive support hours' });
  const remainingBefore = parseFloat(await reactive.getByRole('cell').nth(4).innerText());
  const activityUrl = alex.url();

  // The agreement's CSAM answers, records time and moves it on.
  const csam = await person('csam@provider.example', DEMO_PASSWORD);
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

  await alex.goto(caseUrl);
  await expect(alex.getByText('We are on it.')).toBeVisible();
  await expect(alex.locator('dd').filter({ hasText: 'In progress' })).toBeVisible();

  // The 45 minutes consumed three quarters of an hour of the workspace's reactive hours.
  await alex.goto(activityUrl);
  const remainingAfter = parseFloat(await reactive.getByRole('cell').nth(4).innerText());
  expect(remainingAfter).toBeCloseTo(remainingBefore - 0.75, 2);
  // The CSV export downloads as a file and holds the case's workspace figures.
  const [download] = await Promise.all([
    alex.waitForEvent('download'),
    alex.getByRole('link', { name: 'Export to CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('customer-activity.csv');
  const fs = await import('node:fs');
  const csvText = fs.readFileSync(await download.path(), 'utf8');
  expect(csvText).toContain('Reactive support hours');

  // Someone outside the workspace gets "not found" for the same address.
  const stranger = await person(`stranger-${projectTag(testInfo)}@contoso.com`, E2E_PASSWORD);
  await stranger.goto(caseUrl);
  await expect(stranger.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(stranger.getByText(title)).toHaveCount(0);
});

test('the CSAM records a proactive service, and the proactive credits left drop on Customer Activity', async ({ person }, testInfo) => {
  const service = `Security assessment (${projectTag(testInfo)})`;
  // The demo's CSAM is assigned to Contoso's Premier agreement, whose Default Workspace is 1.
  const csam = await person('csam@provider.example', DEMO_PASSWORD);
  await csam.goto('/activity?workspace=1');
  await expect(csam.getByRole('heading', { name: 'Customer Activity' })).toBeVisible();
  const credits = csam.getByRole('row').filter({ hasText: 'Proactive service credits' });
  const before = parseFloat(await credits.getByRole('cell').nth(4).innerText());

  // Bad hours are refused at the field, and nothing is recorded.
  await csam.getByRole('textbox', { name: 'Service', exact: true }).fill(service);
  await csam.getByLabel('Delivered on').fill(new Date().toISOString().slice(0, 10));
  await csam.getByLabel('Credits used').fill('4');
  await csam.getByLabel('Hours delivered (optional)').fill('two');
  await csam.getByRole('button', { name: 'Record the service' }).click();
  await expect(csam.getByText('Enter the hours as a number from 0 to 1000, for example 1.5.')).toBeVisible();
  await csam.goto('/activity?workspace=1');
  await expect(csam.getByRole('cell', { name: service })).toHaveCount(0);

  await csam.getByRole('textbox', { name: 'Service', exact: true }).fill(service);
  await csam.getByLabel('Delivered on').fill(new Date().toISOString().slice(0, 10));
  await csam.getByLabel('Credits used').fill('4');
  await csam.getByLabel('Hours delivered (optional)').fill('1.5');
  await csam.getByRole('button', { name: 'Record the service' }).click();
  await expect(csam.getByText('The proactive service was recorded.')).toBeVisible();
  const row = csam.getByRole('row').filter({ hasText: service });
  await expect(row.getByRole('cell').nth(3)).toHaveText('4');
  await expect(row.getByRole('cell').nth(4)).toHaveText('1.50');
  const after = parseFloat(await credits.getByRole('cell').nth(4).innerText());
  expect(after).toBeCloseTo(before - 4, 2);
  await expectAccessible(csam);
});
