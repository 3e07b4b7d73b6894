import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { confirmAction, expectAccessible, nav, newSupportRequest, projectTag } from './helpers';

// serve.sh gives each project (js / nojs) its own people, added to workspaces with
// `admin add-member`: in Contoso's "shared" Premier workspace opener-<p> (a support contact),
// sharee-<p> and bystander-<p> (plain members) and multi-<p> (a support contact, also in a second,
// Unified Contoso workspace); in Fabrikam's workspace contact-<p>@fabrikam.com (a support contact).

function escaped(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens a case from the current workspace's Support cases page; returns its address. */
async function openCase(page: Page, title: string): Promise<{ url: string; workspace: string; id: string }> {
  await nav(page).getByRole('link', { name: 'Support cases' }).click();
  await expect(page.getByRole('heading', { name: 'Support cases' })).toBeVisible();
  const form = await newSupportRequest(page);
  await form.getByLabel('Title', { exact: true }).fill(title);
  await form.getByLabel('Description').fill(`${title}: details for the journey.`);
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`^Case \\d+: ${escaped(title)}$`) })).toBeVisible();
  const url = new URL(page.url()).pathname;
  const [, workspace, id] = url.match(/^\/workspaces\/(\d+)\/cases\/(\d+)$/) ?? [];
  expect(workspace, url).toBeTruthy();
  return { url, workspace, id };
}

/** `page` gets "not found" at `url` and the title is nowhere in the page, not even its data. */
async function expectNotFound(page: Page, url: string, title: string) {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByText(title)).toHaveCount(0);
  expect(await page.content(), url).not.toContain(title);
}

/** `page`'s Support cases list of the workspace (the list, loaded) has no case titled `title`. */
async function expectNotListed(page: Page, workspace: string, title: string) {
  await page.goto(`/workspaces/${workspace}/cases`);
  await expect(page.getByRole('heading', { name: 'Cases you can see' })).toBeVisible();
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  expect(await page.content()).not.toContain(title);
}

test('sharing a case makes it visible to exactly the member it is shared with', async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const title = `Ledger totals drift (${tag})`;
  const shareeEmail = `sharee-${tag}@contoso.com`;
  const opener = await person(`opener-${tag}@contoso.com`);
  const opened = await openCase(opener, title);
  await expect(opener.locator('dd').filter({ hasText: 'Nobody' })).toBeVisible();

  // Before sharing: the other members (neither administrators nor "View all support requests")
  // neither reach the case by its address nor find it in their list.
  const sharee = await person(shareeEmail);
  const bystander = await person(`bystander-${tag}@contoso.com`);
  for (const page of [sharee, bystander]) {
    await expectNotFound(page, opened.url, title);
    await expectNotListed(page, opened.workspace, title);
  }
  await expectAccessible(sharee);

  // The opener shares it by email address on the case's page.
  const share = opener.getByRole('region', { name: 'Share this case' });
  await share.getByLabel('Email address of a member of this workspace').fill(shareeEmail);
  await share.getByRole('button', { name: 'Share' }).click();
  await expect(opener.locator('dd').filter({ hasText: `E2E sharee ${tag} <${shareeEmail}>` })).toBeVisible();
  await expectAccessible(opener);

  // Now the sharee sees it, by its address and in the list.
  await sharee.goto(opened.url);
  await expect(sharee.getByRole('heading', { name: `Case ${opened.id}: ${title}` })).toBeVisible();
  await expectAccessible(sharee);
  await sharee.goto(`/workspaces/${opened.workspace}/cases`);
  await expect(sharee.getByRole('link', { name: title })).toBeVisible();
  await sharee.getByRole('link', { name: title }).click();
  await expect(sharee.getByRole('heading', { name: `Case ${opened.id}: ${title}` })).toBeVisible();

  // The third member of the same workspace still does not.
  await expectNotFound(bystander, opened.url, title);
  await expectNotListed(bystander, opened.workspace, title);
});

test("a member of one workspace never sees another workspace's case by its address", async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const title = `Fabrikam payroll stalls (${tag})`;
  // Workspace B: Fabrikam's, where its support contact opens a case.
  const contact = await person(`contact-${tag}@fabrikam.com`);
  const caseB = await openCase(contact, title);

  // A member of Contoso's workspace A, who is not in B.
  const member = await person(`bystander-${tag}@contoso.com`);
  await nav(member).getByRole('link', { name: 'Support cases' }).click();
  await expect(member.getByRole('heading', { name: 'Support cases' })).toBeVisible();
  const workspaceA = new URL(member.url()).pathname.match(/^\/workspaces\/(\d+)\/cases$/)?.[1];
  expect(workspaceA).toBeTruthy();
  expect(workspaceA).not.toBe(caseB.workspace);

  // B's address, B's case under A's workspace id, and B's case list: not found, no title.
  await expectNotFound(member, caseB.url, title);
  await expectAccessible(member);
  await expectNotFound(member, `/workspaces/${workspaceA}/cases/${caseB.id}`, title);
  await expectNotFound(member, `/workspaces/${caseB.workspace}/cases`, title);
  await expectNotListed(member, workspaceA!, title);

  // The opener still sees it: the case is there, just not for them.
  await contact.goto(caseB.url);
  await expect(contact.getByRole('heading', { name: `Case ${caseB.id}: ${title}` })).toBeVisible();
});

