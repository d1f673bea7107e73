import { z } from 'zod';

/**
 * Imported first by main.tsx, before any module that builds a schema: zod
 * otherwise probes `new Function('')` when the first object schema is made,
 * which the Content-Security-Policy (no 'unsafe-eval') refuses and reports as
 * a violation on every page load. Jitless zod parses the same, without eval.
 */
z.config({ jitless: true });
