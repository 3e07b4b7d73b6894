import { test, expect } from './fixtures';
import { DEMO_PASSWORD, E2E_PASSWORD, expectAccessible, nav, projectTag } from './helpers';

// Help (issue 14, item 6) and the organization's groups (item 2). The accounts are serve.sh's:
// the demo's operator and Global Administrator, and each project's own Contoso people.

test('the FAQ and troubleshooting render from the repository, with a table of contents', async ({ page }) => {
  // Public: someone who cannot sign in reads it too.
  await page.goto('/help');
  await expect(page.getByRole('heading', { level: 1, name: 'Help' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Frequently asked questions' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Troubleshooting' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'My account is locked' })).toBeVisible();
  await expectAccessible(page);
  const contents = page.getByRole('navigation', { name: 'Contents' });
  await contents.getByRole('link', { name: 'Verifying a domain: the TXT record' }).click();
  await expect(page).toHaveURL(/#verifying-a-domain-the-txt-record$/);
  await expect(page.locator('#verifying-a-domain-the-txt-record')).toBeInViewport();
});

test('feedback is sent and the operator reads it in the staff console', async ({ person }, testInfo) => {
  const tag = `${projectTag(testInfo)}-${Date.now()}`;
  const message = `The invoice list could show totals (${tag}).`;
  const writer = await person(`stranger-${projectTag(testInfo)}@contoso.com`, E2E_PASSWORD);
  await nav(writer).getByRole('link', { name: 'Send feedback' }).click();
  await expect(writer.getByRole('heading', { level: 1, name: 'Send feedback' })).toBeVisible();
  await expectAccessible(writer);
  // An empty message is refused at its field (the browser's own check is bypassed by a blank).
  await writer.getByLabel('Message', { exact: true }).fill('   ');
  await writer.getByRole('button', { name: 'Send feedback' }).click();
  await expect(writer.getByText('Write your message.')).toBeVisible();
  await writer.getByLabel('What is it about?').selectOption('idea');
  await writer.getByLabel('Message', { exact: true }).fill(message);
  await writer.getByLabel('Which page is it about? (optional)').fill('/invoices');
  await writer.getByRole('button', { name: 'Send feedback' }).click();
  await expect(writer.getByText('Thank you: your message was sent to the provider\'s team.')).toBeVisible();
  await expectAccessible(writer);

  const operator = await person('operator@provider.example', DEMO_PASSWORD);
  await nav(operator).getByRole('link', { name: 'Feedback', exact: true }).click();
  await expect(operator.getByRole('heading', { level: 1, name: 'Feedback' })).toBeVisible();
  const row = operator.getByRole('table', { name: 'Feedback' }).getByRole('row').filter({ hasText: message });
  await expect(row).toContainText(`E2E stranger ${projectTag(testInfo)}`);
  await expect(row).toContainText('An idea · /invoices');
  await expectAccessible(operator);
});

test('"Contact support" leads a support contact to the case form, which opens the request', async ({ person }, testInfo) => {
  const tag = `${projectTag(testInfo)}-${Date.now()}`;
  const contact = await person(`opener-${projectTag(testInfo)}@contoso.com`, E2E_PASSWORD);
  await nav(contact).getByRole('link', { name: 'Contact support' }).click();
  await expect(contact.getByRole('heading', { level: 1, name: 'Contact support' })).toBeVisible();
  await expectAccessible(contact);
  await contact.getByRole('link', { name: /^New support request in / }).first().click();
  const form = contact.getByRole('region', { name: 'New support request' });
  await expect(form).toBeVisible();
  await expectAccessible(contact);
  await form.getByLabel('Title', { exact: true }).fill(`Support request ${tag}`);
  await form.getByLabel('Description').fill('Two people cannot sign in since this morning.');
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(contact.getByRole('heading', { name: new RegExp(`Case \\d+: Support request ${tag}`) })).toBeVisible();

  // Someone who is a support contact nowhere is told who can arrange it.
  const stranger = await person(`stranger-${projectTag(testInfo)}@contoso.com`, E2E_PASSWORD);
  await stranger.goto('/help/contact');
  await expect(stranger.getByRole('heading', { level: 2, name: 'You cannot open support requests yet' })).toBeVisible();
  await expect(stranger.getByText('Megan Bowen (megan@contoso.com)')).toBeVisible();
  await expectAccessible(stranger);
});

test('a Global Administrator creates a group and manages its members', async ({ person }, testInfo) => {
  const project = projectTag(testInfo);
  const name = `Helpdesk ${project} ${Date.now()}`;
  const megan = await person('megan@contoso.com', DEMO_PASSWORD, 'Work or school account');
  await megan.goto('/organization/groups');
  await expect(megan.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
  await expectAccessible(megan);
  await megan.getByLabel('Group name').fill(name);
  await megan.getByLabel('Description (optional)').fill('First line of support');
  await megan.getByRole('button', { name: 'Create the group' }).click();
  await expect(megan.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(megan.getByText('The group was created.')).toBeVisible();
  await expectAccessible(megan);

  // The same name in another case is refused at the field.
  await megan.goto('/organization/groups');
  await megan.getByLabel('Group name').fill(name.toUpperCase());
  await megan.getByRole('button', { name: 'Create the group' }).click();
  await expect(megan.getByText('Your organization already has a group of that name.')).toBeVisible();

  await megan.getByRole('link', { name, exact: true }).click();
  // Another organization's account is not a member candidate.
  const email = megan.getByLabel('Email address of a work account of your organization');
  await email.fill(`contact-${project}@fabrikam.com`);
  await megan.getByRole('button', { name: 'Add to the group' }).click();
  await expect(megan.getByText('No account of your organization has this address.')).toBeVisible();
  await email.fill(`grouped-${project}@contoso.com`);
  await megan.getByRole('button', { name: 'Add to the group' }).click();
  await expect(megan.getByText('The member was added.')).toBeVisible();
  const members = megan.getByRole('table', { name: 'Members' });
  await expect(members).toContainText(`grouped-${project}@contoso.com`);

  // Removing asks first, naming the person.
  await members.getByRole('link', { name: /Remove/ }).click();
  await expect(megan.getByText(`Remove E2E grouped ${project} from ${name}?`)).toBeVisible();
  await megan.getByRole('button', { name: /Remove from the group/ }).click();
  await expect(megan.getByText('The member was removed from the group.')).toBeVisible();

  // Deleting asks first too.
  await megan.goto('/organization/groups');
  const row = megan.getByRole('table', { name: 'Groups' }).getByRole('row').filter({ hasText: name });
  await row.getByRole('link', { name: /Delete/ }).click();
  await expect(megan.getByText(`Delete the group ${name}?`)).toBeVisible();
  await megan.getByRole('button', { name: /Delete the group/ }).click();
  await expect(megan.getByText('The group was deleted.')).toBeVisible();
  await expect(megan.getByRole('table', { name: 'Groups' }).getByRole('row').filter({ hasText: name })).toHaveCount(0);
});
