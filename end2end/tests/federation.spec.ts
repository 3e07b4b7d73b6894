import { test, expect } from './fixtures';
import {
  accountMenu,
  confirmAction,
  E2E_PASSWORD,
  enterIdentifier,
  expectAccessible,
  expectSignedInAs,
  nav,
  projectTag,
  settled,
} from './helpers';
import type { Page } from '@playwright/test';

/**
 * Federation over OpenID Connect against the journeys' real provider (end2end/oidc/provider.mjs,
 * started by serve.sh on 127.0.0.1:9400: npm's oidc-provider with its own login form). Each
 * project has its organization "Northwind Directory <project>" with the verified domain
 * <project>.northwind.example, its Global Administrator admin@… and the directory user
 * dana-<project> (dana@<project>.northwind.example).
 */
const ISSUER = 'http://127.0.0.1:9400';
const CLIENT_ID = 'services-hub';
const CLIENT_SECRET = 'services-hub-test-secret';
const DIRECTORY_PASSWORD = 'Directory-Password-2026';

/** Signs in at the provider's own form (the portal sent the browser there). */
async function directoryLogin(page: Page, login: string) {
  await expect(page.getByRole('heading', { name: 'Northwind directory' })).toBeVisible();
  await page.getByLabel('User name').fill(login);
  await page.getByLabel('Password').fill(DIRECTORY_PASSWORD);
  await page.getByRole('button', { name: 'Sign in to the directory' }).click();
}

test('a Global Administrator connects the directory, tests it, switches it on, and a directory user signs in', async ({ person, otherPerson }, testInfo) => {
  test.setTimeout(90_000);
  const project = projectTag(testInfo);
  const domain = `${project}.northwind.example`;
  const admin = await person(`admin@${domain}`, E2E_PASSWORD);

  await nav(admin).getByRole('link', { name: 'Federation' }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Federation' })).toBeVisible();
  await expect(admin.getByText('http://127.0.0.1:3300/federation/callback')).toBeVisible();
  await expectAccessible(admin);
  const card = admin.getByRole('region', { name: domain });
  await expect(card).toContainText('Not connected');

  // An issuer that is not https is refused at its field, and nothing is saved.
  await card.getByLabel('Issuer URL').fill('http://login.example');
  await card.getByLabel('Client id').fill(CLIENT_ID);
  await card.getByLabel('Client secret').fill(CLIENT_SECRET);
  await card.getByRole('button', { name: 'Save the directory' }).click();
  await expect(admin.getByText('The issuer URL must start with https://.')).toBeVisible();

  await card.getByLabel('Issuer URL').fill(ISSUER);
  await card.getByLabel('Client id').fill(CLIENT_ID);
  await card.getByLabel('Client secret').fill(CLIENT_SECRET);
  await card.getByLabel('Create accounts on first sign-in').check();
  await card.getByRole('button', { name: 'Save the directory' }).click();
  await expect(admin.getByText('The directory was saved.')).toBeVisible();
  await expect(card).toContainText('Connected, switched off');
  // The secret is never shown again.
  await expect(card.getByText('A secret is saved')).toBeVisible();
  await expect(card.getByLabel('Client secret')).toHaveValue('');
  await expectAccessible(admin);

  // Test sign-in: the administrator signs in at the directory as the directory user and comes
  // back to the claims; nothing is switched on.
  await card.getByRole('link', { name: `Test sign-in for ${domain}` }).click();
  await directoryLogin(admin, `dana-${project}`);
  await expect(admin).toHaveURL(/\/organization\/federation\?tested=/);
  const claims = admin.getByRole('table', { name: /Claims from the last test sign-in/ }).first();
  await expect(claims).toContainText(`dana@${domain}`);
  await expect(claims).toContainText(ISSUER);
  await expect(claims).toContainText(`Dana Directory ${project}`);
  await expect(admin.getByRole('region', { name: domain })).toContainText('Connected, switched off');
  await expectAccessible(admin);

  // Switch on (asks first).
  await confirmAction(
    admin,
    `Switch on ${domain}`,
    `Switch federation on for ${domain}?`,
    `Switch on federation for ${domain}`,
  );
  await expect(admin.getByText('Federation is on')).toBeVisible();
  await expect(admin.getByRole('region', { name: domain })).toContainText('On: people of this domain sign in at the directory');

  // A directory user: "Sign in" sends them to the directory, and they land in the portal as
  // themselves (their account is created at this first sign-in).
  const dana = await otherPerson();
  await dana.goto('/sign-in');
  await enterIdentifier(dana, `dana@${domain}`);
  await expect(dana.getByText('Your organization signs you in through its directory.')).toBeVisible();
  await expect(dana.getByLabel('Password')).toHaveCount(0);
  await expectAccessible(dana);
  await dana.getByRole('link', { name: "Sign in with your organization's directory" }).click();
  await directoryLogin(dana, `dana-${project}`);
  await expect(accountMenu(dana)).toBeVisible();
  await settled(dana);
  await expectSignedInAs(dana, `Dana Directory ${project}`);
  await expectAccessible(dana);

  // The Global Administrator keeps a password as the way back in.
  const back = await otherPerson();
  await back.goto('/sign-in');
  await enterIdentifier(back, `admin@${domain}`);
  await back.getByRole('link', { name: 'Sign in with your password' }).click();
  await back.getByLabel('Password').fill(E2E_PASSWORD);
  await back.getByRole('button', { name: 'Sign in' }).click();
  await expect(accountMenu(back)).toBeVisible();
  await expectSignedInAs(back, `E2E federation admin ${project}`);

  // Switched off again, so a rerun on the same server starts where this one did.
  await admin.goto('/organization/federation');
  await confirmAction(
    admin,
    `Switch off ${domain}`,
    `Switch federation off for ${domain}?`,
    `Switch off federation for ${domain}`,
  );
  await expect(admin.getByText('Federation is off')).toBeVisible();
});
