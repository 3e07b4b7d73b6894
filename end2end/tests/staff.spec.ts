import { expect, test } from './fixtures';
import { DEMO_PASSWORD, E2E_PASSWORD, expectAccessible, invitationLink, nav, projectTag, settled, signIn } from './helpers';
import type { Page } from '@playwright/test';

/** The provider's part of the side navigation leads to the staff console. */
async function openStaffConsole(page: Page) {
  // Home's code arrives after the shell: a click before that lost to the pending navigation.
  await settled(page);
  await nav(page).getByRole('link', { name: 'Staff console' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Staff console' })).toBeVisible();
}

test('the agreement\'s CSAM adds a workspace on the agreement\'s page; its administrator registers and manages it', async ({ page, otherPerson }, testInfo) => {
  const tag = projectTag(testInfo);
  const name = `Finance ${tag}`;
  const admin = `wsadmin-${tag}@contoso.com`;
  const agreement = 'Contoso — Premier agreement #1';
  await signIn(page, 'csam@provider.example', DEMO_PASSWORD);
  await openStaffConsole(page);
  await expectAccessible(page);
  // The console lists the agreements; each one's forms are on its own page.
  await expect(page.getByRole('button', { name: 'Create workspace' })).toHaveCount(0);
  await page.getByRole('link', { name: agreement, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: agreement })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Staff console' })).toBeVisible();
  // A benefit named after its kind is named once.
  await expect(page.getByRole('cell', { name: 'Proactive service credits', exact: true })).toBeVisible();
  await expect(page.getByText('Proactive service credits (Proactive service credits)')).toHaveCount(0);
  await expectAccessible(page);

  const form = page.getByRole('region', { name: 'Add a workspace' });
  await form.getByLabel('Workspace name').fill(name);
  await form.getByLabel("Workspace Administrator's email address").fill(admin);
  await form.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('The workspace was created and its Workspace Administrator invited.')).toBeVisible();
  await expect(page).toHaveURL(/\/staff\/agreements\/1\?done=workspace$/);
  await expect(page.getByRole('heading', { level: 1, name: agreement })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name, exact: true })).toBeVisible();

  const person = await otherPerson();
  await person.goto(await invitationLink(admin));
  await expect(person.getByText(`You are invited to the workspace ${name}`)).toBeVisible();
  await person.getByLabel('Display name').fill(`Workspace Admin ${tag}`);
  await person.getByLabel('Choose a password').fill(E2E_PASSWORD);
  await person.getByRole('button', { name: 'Create account and accept' }).click();
  await person.getByRole('button', { name: 'Save and continue' }).click();
  await expect(person.getByRole('heading', { name })).toBeVisible();
  await expect(person.getByText('Workspace Administrator', { exact: true })).toBeVisible();
  await person.getByRole('link', { name: 'Audit log' }).click();
  await expect(person.getByRole('cell', { name: 'Invitation accepted' }).first()).toBeVisible();
  await expectAccessible(person);
});

test('the operator picks the organization from a list; Activate asks first and Cancel changes nothing', async ({ page }, testInfo) => {
  const tag = projectTag(testInfo);
  const organization = `Northwind ${tag}`;
  await signIn(page, 'operator@provider.example', DEMO_PASSWORD);
  await openStaffConsole(page);

  const newOrganization = page.getByRole('region', { name: 'New organization' });
  await newOrganization.getByLabel('Organization name').fill(organization);
  await newOrganization.getByLabel('Email domain').fill(`northwind-${tag}.example`);
  await newOrganization.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText('The organization was created.')).toBeVisible();

  // The new organization is one of the list's choices (selectOption waits for it to appear).
  const newAgreement = page.getByRole('region', { name: 'New agreement' });
  await newAgreement.getByLabel('Organization', { exact: true }).selectOption({ label: organization });
  await newAgreement.getByLabel('Agreement type').selectOption({ label: 'Premier' });
  await newAgreement.getByLabel('Services Administrators').fill(`sa-${tag}@northwind-${tag}.example`);
  await newAgreement.getByRole('button', { name: 'Create agreement' }).click();

  // A new agreement opens on its own page.
  const title = new RegExp(`^${organization} — Premier agreement #\\d+$`);
  await expect(page).toHaveURL(/\/staff\/agreements\/\d+\?done=agreement$/);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('The agreement was created as a draft.')).toBeVisible();
  await expect(page.getByText('your organization', { exact: false })).toHaveCount(0);
  await expectAccessible(page);

  // Activate asks first, naming the organization and the agreement and what follows.
  await page.getByRole('link', { name: /^Activate agreement/ }).click();
  const question = page.getByRole('group', {
    name: new RegExp(`^Activate the Premier agreement #\\d+ of ${organization}\\?$`),
  });
  await expect(question).toBeVisible();
  await expect(question).toContainText('Its Default Workspace is created');
  await expect(question).toContainText('invitations are emailed to its 1 Services Administrator.');
  await expect(question.getByRole('button', { name: /^Activate agreement/ })).toBeVisible();
  await expectAccessible(page);

  // Cancel: the question goes, and the agreement is still a draft without a workspace.
  await question.getByRole('link', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(page).not.toHaveURL(/confirm=/);
  await expect(page.getByRole('link', { name: /^Activate agreement/ })).toBeVisible();
  await expect(page.getByText('The agreement has no workspace yet: activating it creates its Default Workspace.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Staff console' }).click();
  const row = page.getByRole('row', { name: new RegExp(`${organization} — Premier agreement #\\d+`) });
  await expect(row).toContainText('Draft');
  await expect(row).toContainText('None yet');
});
