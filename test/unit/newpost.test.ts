import { describe, expect, it } from 'vitest';
import type { AppError, PostEntry } from '../../shared/contract';
import { afterPostAttempt, cancellable, checkPost, composePost, countPost, duePosts, editable, FB_POST_LIMIT, isDue, nextWake, postBackoffMs, postMediaLimit, POST_WAIT_MS } from '../../shared/newPost';
import { mayPublish, parseClock, postBlockReason, scheduleMoment, sortPosts, suggestedMoment, textOfParts } from '../../renderer/src/newpost/logic';

const PNG = { mimeType: 'image/png' as const, dataBase64: 'iVBORw0KGgo=' };
const GIF = { mimeType: 'image/gif' as const, dataBase64: 'R0lGODlh' };
const NOW = Date.UTC(2026, 11, 3, 9, 0);

describe('counting and splitting a new post', () => {
  it.each([
    ['x', 'a'.repeat(280), 280, 280],
    ['x', 'https://polderpost.nl/storing-in-utrecht-en-omgeving', 23, 280],
    ['x', '😀', 2, 280],
    ['facebook', 'a'.repeat(1000), 1000, FB_POST_LIMIT],
    ['facebook', '😀', 2, FB_POST_LIMIT],
  ] as const)('%s: %j counts %i of %i', (platform, text, length, limit) => {
    expect(countPost(platform, text)).toMatchObject({ length, limit });
  });

  it('the signature counts inside the limit; an over-long X post splits only when asked, a Page post never', () => {
    const text = 'Storing in regio Utrecht. '.repeat(12);
    expect(composePost(text, 'x', '^GvA', false)).toMatchObject({ threaded: false, parts: [`${text.trimEnd()} ^GvA`] });
    const split = composePost(text, 'x', '^GvA', true);
    expect(split.threaded).toBe(true);
    expect(split.parts.length).toBeGreaterThan(1);
    expect(split.parts.at(-1)).toMatch(/\^GvA \d+\/\d+$/);
    for (const p of split.parts) expect(countPost('x', p).length).toBeLessThanOrEqual(280);
    expect(composePost(text, 'facebook', '^GvA', true)).toMatchObject({ threaded: false });
    expect(composePost('   ', 'x', '^GvA', true).parts).toEqual([]);
  });

  it('a thread of more than 25 parts is refused as too many', () => {
    expect(composePost('woord '.repeat(2000), 'x', '', true).splitRefused).toEqual({ reason: 'tooManyParts' });
  });
});

describe('checkPost (the host checks what the box showed)', () => {
  it.each<[string, Parameters<typeof checkPost>, AppError['kind'] | null]>([
    ['a short X post', ['x', ['Storing']], null],
    ['an X thread', ['x', ['deel 1/2', 'deel 2/2']], null],
    ['a thread on a Page', ['facebook', ['a', 'b']], 'invalidInput'],
    ['an X part over 280', ['x', ['a'.repeat(281)]], 'tooLong'],
    ['a Page post of 63,206', ['facebook', ['a'.repeat(FB_POST_LIMIT)]], null],
    ['a Page post one over', ['facebook', ['a'.repeat(FB_POST_LIMIT + 1)]], 'tooLong'],
    ['nothing', ['x', []], 'empty'],
    ['blank', ['x', ['  ']], 'empty'],
    ['only an image', ['x', [''], [PNG]], null],
    ['a blank second part, with an image', ['x', ['', ' '], [PNG]], 'empty'],
    ['four images on X', ['x', ['a'], [PNG, PNG, PNG, PNG]], null],
    ['five images on X', ['x', ['a'], [PNG, PNG, PNG, PNG, PNG]], 'invalidInput'],
    ['a GIF with another image', ['x', ['a'], [GIF, PNG]], 'invalidInput'],
    ['two images on a Page', ['facebook', ['a'], [PNG, PNG]], 'invalidInput'],
  ])('%s', (_name, args, kind) => {
    expect(checkPost(...args)?.kind ?? null).toBe(kind);
  });

  it('image limits follow the reply rules', () => {
    expect(postMediaLimit('x')).toBe(4);
    expect(postMediaLimit('x', [GIF])).toBe(1);
    expect(postMediaLimit('facebook')).toBe(1);
  });
});

