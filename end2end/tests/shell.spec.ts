import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  accountMenu,
  confirmAction,
  DEMO_PASSWORD,
  expectAccessible,
  header,
  hydrated,
  nav,
  newSupportRequest,
  projectTag,
} from './helpers';

// The portal as people see it: one shell with the tools a person's roles open, questions
// before anything destructive, error pages with a way back, and pages that fit a phone.
// Demo data: Megan is Services Administrator of Contoso's Default Workspace, Alex a support
// contact there, csam@provider.example its CSAM.

const MEGAN: [string, string, 'Work or school account'] = ['megan@contoso.com', DEMO_PASSWORD, 'Work or school account'];

/** The document is never wider than the window: nothing scrolls sideways. */
async function expectNoSidewaysScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll, `${page.url()} is ${scroll} px wide in a ${width} px window`).toBeLessThanOrEqual(width);
}

const TOOLS = ['Overview', 'Support cases', 'Customer Activity', 'Manage Users', 'Groups', 'Audit log'];

test('the navigation reaches every tool from every page in one click, as the roles allow', async ({ person }) => {
  const megan = await person(...MEGAN);
  await expect(megan).toHaveURL(/\/workspaces\/\d+$/);
  // From each page, every tool is one link away; following them in turn visits each page.
  const headings: Record<string, RegExp> = {
    Overview: /^Default Workspace$/,
    'Support cases': /^Support cases$/,
    'Customer Activity': /^Customer Activity/,
    'Manage Users': /^Manage Users$/,
    Groups: /^Groups$/,
    'Audit log': /^Audit log$/,
  };
  for (const from of TOOLS) {
    for (const tool of TOOLS) {
      await expect(nav(megan).getByRole('link', { name: tool, exact: true })).toBeVisible();
    }
    await expect(nav(megan).getByRole('link', { name: 'Staff console' })).toHaveCount(0);
    await nav(megan).getByRole('link', { name: from, exact: true }).click();
    await expect(megan.locator('main h1')).toHaveText(headings[from]);
    await expect(nav(megan).getByRole('link', { name: from, exact: true })).toHaveAttribute('aria-current', 'page');
    await expectAccessible(megan);
  }
  // The header names the organization and the workspace; the account menu holds Edit Profile.
  await expect(header(megan).locator('details.workspace-menu > summary')).toContainText('Contoso');
  await expect(header(megan).locator('details.workspace-menu > summary')).toContainText('Default Workspace');
  await accountMenu(megan).click();
  await header(megan).getByRole('link', { name: 'Edit Profile' }).click();
  await expect(megan.getByRole('heading', { name: 'Edit Profile' })).toBeVisible();
  // Edit Profile keeps the navigation: one click back to the workspace's tools.
  await nav(megan).getByRole('link', { name: 'Manage Users' }).click();
  await expect(megan.getByRole('heading', { name: 'Manage Users' })).toBeVisible();
  await expectAccessible(megan);

  // A support contact who administers nothing sees only what they may open.
  const alex = await person('alex@contoso.com', DEMO_PASSWORD);
  for (const tool of ['Overview', 'Support cases', 'Customer Activity']) {
    await expect(nav(alex).getByRole('link', { name: tool, exact: true })).toBeVisible();
  }
  for (const tool of ['Manage Users', 'Groups', 'Audit log', 'Staff console']) {
    await expect(nav(alex).getByRole('link', { name: tool, exact: true })).toHaveCount(0);
  }

  // The provider's staff get the Staff console as well.
  const csam = await person('csam@provider.example', DEMO_PASSWORD);
  await nav(csam).getByRole('link', { name: 'Staff console' }).click();
  await expect(csam.getByRole('heading', { name: 'Staff console' })).toBeVisible();
});

