import { test, expect } from './fixtures';
import { DEMO_PASSWORD, expectAccessible, nav, projectTag } from './helpers';
import type { Page } from '@playwright/test';

/**
 * Publishes TXT values at `host` on the journeys' DNS server (end2end/dns/server.mjs, started by
 * serve.sh), which reads its JSON file again on every question. An empty list takes them away.
 */
async function publish(host: string, values: string[]) {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const file = path.resolve(__dirname, '../../target/e2e/dns.json');
  const records = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  if (values.length === 0) delete records[host];
  else records[host] = values;
  fs.writeFileSync(file, JSON.stringify(records));
}

/** The row of a domain in the list. */
function row(page: Page, domain: string) {
  return page.getByRole('table', { name: 'Your domains' }).getByRole('row').filter({ hasText: domain });
}

test('a Global Administrator adds a domain, publishes its record, verifies it and makes it primary', async ({ person }, testInfo) => {
  test.setTimeout(60_000);
  const domain = `proof-${projectTag(testInfo)}-${Date.now()}.example`;
  const host = `_services-hub-verification.${domain}`;
  const megan = await person('megan@contoso.com', DEMO_PASSWORD, 'Work or school account');
  await nav(megan).getByRole('link', { name: 'Domains' }).click();
  await expect(megan.getByRole('heading', { level: 1, name: 'Domains' })).toBeVisible();
  await expectAccessible(megan);
  await expect(row(megan, 'contoso.com')).toContainText('Primary');

  // A name that is no domain is refused at the field.
  await megan.getByLabel('Domain name').fill('not a domain');
  await megan.getByRole('button', { name: 'Add the domain' }).click();
  await expect(megan.getByText('Enter a domain name like contoso.com.')).toBeVisible();

  await megan.getByLabel('Domain name').fill(domain.toUpperCase());
  await megan.getByRole('button', { name: 'Add the domain' }).click();
  await expect(megan.getByText('The domain was added.')).toBeVisible();
  await expect(row(megan, domain)).toContainText('Unverified');
  const card = megan.getByRole('region', { name: `Verify ${domain}` });
  await expect(card).toContainText(host);
  const value = (await card.getByText(/^services-hub-verification=[0-9a-f]{32}$/).textContent())!.trim();
  await expectAccessible(megan);

  // Nothing published yet: not found, and the domain stays unverified.
  await card.getByRole('button', { name: `Verify ${domain}` }).click();
  await expect(card.getByText(/Last check: The record was not found/)).toBeVisible();
  await expect(row(megan, domain)).toContainText('Unverified');

  // A wrong value: found but different, showing what was seen.
  await publish(host, ['services-hub-verification=wrong-value']);
  await card.getByRole('button', { name: `Verify ${domain}` }).click();
  await expect(card.getByText(/its value is different/)).toBeVisible();
  await expect(card.getByText('services-hub-verification=wrong-value')).toBeVisible();
  await expect(row(megan, domain)).toContainText('Unverified');
  await expectAccessible(megan);

  // The right value: verified.
  await publish(host, [value]);
  await card.getByRole('button', { name: `Verify ${domain}` }).click();
  await expect(megan.getByText('The record was found: the domain is verified.')).toBeVisible();
  await expect(row(megan, domain)).toContainText('Verified on');
  await expect(megan.getByRole('region', { name: `Verify ${domain}` })).toHaveCount(0);

  // Make primary: the badge moves.
  await row(megan, domain).getByRole('button', { name: `Make primary ${domain}` }).click();
  await expect(megan.getByText('The primary domain was changed.')).toBeVisible();
  await expect(row(megan, domain)).toContainText('Primary');
  await expect(row(megan, 'contoso.com')).not.toContainText('Primary');
  await expectAccessible(megan);

  // contoso.com is in use by Contoso's people: removing it is refused, naming them.
  await row(megan, 'contoso.com').getByRole('link', { name: 'Remove contoso.com' }).click();
  const question = megan.getByRole('group', { name: 'Remove contoso.com from your organization?' });
  await question.getByRole('button', { name: 'Remove the domain contoso.com' }).click();
  await expect(megan.getByText(/contoso.com cannot be removed: \d+ work accounts? of your organization/)).toBeVisible();
  await expect(megan.getByRole('alert').filter({ hasText: 'cannot be removed' })).toContainText('megan@contoso.com');

  // Put contoso.com back as primary for the other journeys.
  await row(megan, 'contoso.com').getByRole('button', { name: 'Make primary contoso.com' }).click();
  await expect(row(megan, 'contoso.com')).toContainText('Primary');
  await publish(host, []);
});