type Figures = { total: number; byStatus: Map<string, number> };

/** Chooses `value` in Customer Activity's workspace selector, shows it and reads the case figures. */
async function caseFigures(page: Page, value: string): Promise<Figures> {
  await page.getByRole('combobox', { name: 'Workspace', exact: true }).selectOption(value);
  await page.getByRole('button', { name: 'Show' }).click();
  // The export link is built from the figures shown: it names the selection once they are there.
  await expect(page.getByRole('link', { name: 'Export to CSV' })).toHaveAttribute(
    'href',
    new RegExp(`[?&]workspace=${value}&`),
  );
  await expect(page.getByRole('combobox', { name: 'Workspace', exact: true })).toHaveValue(value);
  const line = await page.getByText(/^\d+ cases? opened (from|in) /).innerText();
  const byStatus = new Map<string, number>();
  const rows = page.getByRole('table', { name: 'Cases by status' }).locator('tbody tr');
  for (const row of await rows.all()) {
    byStatus.set(await row.getByRole('rowheader').innerText(), parseInt(await row.getByRole('cell').innerText(), 10));
  }
  return { total: parseInt(line, 10), byStatus };
}

test('"All Workspaces" on Customer Activity shows the sum of the workspaces', async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const multi = await person(`multi-${tag}@contoso.com`);

  // A case in each of the two workspaces (through the switcher); the second one closed.
  const workspaces: string[] = [];
  for (const type of ['Premier', 'Unified']) {
    await multi.goto('/');
    await multi.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: `Default Workspace (Contoso, ${type})` });
    await multi.getByRole('button', { name: 'Switch' }).click();
    await expect(multi.getByText(`Contoso · ${type} agreement`)).toBeVisible();
    const opened = await openCase(multi, `Activity count ${type} (${tag})`);
    workspaces.push(opened.workspace);
  }
  await confirmAction(multi, 'Close case', /^Close case \d+/, 'Close case');
  await expect(multi.locator('dd').filter({ hasText: 'Closed' })).toBeVisible();

  await multi.locator('.breadcrumb').getByRole('link', { name: 'Default Workspace' }).click();
  await nav(multi).getByRole('link', { name: 'Customer Activity' }).click();
  await expect(multi.getByRole('heading', { name: 'Customer Activity' })).toBeVisible();
  const selector = multi.getByRole('combobox', { name: 'Workspace', exact: true });
  // Each agreement has its own Default Workspace: the organization and the agreement tell them apart.
  await expect(selector.locator('option')).toHaveText([
    'All Workspaces',
    'Default Workspace (Contoso, Premier)',
    'Default Workspace (Contoso, Unified)',
  ]);
  const offered = await Promise.all((await selector.locator('option').all()).map((o) => o.getAttribute('value')));
  expect(offered.slice(1).sort()).toEqual([...workspaces].sort());
  await expectAccessible(multi);

  // Each workspace separately, then all of them.
  const parts: Figures[] = [];
  for (const id of workspaces) parts.push(await caseFigures(multi, id));
  const all = await caseFigures(multi, 'all');
  await expect(multi.getByText(/^All Workspaces, /)).toBeVisible();
  await expectAccessible(multi);
  for (const part of parts) expect(part.total).toBeGreaterThan(0);
  expect(all.total).toBe(parts[0].total + parts[1].total);
  expect([...all.byStatus.keys()]).toEqual([...parts[0].byStatus.keys()]);
  for (const [status, n] of all.byStatus) {
    expect(n, status).toBe((parts[0].byStatus.get(status) ?? 0) + (parts[1].byStatus.get(status) ?? 0));
  }
  expect(all.byStatus.get('Closed')).toBeGreaterThan(0);
  expect(all.byStatus.get('New')).toBeGreaterThan(0);

  // Someone with a single workspace is not offered "All Workspaces", not even by address.
  const single = await person(`bystander-${tag}@contoso.com`);
  await nav(single).getByRole('link', { name: 'Customer Activity' }).click();
  await expect(single.getByRole('heading', { name: 'Customer Activity' })).toBeVisible();
  const own = single.getByRole('combobox', { name: 'Workspace', exact: true });
  await expect(own.locator('option')).toHaveText(['Default Workspace (Contoso, Premier)']);
  await expect(single.getByRole('option', { name: 'All Workspaces' })).toHaveCount(0);
  await single.goto('/activity?workspace=all');
  await expect(single.getByRole('heading', { name: 'Customer Activity' })).toBeVisible();
  await expect(own.locator('option')).toHaveText(['Default Workspace (Contoso, Premier)']);
  await expect(single.getByText(/^All Workspaces, /)).toHaveCount(0);
  await expectAccessible(single);
});