test('removing a member, revoking an invitation and refusing personal accounts ask first; cancelling changes nothing', async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const invitee = `asked-${tag}@contoso.com`;
  const megan = await person(...MEGAN);
  await nav(megan).getByRole('link', { name: 'Manage Users' }).click();
  await hydrated(megan);
  await megan.getByLabel('Email addresses').fill(invitee);
  await megan.getByRole('button', { name: 'Invite', exact: true }).click();
  if (tag === 'js') {
    // With JavaScript the report shows in place, and the box empties for the next ones.
    await expect(megan.getByText('1 invitation sent.')).toBeVisible();
    await expect(megan.getByLabel('Email addresses')).toHaveValue('');
  }
  await megan.getByLabel('Search users').fill(invitee);
  await megan.getByRole('button', { name: 'Search' }).click();
  const row = megan.getByRole('row').filter({ hasText: invitee });
  await expect(row).toContainText('Invited');

  // Revoke: the question names the person; Cancel leaves the invitation open.
  await megan.getByRole('link', { name: `Revoke ${invitee}` }).click();
  const question = megan.getByRole('group', { name: `Revoke the invitation of ${invitee}?` });
  await expect(question).toBeVisible();
  await expectAccessible(megan);
  await question.getByRole('link', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(megan.getByRole('row').filter({ hasText: invitee })).toContainText('Invited');
  // Confirming revokes it.
  await confirmAction(megan, `Revoke ${invitee}`, `Revoke the invitation of ${invitee}?`, 'Revoke invitation');
  await expect(megan.getByText('The invitation was revoked.')).toBeVisible();

  // Remove: Alex stays after Cancel; Megan's own row offers no Remove.
  await megan.getByLabel('Search users').fill('alex');
  await megan.getByRole('button', { name: 'Search' }).click();
  await megan.getByRole('link', { name: 'Remove alex@contoso.com' }).click();
  const remove = megan.getByRole('group', { name: /^Remove alex@contoso\.com from Default Workspace\?$/ });
  await expect(remove).toBeVisible();
  await expect(remove.getByRole('button', { name: 'Remove member for alex@contoso.com' })).toBeVisible();
  await remove.getByRole('link', { name: 'Cancel' }).click();
  await expect(remove).toHaveCount(0);
  await expect(megan.getByRole('row').filter({ hasText: 'alex@contoso.com' })).toBeVisible();
  await megan.getByLabel('Search users').fill('megan');
  await megan.getByRole('button', { name: 'Search' }).click();
  await expect(megan.getByRole('row').filter({ hasText: 'Megan Bowen (you)' })).toBeVisible();
  await expect(megan.getByRole('link', { name: 'Remove megan@contoso.com' })).toHaveCount(0);

  // Refusing personal accounts asks first; Cancel keeps them allowed.
  await expect(megan.getByText('Personal accounts are allowed in this workspace.')).toBeVisible();
  await megan.getByRole('link', { name: 'Refuse personal accounts' }).click();
  const refuse = megan.getByRole('group', { name: 'Refuse personal accounts in Default Workspace?' });
  await expect(refuse).toBeVisible();
  await refuse.getByRole('link', { name: 'Cancel' }).click();
  await expect(refuse).toHaveCount(0);
  await expect(megan.getByText('Personal accounts are allowed in this workspace.')).toBeVisible();
});

test('deleting a group and closing a case ask first; cancelling changes nothing', async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const groupName = `Short-lived ${tag}`;
  const megan = await person(...MEGAN);
  await nav(megan).getByRole('link', { name: 'Groups' }).click();
  const create = megan.getByRole('region', { name: 'Create a group' });
  await create.getByLabel('Group name').fill(groupName);
  await create.getByRole('button', { name: 'Create the group' }).click();
  await expect(megan.getByText('The group was created.')).toBeVisible();
  await megan.getByRole('link', { name: `Delete the group ${groupName}` }).click();
  const question = megan.getByRole('group', { name: `Delete the group ${groupName}?` });
  await expect(question).toBeVisible();
  await expectAccessible(megan);
  await question.getByRole('link', { name: 'Cancel' }).click();
  await expect(megan.getByRole('region', { name: groupName })).toBeVisible();
  await confirmAction(megan, `Delete the group ${groupName}`, `Delete the group ${groupName}?`, /^Delete the group/);
  await expect(megan.getByText('The group was deleted.')).toBeVisible();
  await expect(megan.getByRole('region', { name: groupName })).toHaveCount(0);

  // Alex opens a case from "New support request"; "Close case" asks first.
  const alex = await person('alex@contoso.com', DEMO_PASSWORD);
  await nav(alex).getByRole('link', { name: 'Support cases' }).click();
  const form = await newSupportRequest(alex);
  await form.getByLabel('Title', { exact: true }).fill(`Close me (${tag})`);
  await form.getByLabel('Description').fill('Asked before closing.');
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(alex.getByRole('heading', { name: /^Case \d+: Close me/ })).toBeVisible();
  await expect(alex.locator('dt', { hasText: 'Closed' })).toHaveCount(0);
  await alex.getByRole('link', { name: 'Close case' }).click();
  const close = alex.getByRole('group', { name: /^Close case \d+: Close me/ });
  await expect(close).toBeVisible();
  await close.getByRole('link', { name: 'Cancel' }).click();
  await expect(close).toHaveCount(0);
  await expect(alex.locator('dd').first()).toHaveText('New');
  await confirmAction(alex, 'Close case', /^Close case \d+: Close me/, 'Close case');
  await expect(alex.locator('dt', { hasText: 'Closed' })).toBeVisible();
  await expect(alex.getByRole('button', { name: 'Reopen case' })).toBeVisible();
});

