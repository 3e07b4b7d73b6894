import { expect, test } from '@playwright/test';

// Runs after every other journey on the pair (playwright.config.ts: 'pair-limits'), since it
// spends this address's sign-in attempts on purpose. serve-pair.sh allows 40 a minute.
const A = 'http://127.0.0.1:3310';
const B = 'http://127.0.0.1:3311';
const QUOTA = 40;

test('the per-address sign-in limit is one limit for both instances', async ({ request }) => {
  const answers: { instance: string; status: number }[] = [];
  // Sixty attempts, alternating. Were the limit kept per instance, each would allow forty.
  for (let i = 0; i < 60; i++) {
    const instance = i % 2 === 0 ? A : B;
    const response = await request.post(`${instance}/api/sign_in`, {
      headers: { Origin: instance, Accept: 'application/json' },
      form: { identifier: 'nobody@contoso.com', kind: 'work', password: 'wrong-password', next: '/' },
    });
    answers.push({ instance, status: response.status() });
  }
  const allowed = answers.filter((a) => a.status !== 429);
  expect(allowed.length, JSON.stringify(answers)).toBeLessThanOrEqual(QUOTA);
  for (const instance of [A, B]) {
    expect(answers.some((a) => a.instance === instance && a.status === 429), instance).toBe(true);
  }
});
