import { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { accountMenu, hydrated, E2E_PASSWORD, expectAccessible, invitationLink, invitationLinks, nav, newestMail, projectTag, signIn, signOut } from './helpers';

// One story per project: the Services Administrator registers, then invites people. serve.sh
// gives each project a Premier and a Unified agreement whose Services Administrator is
// sa-<project>@contoso.com.
test.describe.configure({ mode: 'serial' });

const sa = (t: TestInfo) => `sa-${projectTag(t)}@contoso.com`;

/** Signs in and waits until the session is there (with JavaScript the form posts in place). */
async function signInAs(page: Page, email: string) {
  await signIn(page, email, E2E_PASSWORD);
  await expect(accountMenu(page)).toBeVisible();
}

async function openWorkspace(page: Page, type: 'Premier' | 'Unified') {
  await page.goto('/');
  const select = page.getByRole('combobox', { name: 'Workspace' });
  await select.selectOption({ label: `Default Workspace (Contoso, ${type})` });
  await page.getByRole('button', { name: 'Switch' }).click();
  await expect(page.getByText(`Contoso · ${type} agreement`)).toBeVisible();
}

async function register(page: Page, link: string, name: string) {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Your invitation' })).toBeVisible();
  await expect(page.getByText('cannot be forwarded')).toBeVisible();
  // Someone who has an account signs in from here instead of registering.
  await expect(page.getByRole('link', { name: 'I already have an account — sign in' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Choose a password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Create account and accept' }).click();
  await expect(page.getByRole('heading', { name: 'Complete your profile' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Default Workspace' })).toBeVisible();
}

async function invite(page: Page, addresses: string) {
  await nav(page).getByRole('link', { name: 'Manage Users' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Users' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Email addresses').fill(addresses);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
}

/** The row of `email` in Manage Users' table (not in the invitation report). */
function row(page: Page, email: string) {
  return page.getByRole('table', { name: 'Members and invitations' }).getByRole('row').filter({ hasText: email });
}

test('the Services Administrator registers from the invitation mail, switches workspaces and reaches Manage Users', async ({ page }, testInfo) => {
  const [unifiedLink, premierLink] = await invitationLinks(sa(testInfo), 0, 2);
  await register(page, unifiedLink, `SA ${projectTag(testInfo)}`);
  await expect(page.getByText('Services Administrator')).toBeVisible();
  await expectAccessible(page);

  // The second agreement's invitation: signed in with the invited address, one click.
  await page.goto(premierLink);
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(page.getByText('Contoso · Premier agreement')).toBeVisible();

  // Two workspaces: the switcher opens the other, and it is the one that opens after sign-in.
  await openWorkspace(page, 'Unified');
  await signOut(page);
  await signIn(page, sa(testInfo), E2E_PASSWORD);
  await expect(page.getByText('Contoso · Unified agreement')).toBeVisible();

  await nav(page).getByRole('link', { name: 'Manage Users' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Users' })).toBeVisible();
  await expect(row(page, sa(testInfo))).toContainText('Registered');
  await expect(row(page, sa(testInfo))).toContainText('Services Administrator');
  await expectAccessible(page);
});

test('inviting by list, then turning Support Contact On for a registered member', async ({ page, otherPerson }, testInfo) => {
  const tag = projectTag(testInfo);
  const member = `m1-${tag}@contoso.com`;
  await signInAs(page, sa(testInfo));
  await openWorkspace(page, 'Premier');
  await invite(page, `${member}, not-an-address@, m2-${tag}@contoso.com`);
  if (testInfo.project.use.javaScriptEnabled !== false) {
    // The per-line report (with JavaScript the page shows it in place).
    await expect(page.getByRole('table', { name: 'Invitation report' })).toContainText('Invalid address');
  }
  await expect(row(page, member)).toContainText('Invited');
  await expect(row(page, `m2-${tag}@contoso.com`)).toContainText('Invited');
  await expectAccessible(page);

  const other = await otherPerson();
  await register(other, await invitationLink(member), `Member ${tag}`);

  await page.reload();
  await expect(row(page, member)).toContainText('Registered');
  await page.getByRole('button', { name: `Turn On for Support Contact of ${member}` }).click();
  await expect(page.getByRole('button', { name: `Turn Off for Support Contact of ${member}` })).toBeVisible();
  await expect(row(page, member)).toContainText('On');
  await page.reload();
  await expect(row(page, member)).toContainText('On');
});

test('a forwarded invitation link is refused and grants nothing', async ({ page, otherPerson }, testInfo) => {
  const tag = projectTag(testInfo);
  const invited = `fwd-${tag}@contoso.com`;
  await signInAs(page, sa(testInfo));
  await openWorkspace(page, 'Premier');
  await invite(page, invited);
  await expect(row(page, invited)).toContainText('Invited');
  const link = await invitationLink(invited);

  const stranger = await otherPerson();
  await signInAs(stranger, `stranger-${tag}@contoso.com`);
  await stranger.goto(link);
  await expect(stranger.getByText(`This invitation was sent to ${invited} and cannot be forwarded`)).toBeVisible();
  await expect(stranger.getByRole('button', { name: 'Accept invitation' })).toHaveCount(0);
  await expectAccessible(stranger);
  await stranger.goto('/');
  await expect(stranger.getByText('You are not a member of any workspace yet')).toBeVisible();

  await page.reload();
  await expect(row(page, invited)).toContainText('Invited');
});

test('a Unified workspace refuses a personal account until its administrator allows them', async ({ page, otherPerson }, testInfo) => {
  const tag = projectTag(testInfo);
  const personal = `pat-${tag}@example.net`;
  await signInAs(page, sa(testInfo));
  await openWorkspace(page, 'Unified');
  await invite(page, personal);
  await expect(page.getByText('Refused by the workspace\'s policy')).toBeVisible();
  await expect(row(page, personal)).toHaveCount(0);

  await page.getByRole('button', { name: 'Allow personal accounts' }).click();
  await expect(page.getByText('Personal accounts are allowed in this workspace.')).toBeVisible();
  const before = await newestMail();
  await page.getByLabel('Email addresses').fill(personal);
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(row(page, personal)).toContainText('Invited');

  const pat = await otherPerson();
  const link = await invitationLink(personal, before);
  await pat.goto(link);
  await expect(pat.getByText('Personal account', { exact: true })).toBeVisible();
  await register(pat, link, `Pat ${tag}`);
  await expect(pat.getByText('Contoso · Unified agreement')).toBeVisible();
});

test('inviting from a comma-delimited file: the dry run first, then one click sends the valid lines', async ({ page }, testInfo) => {
  const tag = projectTag(testInfo);
  await signInAs(page, sa(testInfo));
  await openWorkspace(page, 'Premier');
  await nav(page).getByRole('link', { name: 'Manage Users' }).click();

  // A file with nothing to invite is refused at the field.
  await page.getByLabel('Comma-delimited file').setInputFiles({
    name: 'empty.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Email,Name\n\n'),
  });
  await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
  await expect(page.getByText('The file has no email addresses.')).toBeVisible();
  await expectAccessible(page);

  const csv = [
    'Email,Name,Support contact',
    `f1-${tag}@contoso.com,"Doe, Jane",no`,
    'not-an-address,,',
    `F1-${tag}@CONTOSO.com,,`,
    `f2-${tag}@contoso.com,Fay,yes`,
  ].join('\r\n');
  await page.getByLabel('Comma-delimited file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\ufeff' + csv),
  });
  await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
  await expect(page.getByRole('heading', { name: 'Invite from a file' }).first()).toBeVisible();
  await expect(page.getByText('Dry run: 2 of 4 lines can be invited; 2 cannot (listed below). Nothing has been sent yet.')).toBeVisible();
  const problems = page.getByRole('table', { name: 'Lines that will not be invited' });
  await expect(problems).toContainText('Invalid address');
  await expect(problems).toContainText('Duplicate of line 2');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Send 2 invitations' }).click();
  await expect(page.getByRole('heading', { name: 'Manage Users' })).toBeVisible();
  await expect(row(page, `f1-${tag}@contoso.com`)).toContainText('Invited');
  await expect(row(page, `f1-${tag}@contoso.com`)).toContainText('Doe, Jane');
  await expect(row(page, `f2-${tag}@contoso.com`)).toContainText('On');
});
