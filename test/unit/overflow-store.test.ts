import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../shared/contract';
import type { Message } from '../../shared/model';
import { fitBatch, getFullText, OverflowStore, OVERFLOW_LIMITS } from '../../electron/host/overflow';

function message(id: string, over: Partial<Message> = {}): Message {
  return {
    key: `fb_comment:${id}`,
    platformId: id,
    channel: 'fb_comment',
    accountId: 'fb:1',
    conversationId: 'post_1',
    author: { id: 'u1', name: 'Els', handle: '' },
    text: `reactie ${id}`,
    createdAt: 1_760_000_000_000,
    fromUs: false,
    ...over,
  };
}

const batch = (messages: unknown[]): MessageBatch => ({ batchId: 'b1', streamId: 'fb:1/comments', messages: messages as Message[] });
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'webcare-overflow-'));

describe('fitBatch', () => {
  it('hands over the valid and the shortened, sets aside the rest, and keeps the whole text of a cut one', () => {
    const long = 'é'.repeat(150_000);
    const fit = fitBatch(batch([message('1'), message('2', { text: long }), { ...message('3'), key: '' }, message('4', { author: { id: 'u', name: 'n'.repeat(600), handle: '' } })]));
    expect(fit.batch.messages.map((m) => [m.key, m.shortened ?? false])).toEqual([
      ['fb_comment:1', false],
      ['fb_comment:2', true],
      ['fb_comment:4', true],
    ]);
    expect(fit.setAside.map((s) => s.reason)).toEqual(['key:missing']);
    // A cut name has no "full text" to keep: only the text does.
    expect(fit.fullTexts).toEqual([{ key: 'fb_comment:2', accountId: 'fb:1', text: long }]);
  });
});

describe('OverflowStore', () => {
  it('keeps a full text for getFullText, per key and account', async () => {
    const dir = await tmp();
    const store = new OverflowStore(dir);
    const long = 'x'.repeat(200_000);
    const fit = fitBatch(batch([message('1', { text: long })]));
    await store.keep(batch([]), fit, 1);
    expect(await store.fullText('fb_comment:1')).toBe(long);
    expect(await store.fullText('fb_comment:1', 'fb:1')).toBe(long);
    expect(await store.fullText('fb_comment:1', 'fb:2')).toBeUndefined();
    expect(await store.fullText('fb_comment:9')).toBeUndefined();
    // Through the command, from a store made again on the same folder (a restart).
    const again = new OverflowStore(dir);
    expect(await getFullText(again, { key: 'fb_comment:1' })).toEqual({ ok: true, value: { text: long } });
    expect(await getFullText(again, { key: 'fb_comment:9' })).toEqual({ ok: false, error: { kind: 'targetGone' } });
  });

  it('bounds the full texts kept: the oldest go first', async () => {
    const dir = await tmp();
    const store = new OverflowStore(dir, { ...OVERFLOW_LIMITS, fullTextTotalMax: 350_000 });
    for (const id of ['1', '2', '3']) {
      await store.keep(batch([]), fitBatch(batch([message(id, { text: id.repeat(150_000) })])), Number(id));
      // Apart in time, so that a store reading the folder again sees which is older.
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(await store.fullText('fb_comment:1')).toBeUndefined();
    expect(await store.fullText('fb_comment:2')).toBe('2'.repeat(150_000));
    expect(await store.fullText('fb_comment:3')).toBe('3'.repeat(150_000));
    expect(await readdir(path.join(dir, 'full-text'))).toHaveLength(2);
    // A store that starts on the folder again counts what is there.
    const again = new OverflowStore(dir, { ...OVERFLOW_LIMITS, fullTextTotalMax: 350_000 });
    await again.keep(batch([]), fitBatch(batch([message('4', { text: '4'.repeat(150_000) })])), 4);
    expect(await again.fullText('fb_comment:2')).toBeUndefined();
    expect(await again.fullText('fb_comment:4')).toBeDefined();
  });

  it('writes set-aside messages to set-aside.jsonl with their raw JSON cut, and bounds the file', async () => {
    const dir = await tmp();
    const limits = { ...OVERFLOW_LIMITS, setAsideRawMax: 1000, setAsideFileMax: 20_000 };
    const store = new OverflowStore(dir, limits);
    const bad = { ...message('1'), channel: 'x_fleet', text: 'y'.repeat(5000) };
    await store.keep(batch([]), fitBatch(batch([bad])), 7);
    const file = path.join(dir, 'set-aside.jsonl');
    const [line] = (await readFile(file, 'utf8')).split('\n');
    const entry = JSON.parse(line!) as { at: number; streamId: string; batchId: string; reason: string; raw: string };
    expect(entry).toMatchObject({ at: 7, streamId: 'fb:1/comments', batchId: 'b1', reason: 'channel:invalid' });
    expect(entry.raw).toHaveLength(1000);
    expect(entry.raw.startsWith('{"key":"fb_comment:1"')).toBe(true);
    for (let i = 0; i < 60; i++) await store.keep({ batchId: `b${i + 2}`, streamId: 's' }, fitBatch(batch([bad])), 8 + i);
    expect((await stat(file)).size).toBeLessThanOrEqual(20_000);
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    // The newest are kept, every line whole.
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ batchId: 'b61', at: 67 });
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
  });
});
