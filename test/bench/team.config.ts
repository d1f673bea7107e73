import { defineConfig } from '@playwright/test';

// `npm run bench:team` (part of `npm run bench`, never of `npm test`): team-mode figures
// against a throwaway PostgreSQL and the sandbox. Playwright's runner is used only to run
// TypeScript; no browser is launched.
export default defineConfig({
  testDir: '.',
  testMatch: 'team.bench.ts',
  timeout: 15 * 60_000,
  workers: 1,
  reporter: [['list']],
});