const entry = (p: Partial<PostEntry>): PostEntry => ({
  clientId: crypto.randomUUID(),
  accountId: 'x:1',
  platform: 'x',
  parts: ['a'],
  mediaCount: 0,
  mediaAlts: [],
  at: NOW,
  scheduled: true,
  createdAt: NOW - 1000,
  state: 'scheduled',
  sentParts: 0,
  attempts: 0,
  ...p,
});

describe('the schedule', () => {
  it.each<[string, Partial<PostEntry>, number, boolean]>([
    ['scheduled, before its time', { at: NOW + 1 }, NOW, false],
    ['scheduled, at its time', { at: NOW }, NOW, true],
    ['scheduled, its time passed while stopped', { at: NOW - 3600_000 }, NOW, true],
    ['waiting for a rate limit', { at: NOW - 10, nextAttemptAt: NOW + 5000 }, NOW, false],
    ['unknown, to be looked for', { state: 'unknown', at: NOW - 10 }, NOW, true],
    ['sending', { state: 'sending', at: NOW - 10 }, NOW, false],
    ['sent', { state: 'sent', at: NOW - 10 }, NOW, false],
    ['failed: the agent decides', { state: 'failed', at: NOW - 10 }, NOW, false],
  ])('%s → due %s', (_n, p, now, due) => {
    expect(isDue(entry(p), now)).toBe(due);
  });

  it('the earliest goes first; the next wake-up is the soonest waiting post', () => {
    const late = entry({ at: NOW - 10, createdAt: 1 });
    const early = entry({ at: NOW - 1000, createdAt: 2 });
    const later = entry({ at: NOW + 60_000 });
    expect(duePosts([late, later, early], NOW).map((p) => p.clientId)).toEqual([early.clientId, late.clientId]);
    expect(nextWake([later, entry({ state: 'sent', at: NOW - 5 })])).toBe(NOW + 60_000);
    expect(nextWake([entry({ state: 'failed' })])).toBeNull();
  });

  it.each<[AppError, PostEntry['state'], number | undefined]>([
    [{ kind: 'sendUnknown' }, 'unknown', NOW + postBackoffMs(1)],
    [{ kind: 'sendUnknown', resetAt: NOW + 600_000 }, 'unknown', NOW + 600_000],
    [{ kind: 'offline' }, 'scheduled', NOW + postBackoffMs(1)],
    [{ kind: 'rateLimited', resetAt: NOW + 900_000 }, 'scheduled', NOW + 900_000],
    [{ kind: 'rateLimited' }, 'scheduled', NOW + 60_000],
    [{ kind: 'reconnectNeeded' }, 'scheduled', NOW + POST_WAIT_MS],
    [{ kind: 'creditsDepleted' }, 'scheduled', NOW + POST_WAIT_MS],
    [{ kind: 'duplicate' }, 'failed', undefined],
    [{ kind: 'tooLong', limit: 280 }, 'failed', undefined],
    [{ kind: 'permissionMissing' }, 'failed', undefined],
    [{ kind: 'unknownAccount' }, 'failed', undefined],
    [{ kind: 'platform', status: 400, detail: 'x' }, 'failed', undefined],
  ])('after %j: %s until %s', (error, state, next) => {
    expect(afterPostAttempt({ attempts: 1 }, error, NOW)).toEqual({ state, error, nextAttemptAt: next });
  });

  it('only a post nothing of which went out can be edited; one on its way or maybe out cannot be cancelled', () => {
    expect(editable({ state: 'scheduled', sentParts: 0 })).toBe(true);
    expect(editable({ state: 'failed', sentParts: 0 })).toBe(true);
    expect(editable({ state: 'scheduled', sentParts: 1 })).toBe(false);
    expect(editable({ state: 'unknown', sentParts: 0 })).toBe(false);
    expect(cancellable({ state: 'sending' })).toBe(false);
    expect(cancellable({ state: 'unknown' })).toBe(false);
    expect(cancellable({ state: 'sent' })).toBe(false);
    expect(cancellable({ state: 'failed' })).toBe(true);
  });
});