test('error pages have a heading, a reason and a way back', async ({ person }) => {
  const megan = await person(...MEGAN);
  const missing = await megan.goto('/workspaces/999999');
  expect(missing?.status()).toBe(404);
  await expect(megan.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expectAccessible(megan);
  await megan.getByRole('link', { name: 'Go to the main page' }).click();
  await expect(megan.locator('main h1')).toHaveText('Default Workspace');

  const nowhere = await megan.goto('/no-such-page');
  expect(nowhere?.status()).toBe(404);
  await expect(megan.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(megan.getByRole('link', { name: 'Go to the main page' })).toBeVisible();
  // The shell stays: the tools are one click away from an error page too.
  await expect(nav(megan).getByRole('link', { name: 'Support cases' })).toBeVisible();

  const refused = await megan.goto('/staff');
  expect(refused?.status()).toBe(403);
  await expect(megan.getByRole('heading', { name: "You can't open this page" })).toBeVisible();
  await expect(megan.getByRole('link', { name: 'Go to the main page' })).toBeVisible();
  await expectAccessible(megan);
});

const PHONE = { width: 390, height: 844 };

test.describe('at a phone width of 390 px', () => {
  test.use({ viewport: PHONE });

  test('no page scrolls sideways and the header keeps to one line', async ({ page, person }) => {
    await page.goto('/sign-in');
    await expectNoSidewaysScroll(page);
    // The people's own browsers are opened by the fixture: they get the phone's width here.
    const megan = await person(...MEGAN);
    await megan.setViewportSize(PHONE);
    await expect(megan).toHaveURL(/\/workspaces\/\d+$/);
    const workspace = new URL(megan.url()).pathname;
    const pages = [
      workspace,
      `${workspace}/users`,
      `${workspace}/groups`,
      `${workspace}/cases`,
      `${workspace}/audit`,
      `/activity?workspace=${workspace.split('/').pop()}`,
      '/activity?workspace=all',
      '/profile',
      '/workspaces/999999',
    ];
    for (const href of pages) {
      await megan.goto(href);
      await expect(megan.locator('main h1')).toBeVisible();
      await expectNoSidewaysScroll(megan);
      const bar = await header(megan).boundingBox();
      expect(bar!.height, `the header of ${href} is on one line`).toBeLessThan(64);
      await expectAccessible(megan);
    }
    // A case's page, with its timeline.
    await megan.goto(`${workspace}/cases`);
    const first = megan.getByRole('region', { name: 'Support cases' }).getByRole('link').first();
    if (await first.count()) {
      await first.click();
      await expect(megan.locator('main h1')).toContainText('Case');
      await expectNoSidewaysScroll(megan);
    }
    // The staff console.
    const csam = await person('csam@provider.example', DEMO_PASSWORD);
    await csam.setViewportSize(PHONE);
    await csam.goto('/staff');
    await expect(csam.getByRole('heading', { name: 'Staff console' })).toBeVisible();
    await expectNoSidewaysScroll(csam);
  });
});
