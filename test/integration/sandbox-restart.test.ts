import { afterEach, expect, it } from 'vitest';
import { FakeRenderer, until, world, type World } from './harness';

/**
 * Restarting with a fixed sandbox port and the same data folder: the new sandbox
 * knows none of the earlier one's tokens, and the console signs its practice
 * accounts in again by itself instead of showing them as "reconnect needed".
 */
let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

it('a sandbox restarted on the same port keeps its accounts connected and polling', async () => {
  w = await world({ historyPerChannel: 2, seed: 5 });
  let core = await w.core();
  const first = new FakeRenderer();
  first.attach(core);
  await until(() => first.of('x_mention').length > 0 && first.of('fb_comment').length > 0, 'first polls');
  await core.stop();
  // The same port and seed, a new process: none of the tokens in the data folder's vault are known to it.
  const before = w.sandbox.url;
  await w.restartSandbox();
  expect(w.sandbox.url).toBe(before);

  core = await w.core();
  const r = new FakeRenderer();
  r.attach(core);
  expect(core.status().accounts.map((a) => a.state)).toEqual(['connected', 'connected']);
  const x = (await w.api('/__sandbox/inject', { channel: 'x_mention', text: 'Na de herstart' })) as { id: string };
  const fb = (await w.api('/__sandbox/inject', { channel: 'fb_message', text: 'Na de herstart op Messenger' })) as { id: string };
  await until(() => r.stored.has(`x_mention:${x.id}`) && r.stored.has(`fb_message:${fb.id}`), 'messages after the restart', 15_000);
  expect(core.status().accounts.every((a) => a.state === 'connected')).toBe(true);
}, 40_000);
