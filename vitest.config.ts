import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto'],
    // One initdb per run for the PostgreSQL clusters the team tests start (each copies it).
    globalSetup: ['test/support/pgTemplates.ts'],
    pool: 'threads',
    // Two files at a time. Vitest's default is one fewer than the cores (one, on a two-core CI
    // machine), and most integration files spend their time waiting on timers, sockets and
    // PostgreSQL rather than on the CPU: two at once finish the suite in well under the time.
    maxWorkers: 2,
    // Generous: a property test that takes 5 s on an idle machine takes four times that on a busy one.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
