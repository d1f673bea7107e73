import { defineConfig } from '@playwright/test';

// Drives the browser host in Debian's Chromium; never downloads a browser.
export default defineConfig({
  testDir: './test/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  globalSetup: './test/e2e/globalSetup.ts',
  use: {
    headless: true,
    viewport: { width: 1600, height: 900 },
    locale: 'en-US',
    launchOptions: {
      executablePath: process.env.WEBCARE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
