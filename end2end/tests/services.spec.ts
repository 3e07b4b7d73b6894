import { execFileSync } from 'node:child_process';
import { test, expect } from './fixtures';
import {
  confirmationLink,
  DEMO_PASSWORD,
  expectAccessible,
  nav,
  projectTag,
} from './helpers';
import type { Page } from '@playwright/test';

/** The row of a service on the Services page, or of a line in a table. */
function row(page: Page, table: string, text: string | RegExp) {
  return page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });
}

/** The "Manage" box of a subscription on its service's page. */
function manage(page: Page, offer: string) {
  return page.getByRole('region', { name: `Manage ${offer}` });
}

test('a visitor signs an organization up for a trial, confirms the address, upgrades, buys more and assigns a license', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const tag = `${projectTag(testInfo)}${Date.now()}`;
  const email = `admin@northwind-${tag}.com`;

  await page.goto('/catalogue');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign up for services' })).toBeVisible();
  await expectAccessible(page);
  const teamwork = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Teamwork Suite Business' }) });
  await teamwork.getByRole('link', { name: 'Try it free: sign your organization up' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Sign up your organization' })).toBeVisible();
  await expectAccessible(page);
  // A personal mail service is refused at the field, and nothing is created.
  await page.getByLabel('Organization name').fill(`Northwind ${tag}`);
  await page.getByLabel('Your name').fill('Nadia Northwind');
  await page.getByLabel('Work email').fill(`nadia.${tag}@gmail.com`);
  await page.getByLabel('Password', { exact: true }).fill('Northwind-Password-2026');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByText('gmail.com is a personal mail service.')).toBeVisible();

  await page.getByLabel('Organization name').fill(`Northwind ${tag}`);
  await page.getByLabel('Your name').fill('Nadia Northwind');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('Northwind-Password-2026');
  await page.getByRole('button', { name: 'Sign up' }).click();

  // Signed in as the organization's first Global Administrator, on the Services page.
  await expect(page).toHaveURL(/\/services\?welcome=1/);
  await expect(page.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
  await expect(page.getByText('you are its Global Administrator')).toBeVisible();
  const trial = row(page, 'Services', 'Teamwork Suite');
  await expect(trial).toContainText('Trial');
  await expect(trial).toContainText('0 of 25 in use');
  await expectAccessible(page);
  await expect(nav(page).getByRole('link', { name: 'Services' })).toBeVisible();

  // Anything paid waits for the mailed link.
  await page.goto(await confirmationLink(email));
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();

  await trial.getByRole('link', { name: 'Teamwork Suite' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Teamwork Suite' })).toBeVisible();
  await expectAccessible(page);
  await manage(page, 'Teamwork Suite Business').getByRole('button', { name: 'Upgrade' }).click();
  await expect(page.getByText('The trial was upgraded to a paid subscription.')).toBeVisible();
  const subscription = row(page, 'Subscriptions', 'Teamwork Suite Business');
  await expect(subscription).toContainText('Active');

  await manage(page, 'Teamwork Suite Business').getByLabel('New total of licenses').fill('30');
  await manage(page, 'Teamwork Suite Business').getByRole('button', { name: 'Change quantity' }).click();
  await expect(page.getByText('The number of licenses was changed.')).toBeVisible();
  await expect(subscription.getByRole('cell').first()).toHaveText('30');

  await page.getByLabel("User's email address").fill(email);
  await page.getByRole('button', { name: 'Assign license' }).click();
  await expect(page.getByText('The license was assigned.')).toBeVisible();
  await expect(row(page, 'Assigned licenses', email)).toBeVisible();
  // The upgrade and the new quantity each made an invoice.
  await expect(page.getByRole('table', { name: 'Invoices' }).getByRole('row')).toHaveCount(3);

  await nav(page).getByRole('link', { name: 'Services' }).click();
  const held = row(page, 'Services', 'Teamwork Suite');
  await expect(held).toContainText('1 of 30 in use');
  await expect(held.getByRole('cell').nth(1)).toHaveText('29');
  await expect(held).toContainText('Active');
});

test('a quantity below what is assigned is refused with both numbers', async ({ person }) => {
  const page = await person('megan@contoso.com', DEMO_PASSWORD, 'Work or school account');
  await page.goto('/services');
  await row(page, 'Services', 'Secure Mail').getByRole('link', { name: 'Secure Mail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Secure Mail' })).toBeVisible();
  const box = manage(page, 'Secure Mail Standard');
  await box.getByLabel('New total of licenses').fill('1');
  await box.getByRole('button', { name: 'Change quantity' }).click();
  await expect(page.getByText('2 licenses are assigned, so the total cannot go below 2: you asked for 1.')).toBeVisible();
  await expect(row(page, 'Subscriptions', 'Secure Mail Standard').getByRole('cell').first()).toHaveText('10');
});

test('a Billing Administrator downloads an invoice as a PDF that reads back', async ({ person }) => {
  const page = await person('bianca@contoso.com', DEMO_PASSWORD);
  await expect(nav(page).getByRole('link', { name: 'Services' })).toBeVisible();
  await nav(page).getByRole('link', { name: 'Services' }).click();
  await row(page, 'Services', 'Secure Mail').getByRole('link', { name: 'Secure Mail' }).click();
  const invoice = page.getByRole('table', { name: 'Invoices' }).getByRole('row').nth(1);
  const number = (await invoice.getByRole('rowheader').innerText()).trim();
  expect(number).toMatch(/^SH-\d{6}$/);
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    invoice.getByRole('link', { name: /Download PDF/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const file = await download.path();
  const text = execFileSync('pdftotext', [file, '-']).toString();
  expect(text).toContain(number);
  expect(text).toContain('€40.00');
});

test('a User Administrator assigns licenses but cannot see invoices', async ({ person }) => {
  const page = await person('ulrich@contoso.com', DEMO_PASSWORD);
  await nav(page).getByRole('link', { name: 'Services' }).click();
  await row(page, 'Services', 'Secure Mail').getByRole('link', { name: 'Secure Mail' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Licenses' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Invoices' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: /^Manage / })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/invoices/1');
  await expect(page.getByRole('heading', { level: 1, name: "You can't open this page" })).toBeVisible();
});

test('a user with no role sees the licenses they hold on their profile, and no Services in the navigation', async ({ person }) => {
  const page = await person('alex@contoso.com', DEMO_PASSWORD);
  await expect(nav(page).getByRole('link', { name: 'Services' })).toHaveCount(0);
  await page.goto('/profile');
  const licenses = page.getByRole('region', { name: 'Your licenses' });
  await expect(licenses).toContainText('Secure Mail — Secure Mail Standard (Active)');
  await expectAccessible(page);
  await page.goto('/services');
  await expect(page.getByRole('heading', { level: 1, name: "You can't open this page" })).toBeVisible();
});

test('the Global Administrator reads the administrative roles, the organization audit log and an invoice', async ({ person }) => {
  const page = await person('megan@contoso.com', DEMO_PASSWORD, 'Work or school account');
  await nav(page).getByRole('link', { name: 'Administrative roles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Administrative roles' })).toBeVisible();
  await expect(page.getByRole('table', { name: /administrators/i }).getByRole('row').filter({ hasText: 'bianca@contoso.com' })).toContainText('Billing Administrator');
  await expectAccessible(page);
  await nav(page).getByRole('link', { name: 'Organization audit log' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/audit log/i);
  await expect(page.getByRole('main')).toContainText('Assigned an administrative role');
  await expectAccessible(page);
  await nav(page).getByRole('link', { name: 'Services' }).click();
  await row(page, 'Services', 'Secure Mail').getByRole('link', { name: 'Secure Mail' }).click();
  await page.getByRole('table', { name: 'Invoices' }).getByRole('row').nth(1).getByRole('link', { name: /^SH-/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Invoice SH-\d{6}$/ })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('€40.00');
  await expectAccessible(page);
});

test('the operator adds an offer, and the catalogue lists it', async ({ person }, testInfo) => {
  const page = await person('operator@provider.example', DEMO_PASSWORD);
  await nav(page).getByRole('link', { name: 'Offers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Offers' })).toBeVisible();
  await expectAccessible(page);
  const name = `Backup Plus ${projectTag(testInfo)}`;
  // Without JavaScript the page comes back with the messages but not what was typed: fill
  // the form whole each time.
  const add = async (price: string) => {
    await page.getByLabel('Service', { exact: true }).fill('Backup');
    await page.getByLabel('Offer name').fill(name);
    await page.getByLabel('Description').fill('Nightly backups of mailboxes and files.');
    await page.getByLabel('Price per unit').fill(price);
    await page.getByRole('button', { name: 'Add the offer' }).click();
  };
  await add('3,50');
  await expect(page.getByText('Enter a price like 12.50')).toBeVisible();
  await add('3.50');
  await expect(page.getByText('The offer was created.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Offers' })).toContainText(name);
  await page.goto('/catalogue');
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
});
