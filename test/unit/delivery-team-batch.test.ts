import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../shared/contract';
import type { WorkflowRecord } from '../../shared/workflow';
import { Delivery } from '../../electron/host/delivery';
import { prepareInsight } from '../../electron/host/insight/index';
import { Settings } from '../../electron/host/settings';

/**
 * A team batch whose every message is set aside still carries what else it holds (marks,
 * workflow records, what left a department): it goes to the window, which stores that, and
 * only its acknowledgement moves the team's position on. Before, such a batch counted as
 * stored at once and its records never reached the store.
 */
const dirs: string[] = [];
beforeAll(() => prepareInsight(), 30_000);
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function delivery(sent: MessageBatch[]): Promise<Delivery> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'webcare-delivery-'));
  dirs.push(dataDir);
  const settings = new Settings(dataDir);
  await settings.load();
  return new Delivery({ dataDir, settings, now: () => Date.now(), log: () => undefined, send: (b) => sent.push(b), statusOf: () => undefined, changed: () => undefined, transforms: [], pokeAll: () => undefined });
}

const record: WorkflowRecord = { id: crypto.randomUUID(), kind: 'note', seq: 7, conversationKey: 'x_mention:c1', by: 'anna', byName: 'Anna', at: 1, clientAt: 1, data: { text: 'Intern' } };
const unreadable = { key: 'x_mention:1' };

describe('Delivery: a batch of set-aside messages and team records', () => {
  it.each<[string, Partial<MessageBatch>]>([
    ['workflow records', { workflow: [record] }],
    ['what left a department', { left: [{ conversationKey: 'x_mention:c1' }] }],
    ['marks', { marks: [{ key: 'x_mention:2', status: 'done', at: 1 }] }],
  ])('with %s goes to the window and waits for its acknowledgement', async (_what, extra) => {
    const sent: MessageBatch[] = [];
    const d = await delivery(sent);
    let done = false;
    const delivered = d.deliver({ batchId: 'b1', streamId: 'team', messages: [unreadable] as never, ...extra }).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ batchId: 'b1', messages: [], ...extra });
    d.ack('b1');
    await delivered;
  });

  it('with nothing else is done at once (nothing to store)', async () => {
    const sent: MessageBatch[] = [];
    const d = await delivery(sent);
    await d.deliver({ batchId: 'b2', streamId: 'x:1:x_mentions', messages: [unreadable] as never });
    expect(sent).toEqual([]);
  });
});
