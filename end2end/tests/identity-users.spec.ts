import { test, expect } from './fixtures';
import {
  DEMO_PASSWORD,
  expectAccessible,
  expectSignedInAs,
  nav,
  passwordLink,
  projectTag,
  settled,
  signIn,
} from './helpers';
import type { Page } from '@playwright/test';

/** Opens a user's page from Manage Users through the search. */
async function openUser(page: Page, search: string, name: string) {
  await page.goto('/organization/users');
  await page.getByLabel('Search users').fill(search);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('region', { name: 'Users of your organization' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('a Global Administrator adds a user, who sets a password and, made a User Administrator, cannot touch the Global Administrator', async ({ person, otherPerson }, testInfo) => {
  test.setTimeout(120_000);
  const tag = `${projectTag(testInfo)}${Date.now()}`;
  const email = `new-${tag}@contoso.com`;
  const name = `Nina New ${tag}`;
  const password = 'Nina-Password-2026';

  // Megan opens Identity from the navigation, then Users.
  const megan = await person('megan@contoso.com', DEMO_PASSWORD, 'Work or school account');
  await nav(megan).getByRole('link', { name: 'Identity' }).click();
  await expect(megan.getByRole('heading', { level: 1, name: 'Identity' })).toBeVisible();
  await expect(megan.getByRole('heading', { name: 'Organization information' })).toBeVisible();
  await expectAccessible(megan);
  await megan.getByRole('navigation', { name: 'Manage your organization' }).getByRole('link', { name: 'Users' }).click();
  await expect(megan.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expectAccessible(megan);

  // An address off the organization's domains is refused at the field.
  const add = megan.getByRole('region', { name: 'Add a user' });
  await add.getByLabel('Name').fill(name);
  await add.getByLabel('Email address').fill(`new-${tag}@example.org`);
  await add.getByRole('button', { name: 'Add the user' }).click();
  await expect(megan.getByText(/is not one of .* domains/)).toBeVisible();

  await add.getByLabel('Name').fill(name);
  await add.getByLabel('Email address').fill(email);
  await add.getByRole('button', { name: 'Add the user' }).click();
  await expect(megan.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(megan.getByText('The user was added.')).toBeVisible();
  await expect(megan.getByText('Waiting for password')).toBeVisible();
  await expectAccessible(megan);

  // The new person sets a password from the mail and signs in.
  const nina = await otherPerson();
  await nina.goto(await passwordLink(email));
  await expect(nina.getByRole('heading', { level: 1, name: 'Set your password' })).toBeVisible();
  await expectAccessible(nina);
  await nina.getByLabel('New password').fill(password);
  await nina.getByLabel('Type it again').fill(password);
  await nina.getByRole('button', { name: 'Save password' }).click();
  await expect(nina.getByRole('heading', { level: 1, name: 'Your password is set' })).toBeVisible();
  await signIn(nina, email, password);
  await settled(nina);
  await expectSignedInAs(nina, name);

  // Megan makes her a User Administrator.
  await megan.reload();
  await expect(megan.getByRole('definition').filter({ hasText: /^Active$/ })).toBeVisible();
  await megan.getByLabel('Role', { exact: true }).selectOption({ label: 'User Administrator' });
  await megan.getByRole('button', { name: 'Assign the role' }).click();
  await expect(megan.getByText('The role was assigned.')).toBeVisible();
  await expect(megan.getByRole('listitem').filter({ hasText: 'User Administrator' })).toBeVisible();

  // Nina, now a User Administrator, sees Megan's account but cannot change it or her role.
  await nina.goto('/organization/users');
  await expect(nina.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await openUser(nina, 'megan', 'Megan Bowen');
  await expect(nina.getByText('This person holds an administrative role: only a Global Administrator can change their account.')).toBeVisible();
  await expect(nina.getByRole('button', { name: 'Disable the account' })).toHaveCount(0);
  await expect(nina.getByRole('link', { name: /role of Megan Bowen/ })).toHaveCount(0);
  await expect(nina.getByText('Only a Global Administrator assigns or removes administrative roles.')).toBeVisible();
  await expectAccessible(nina);

  // The last Global Administrator keeps the role: Megan cannot remove her own.
  await openUser(megan, 'megan', 'Megan Bowen');
  await megan.getByRole('link', { name: 'Remove the Global Administrator role of Megan Bowen' }).click();
  const question = megan.getByRole('group', { name: 'Remove the Global Administrator role from Megan Bowen?' });
  await expect(question).toBeVisible();
  await question.getByRole('button', { name: 'Remove the Global Administrator role' }).click();
  await expect(megan.getByText('An organization needs at least one Global Administrator')).toBeVisible();
  await expect(megan.getByRole('listitem').filter({ hasText: 'Global Administrator' })).toBeVisible();

  // Megan disables Nina: her browser is signed out on its next request.
  await openUser(megan, email, name);
  await megan.getByRole('button', { name: 'Disable the account' }).click();
  await expect(megan.getByText('The account was disabled and every session of it ended.')).toBeVisible();
  await nina.goto('/organization/users');
  await expect(nina).toHaveURL(/\/sign-in/);
});
