import { test as base, expect, Page } from '@playwright/test';
import { accountMenu, E2E_PASSWORD, settled, signIn } from './helpers';

type Kind = 'Work or school account' | 'Personal account';

type People = {
  /**
   * A second person: a browser context of their own (no shared cookies) with JavaScript as the
   * project has it. Every context it opens is closed when the test ends, failed or not.
   */
  otherPerson: () => Promise<Page>;
  /** Someone signed in, in a browser of their own; the password defaults to the journeys' own. */
  person: (email: string, password?: string, kind?: Kind) => Promise<Page>;
};

/** The journeys' `test`: Playwright's, plus the people a journey brings in beside `page`. */
export const test = base.extend<People>({
  otherPerson: async ({ browser }, use, testInfo) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async () => {
      const context = await browser.newContext({
        javaScriptEnabled: testInfo.project.use.javaScriptEnabled !== false,
      });
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
  person: async ({ otherPerson }, use) => {
    await use(async (email, password = E2E_PASSWORD, kind) => {
      const page = await otherPerson();
      await signIn(page, email, password, kind);
      await expect(accountMenu(page)).toBeVisible();
      await settled(page);
      return page;
    });
  },
});

export { expect };
