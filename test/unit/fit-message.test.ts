import { describe, expect, it } from 'vitest';
import { codePointLength, cutAt, fitMessage, invalidReason, rawPreview, type Fitted } from '../../shared/fitMessage';
import { MessageSchema, type Message } from '../../shared/model';

function message(over: Record<string, unknown> = {}, author: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: 'fb_comment:1_2',
    platformId: '1_2',
    channel: 'fb_comment',
    accountId: 'fb:1',
    conversationId: '1_2',
    author: { id: '42', name: 'Els de Vries', handle: '', ...author },
    text: 'Waar blijft mijn pakket?',
    createdAt: 1_760_000_000_000,
    fromUs: false,
    ...over,
  };
}

function fitted(r: Fitted): Extract<Fitted, { message: Message }> {
  if ('setAside' in r) throw new Error(`set aside: ${r.setAside}`);
  expect(MessageSchema.safeParse(r.message).success).toBe(true);
  return r;
}

const TEXT_MAX = 100_000;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;

describe('fitMessage', () => {
  it('passes a valid message through unchanged and unmarked', () => {
    const r = fitted(fitMessage(message()));
    expect(r.message).toEqual(message());
    expect(r.shortened).toEqual([]);
    expect(r.message.shortened).toBeUndefined();
  });

  it('keeps what the team and the streams added when it has to shorten (who wrote it, its department, every stream that found it)', () => {
    const extras = { by: 'Anna', department: 'billing', foundBy: ['mentions', 'search:s1'] };
    const r = fitted(fitMessage(message({ text: 'x'.repeat(200_000), ...extras })));
    expect(r.message).toMatchObject(extras);
  });

  it.each([
    ['a 200 kB text', { text: 'x'.repeat(200_000) }, {}, 'text', 200_000, TEXT_MAX],
    ['a 600-character display name', {}, { name: 'N'.repeat(600) }, 'author.name', 600, 500],
    ['a 3,000-character handle', {}, { handle: 'h'.repeat(3000) }, 'author.handle', 3000, 100],
  ] as const)('cuts %s to exactly its schema limit and marks it', (_what, over, author, field, fullLength, max) => {
    const r = fitted(fitMessage(message(over, author)));
    expect(r.shortened).toEqual([{ field, fullLength }]);
    expect(r.message.shortened).toBe(true);
    const value = field === 'text' ? r.message.text : field === 'author.name' ? r.message.author.name : r.message.author.handle;
    expect(value).toHaveLength(max);
    // Nothing else of the message changed.
    expect({ ...r.message, shortened: undefined, text: 'T', author: { ...r.message.author, name: 'N', handle: 'H' } }).toEqual({
      ...message(),
      shortened: undefined,
      text: 'T',
      author: { ...(message().author as object), name: 'N', handle: 'H' },
    });
  });

  it('counts as the schema does, in code points: an emoji is one, and is never split at the cut', () => {
    // 100,000 code points in 100,001 units: valid as it is.
    const fits = 'a'.repeat(TEXT_MAX - 1) + '😀';
    expect(fitted(fitMessage(message({ text: fits }))).message.text).toBe(fits);
    // One more: the emoji is the 100,000th code point and stays whole, what follows goes.
    const r = fitted(fitMessage(message({ text: 'a'.repeat(TEXT_MAX - 1) + '😀😀' })));
    expect(r.message.text).toBe(fits);
    expect(r.shortened).toEqual([{ field: 'text', fullLength: TEXT_MAX + 1 }]);
    // Emoji all the way: 100,000 of them, 200,000 units.
    const emoji = fitted(fitMessage(message({ text: '👍'.repeat(TEXT_MAX + 5) }))).message.text;
    expect(emoji).toBe('👍'.repeat(TEXT_MAX));
  });

  it('never ends a cut on a lone high surrogate; a lone low surrogate is a whole (if broken) code point', () => {
    const loneHigh = 'a'.repeat(TEXT_MAX - 1) + '\uD83D' + 'zz';
    const a = fitted(fitMessage(message({ text: loneHigh }))).message.text;
    expect(a).toBe('a'.repeat(TEXT_MAX - 1));
    expect(isHigh(a.charCodeAt(a.length - 1))).toBe(false);
    const loneLow = 'a'.repeat(TEXT_MAX - 1) + '\uDE00' + 'zz';
    expect(fitted(fitMessage(message({ text: loneLow }))).message.text).toBe('a'.repeat(TEXT_MAX - 1) + '\uDE00');
    // A high surrogate right before a pair at the cut: the lone one stays (it is whole), the pair is not split.
    const before = 'a'.repeat(TEXT_MAX - 2) + '\uD800' + '😀' + 'zz';
    expect(fitted(fitMessage(message({ text: before }))).message.text).toBe('a'.repeat(TEXT_MAX - 2) + '\uD800😀');
    // In a name too: a thumbs-up with a skin tone is two code points; the cut keeps the first.
    const name = fitted(fitMessage(message({}, { name: 'n'.repeat(499) + '👍🏽' }))).message.author.name;
    expect(name).toBe('n'.repeat(499) + '👍');
  });

  it.each([
    ['a missing id', { platformId: undefined }, 'platformId:missing'],
    ['a missing key', { key: undefined }, 'key:missing'],
    ['an empty key', { key: '' }, 'key:missing'],
    ['an over-long key', { key: 'k'.repeat(301) }, 'key:tooLong'],
    ['an unknown channel', { channel: 'x_fleet' }, 'channel:invalid'],
    ['an over-long thread id', { conversationId: '9'.repeat(201) }, 'conversationId:tooLong'],
    ['no author', { author: undefined }, 'author:missing'],
    ['an author without id', { author: { name: 'A', handle: '' } }, 'author.id:missing'],
    ['a text that is not a string', { text: 12 }, 'text:invalid'],
    ['no time', { createdAt: undefined }, 'createdAt:missing'],
    ['a time that is no number', { createdAt: Number.NaN }, 'createdAt:invalid'],
    ['an over-long search id', { searchId: 's'.repeat(101) }, 'searchId:tooLong'],
  ])('sets aside a message with %s', (_what, over, why) => {
    expect(fitMessage(message(over))).toEqual({ setAside: why });
  });

  it('sets aside what is not a message at all', () => {
    for (const raw of [null, undefined, 'text', 12, [message()]]) expect(fitMessage(raw)).toEqual({ setAside: 'message:invalid' });
  });

  it('leaves out broken optional fields instead of setting the message aside', () => {
    const r = fitted(fitMessage(message({ url: `https://x.com/${'a'.repeat(3000)}`, lang: 'nl'.repeat(20), inReplyToId: '', summoned: 'yes', extra: 'x'.repeat(1e6) }, { avatarUrl: 7, followers: -1 })));
    expect(r.dropped.sort()).toEqual(['author.avatarUrl', 'author.followers', 'inReplyToId', 'lang', 'summoned', 'url']);
    expect(r.message).toEqual(message());
    expect(r.message.shortened).toBeUndefined();
  });

  it('keeps a mark already made, and takes a fractional time as whole milliseconds', () => {
    const r = fitted(fitMessage(message({ shortened: true, createdAt: 1_760_000_000_000.7 })));
    expect(r.message.shortened).toBe(true);
    expect(r.message.createdAt).toBe(1_760_000_000_000);
  });

  it('keeps NUL, RTL overrides and lone surrogates inside a text as they are', () => {
    const text = 'a\u0000b\u202Ec\uD800d\uDC00';
    expect(fitted(fitMessage(message({ text }))).message.text).toBe(text);
  });
});

