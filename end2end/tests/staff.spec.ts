import { expect, test } from './fixtures';
import { DEMO_PASSWORD, E2E_PASSWORD, expectAccessible, header, invitationLink, projectTag, signIn } from './helpers';

test('the agreement\'s CSAM adds a workspace whose administrator registers and manages it', async ({ page, otherPerson }, testInfo) => {
  const tag = projectTag(testInfo);
  const name = `Finance ${tag}`;
  const admin = `wsadmin-${tag}@contoso.com`;
  await signIn(page, 'csam@provider.example', DEMO_PASSWORD);
  // Home's code arrives after the header: a click before that lost to the pending navigation.
  await expect(page).not.toHaveURL(/\/sign-in/);
  await header(page).getByRole('link', { name: 'Staff console' }).click();
  await expect(page.getByRole('heading', { name: 'Staff console' })).toBeVisible();
  await expectAccessible(page);
  const card = page.getByRole('region', { name: 'Contoso — Premier agreement #1' });
  await card.getByLabel('Workspace name').fill(name);
  await card.getByLabel("Workspace Administrator's email address").fill(admin);
  await card.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByText('The workspace was created and its Workspace Administrator invited.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Contoso — Premier agreement #1' }).getByRole('link', { name })).toBeVisible();

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
  await expect(person.getByRole('cell', { name: 'invitation.accept' }).first()).toBeVisible();
  await expectAccessible(person);
});
