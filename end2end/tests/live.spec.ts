import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible, hydrated, nav, newSupportRequest, projectTag } from './helpers';

// Live updates (issue 15): an open case page shows someone else's note without a reload. The
// page listens on /events (Server-Sent Events) once hydrated; without JavaScript the pages work
// as before, which the other journeys cover, so this journey runs in the JavaScript project only.
//
// serve.sh: in Contoso's "shared" workspace opener-js (a support contact) and sharee-js (a plain
// member), who sees the case once the opener shares it.

test.skip(
  ({ javaScriptEnabled }) => javaScriptEnabled === false,
  'live updates need JavaScript (EventSource); without it the page shows changes on the next load',
);

function escaped(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens a case from the current workspace's Support cases page; returns its address. */
async function openCase(page: Page, title: string): Promise<string> {
  await nav(page).getByRole('link', { name: 'Support cases' }).click();
  await expect(page.getByRole('heading', { name: 'Support cases' })).toBeVisible();
  const form = await newSupportRequest(page);
  await form.getByLabel('Title', { exact: true }).fill(title);
  await form.getByLabel('Description').fill(`${title}: details for the journey.`);
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`^Case \\d+: ${escaped(title)}$`) })).toBeVisible();
  return new URL(page.url()).pathname;
}

test("a case's timeline shows another member's note without a reload", async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const title = `Live timeline (${tag} ${Date.now()})`;
  const shareeEmail = `sharee-${tag}@contoso.com`;

  // The opener opens a case and shares it with the sharee.
  const opener = await person(`opener-${tag}@contoso.com`);
  const caseUrl = await openCase(opener, title);
  const share = opener.getByRole('region', { name: 'Share this case' });
  await share.getByLabel('Email address of a member of this workspace').fill(shareeEmail);
  await share.getByRole('button', { name: 'Share' }).click();
  await expect(opener.locator('dd').filter({ hasText: `<${shareeEmail}>` })).toBeVisible();

  // The sharee has the case open, hydrated, with its stream open.
  const sharee = await person(shareeEmail);
  const stream = sharee.waitForResponse(
    (r) => r.url().includes('/events?topic=case:') && r.status() === 200,
  );
  await sharee.goto(caseUrl);
  await expect(sharee.getByRole('heading', { name: new RegExp(`^Case \\d+: ${escaped(title)}$`) })).toBeVisible();
  await hydrated(sharee);
  await stream;
  // A mark on the window: a reload or a navigation would lose it.
  await sharee.evaluate(() => ((window as unknown as { liveMark: string }).liveMark = 'same page'));

  // The opener adds a note; it appears on the sharee's page by itself.
  const note = `Seen live by the sharee (${tag})`;
  await opener.getByRole('textbox', { name: 'Note' }).fill(note);
  await opener.getByRole('button', { name: 'Add the note' }).click();
  await expect(opener.getByText(note)).toBeVisible();
  await expect(sharee.getByText(note)).toBeVisible({ timeout: 10_000 });
  expect(await sharee.evaluate(() => (window as unknown as { liveMark?: string }).liveMark)).toBe('same page');
  expect(new URL(sharee.url()).pathname).toBe(caseUrl);
  await expectAccessible(sharee);
});