describe('helpers', () => {
  it('cutAt cuts to a number of code points, on a code point boundary', () => {
    expect(cutAt('abc', 5)).toBe('abc');
    expect(cutAt('ab😀c', 2)).toBe('ab');
    expect(cutAt('ab😀c', 3)).toBe('ab😀');
    expect(cutAt('😀😀', 1)).toBe('😀');
    expect(cutAt('a\uD800b', 2)).toBe('a');
    expect(cutAt('😀', 0)).toBe('');
    expect(codePointLength('a😀\uD800\uDC00\uDC00b')).toBe(5);
  });

  it('rawPreview is bounded JSON and never throws', () => {
    expect(rawPreview({ a: 'x'.repeat(100) }, 20)).toBe('{"a":"xxxxxxxxxxxxxx');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(rawPreview(cyclic, 100)).toBe('[object Object]');
    expect(rawPreview(10n, 100)).toBe('10');
    expect(rawPreview(undefined, 100)).toBe('undefined');
  });

  it('invalidReason names the first field the schema refuses', () => {
    const raw = message({}, { name: 'n'.repeat(501) });
    const r = MessageSchema.safeParse(raw);
    expect(r.success).toBe(false);
    if (!r.success) expect(invalidReason(raw, r.error)).toBe('author.name:tooLong');
    const noKey = message({ key: undefined });
    const r2 = MessageSchema.safeParse(noKey);
    if (!r2.success) expect(invalidReason(noKey, r2.error)).toBe('key:missing');
  });
});
