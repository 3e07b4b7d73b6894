import { expect, test } from './fixtures';
import { DEMO_PASSWORD, E2E_PASSWORD, expectAccessible, nav, newSupportRequest, projectTag } from './helpers';

// Contoso's demo workspace: Megan (Services Administrator), Alex (support contact) and, from
// serve.sh, grouped-<project>@contoso.com, a plain member.

test('an administrator makes a group, a case shared with it is seen by its member, and no longer once they are taken out', async ({ person }, testInfo) => {
  const tag = projectTag(testInfo);
  const groupName = `Escalations ${tag}`;
  const memberEmail = `grouped-${tag}@contoso.com`;
  const title = `Mailbox full for the group (${tag})`;

  // Megan creates the group and puts the member in it.
  const megan = await person('megan@contoso.com', DEMO_PASSWORD, 'Work or school account');
  await nav(megan).getByRole('link', { name: 'Groups' }).click();
  await expect(megan.getByRole('heading', { name: 'Groups', exact: true })).toBeVisible();
  await expectAccessible(megan);
  const groupsUrl = new URL(megan.url()).pathname;
  const create = megan.getByRole('region', { name: 'Create a group' });
  // A blank name is refused at the field.
  await create.getByLabel('Group name').fill('   ');
  await create.getByRole('button', { name: 'Create the group' }).click();
  await expect(megan.getByText('Enter a name for the group.')).toBeVisible();
  await megan.goto(groupsUrl);
  await megan.getByRole('region', { name: 'Create a group' }).getByLabel('Group name').fill(groupName);
  await megan.getByRole('region', { name: 'Create a group' }).getByRole('button', { name: 'Create the group' }).click();
  await expect(megan.getByText('The group was created.')).toBeVisible();
  const group = megan.getByRole('region', { name: groupName });
  await expect(group.getByText('Nobody is in this group yet.')).toBeVisible();
  await group.getByLabel('Email address of a member to add').fill(memberEmail);
  await group.getByRole('button', { name: `Add to the group ${groupName}` }).click();
  await expect(megan.getByText('The member was added to the group.')).toBeVisible();
  await expect(megan.getByRole('region', { name: groupName }).getByText(memberEmail)).toBeVisible();
  await expectAccessible(megan);

  // Alex opens a case; the group's member cannot see it yet.
  const alex = await person('alex@contoso.com', DEMO_PASSWORD);
  await nav(alex).getByRole('link', { name: 'Support cases' }).click();
  const form = await newSupportRequest(alex);
  await form.getByLabel('Title', { exact: true }).fill(title);
  await form.getByLabel('Description').fill('No mail arrives since this morning.');
  await form.getByRole('button', { name: 'Open the case' }).click();
  await expect(alex.getByRole('heading', { name: new RegExp(`^Case \\d+: ${title.replace(/[()]/g, '\\$&')}$`) })).toBeVisible();
  const caseUrl = new URL(alex.url()).pathname;
  const member = await person(memberEmail, E2E_PASSWORD);
  await member.goto(caseUrl);
  await expect(member.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  // Alex shares it with the group.
  const share = alex.getByRole('region', { name: 'Share this case' });
  await share.getByLabel('Or share with a group of this workspace').selectOption({ label: groupName });
  await share.getByRole('button', { name: 'Share with the group' }).click();
  await expect(alex.getByText('The case was shared.')).toBeVisible();
  await expect(alex.locator('dd').filter({ hasText: groupName })).toBeVisible();
  await expectAccessible(alex);

  // Now the member sees it, by its address and in the list.
  await member.goto(caseUrl);
  await expect(member.getByRole('heading', { name: new RegExp(title.replace(/[()]/g, '\\$&')) })).toBeVisible();
  await member.goto(caseUrl.replace(/\/\d+$/, ''));
  await expect(member.getByRole('link', { name: title })).toBeVisible();

  // Megan takes the member out of the group: the case is gone for them.
  await megan.goto(groupsUrl);
  await megan
    .getByRole('region', { name: groupName })
    .getByRole('button', { name: new RegExp(`^Take out .*${memberEmail}`) })
    .click();
  await expect(megan.getByText('The member was taken out of the group.')).toBeVisible();
  await member.goto(caseUrl);
  await expect(member.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(member.getByText(title)).toHaveCount(0);
});
