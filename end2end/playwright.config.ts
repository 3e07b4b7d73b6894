import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium: no browser can be downloaded on these machines. Without the background
// networking flags Chromium keeps dialling hosts this closed network refuses.
const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

// The journeys across instances: their own specs, their own servers.
const pairSpecs = /(instances(-limits)?|two-factor-required)\.spec\.ts/;
const PAIR_A = 'http://127.0.0.1:3310';
const PAIR_B = 'http://127.0.0.1:3311';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:3300',
    trace: 'off',
  },
  projects: [
    { name: 'chromium', use: { ...chromium }, testIgnore: pairSpecs },
    {
      // The same journeys with JavaScript off: pages render on the server and forms post.
      name: 'chromium-nojs',
      use: { ...chromium, javaScriptEnabled: false },
      testIgnore: [/.*\.hydrate\.spec\.ts/, pairSpecs],
    },
    // Two instances on one PostgreSQL database (serve-pair.sh): A is the base URL, B the other.
    { name: 'pair', use: { ...chromium, baseURL: PAIR_A }, testMatch: /(instances|two-factor-required)\.spec\.ts/ },
    {
      name: 'pair-nojs',
      use: { ...chromium, baseURL: PAIR_A, javaScriptEnabled: false },
      testMatch: /(instances|two-factor-required)\.spec\.ts/,
    },
    // The per-address limit is spent on purpose: after every other journey on the pair.
    {
      name: 'pair-limits',
      use: { ...chromium, baseURL: PAIR_A },
      testMatch: /instances-limits\.spec\.ts/,
      dependencies: ['pair', 'pair-nojs'],
    },
  ],
  webServer: [
    {
      command: './serve.sh',
      url: 'http://127.0.0.1:3300/healthz',
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: './serve-pair.sh',
      url: `${PAIR_B}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