describe('the new-post box', () => {
  const x = { platform: 'x' as const, granted: ['tweet.write'], state: 'connected' as const };
  const page = { platform: 'facebook' as const, granted: ['MODERATE', 'MESSAGING', 'CREATE_CONTENT'], state: 'connected' as const };
  const ok = composePost('Storing', 'x', '', false);

  it.each<[string, Parameters<typeof postBlockReason>[0], string | null]>([
    ['no account chosen', { account: undefined, composed: ok, media: { count: 0, max: 4 }, now: NOW }, 'noAccount'],
    ['an account to reconnect', { account: { ...x, state: 'reconnect' }, composed: ok, media: { count: 0, max: 4 }, now: NOW }, 'reconnect'],
    ['a Page without CREATE_CONTENT', { account: { ...page, granted: ['MODERATE', 'MESSAGING'] }, composed: ok, media: { count: 0, max: 1 }, now: NOW }, 'cannotPublish'],
    ['empty', { account: x, composed: composePost('', 'x', '', false), media: { count: 0, max: 4 }, now: NOW }, 'empty'],
    ['only an image', { account: x, composed: composePost('', 'x', '', false), media: { count: 1, max: 4 }, now: NOW }, null],
    ['too long, not split', { account: x, composed: composePost('a'.repeat(300), 'x', '', false), media: { count: 0, max: 4 }, now: NOW }, 'tooLong'],
    ['too long, split', { account: x, composed: composePost('woord '.repeat(60), 'x', '', true), media: { count: 0, max: 4 }, now: NOW }, null],
    ['too many images', { account: page, composed: ok, media: { count: 2, max: 1 }, now: NOW }, 'tooManyMedia'],
    ['a time that cannot be read', { account: x, composed: ok, media: { count: 0, max: 4 }, schedule: { at: null }, now: NOW }, 'timeInvalid'],
    ['a time that passed', { account: x, composed: ok, media: { count: 0, max: 4 }, schedule: { at: NOW - 1 }, now: NOW }, 'timePast'],
    ['more than a year ahead', { account: x, composed: ok, media: { count: 0, max: 4 }, schedule: { at: NOW + 400 * 86_400_000 }, now: NOW }, 'timeTooFar'],
    ['a time ahead', { account: x, composed: ok, media: { count: 0, max: 4 }, schedule: { at: NOW + 60_000 }, now: NOW }, null],
  ])('%s → %s', (_n, o, reason) => {
    expect(postBlockReason(o)).toBe(reason);
  });

  it.each([
    ['07:30', [7, 30, 0]],
    ['7:5', [7, 5, 0]],
    ['14.05', [14, 5, 0]],
    ['23:59:30', [23, 59, 30]],
    ['24:00', null],
    ['7 uur', null],
    ['', null],
  ] as const)('the clock %j reads as %j', (text, parsed) => {
    expect(parseClock(text)).toEqual(parsed);
  });

  it('a date and a clock are a local moment; the first suggestion is a quarter at least 30 minutes ahead', () => {
    expect(scheduleMoment('2026-12-03', '07:30')).toBe(new Date(2026, 11, 3, 7, 30).getTime());
    expect(scheduleMoment('2026-02-30', '07:30')).not.toBeNull();
    expect(scheduleMoment('', '07:30')).toBeNull();
    const s = suggestedMoment(NOW + 1);
    expect(s % (15 * 60_000)).toBe(0);
    expect(s - NOW).toBeGreaterThanOrEqual(30 * 60_000);
  });

  it('a Page whose tasks are unknown may try (Graph decides); X always may', () => {
    expect(mayPublish({ platform: 'facebook', granted: [] })).toBe(true);
    expect(mayPublish({ platform: 'x', granted: [] })).toBe(true);
  });

  it('a post taken back: the thread joined without numbering or signature', () => {
    expect(textOfParts(['Storing in Utrecht, 1/2', 'pakketten later ^GvA 2/2'], '^GvA')).toBe('Storing in Utrecht, pakketten later');
    expect(textOfParts(['Storing ^GvA'], '^GvA')).toBe('Storing');
    expect(textOfParts(['Storing ^GvA'], '')).toBe('Storing ^GvA');
  });

  it('waiting posts soonest first, sent ones newest first', () => {
    const a = entry({ at: NOW + 2 });
    const b = entry({ at: NOW + 1 });
    const s1 = entry({ state: 'sent', sent: { platformId: '1', at: NOW - 10 } });
    const s2 = entry({ state: 'sent', sent: { platformId: '2', at: NOW - 5 } });
    const { waiting, sent } = sortPosts([a, s1, b, s2]);
    expect(waiting).toEqual([b, a]);
    expect(sent).toEqual([s2, s1]);
  });
});
