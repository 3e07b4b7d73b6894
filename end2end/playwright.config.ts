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
    { name: 'chromium', use: { ...chromium } },
    {
      // The same journeys with JavaScript off: pages render on the server and forms post.
      name: 'chromium-nojs',
      use: { ...chromium, javaScriptEnabled: false },
      testIgnore: /.*\.hydrate\.spec\.ts/,
    },
  ],
  webServer: {
    command: './serve.sh',
    url: 'http://127.0.0.1:3300/healthz',
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
