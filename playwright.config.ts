import { defineConfig } from '@playwright/test';

// Drives the browser host in Debian's Chromium; never downloads a browser.
export default defineConfig({
  testDir: './test/e2e',
  timeout: 60_000,
  // A message reaches a board through a poll of a host that shares the machine with the browser
  // and the other worker: generous, as it is only ever waited out when something is wrong.
  expect: { timeout: 30_000 },
  // Two specs at a time, each worker with a console of its own (fixtures.ts): the tests mostly
  // wait on polls and timers, so two at once take about half the time, even on two cores.
  workers: 2,
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
