import { describe, expect, it } from 'vitest';
import {
  CannedReplySchema,
  fillTemplate,
  searchCanned,
  unknownVariables,
  validateCanned,
  variantFor,
  VARIABLES,
  withSignature,
  type CannedReply,
} from '../../shared/canned';
import { countText } from '../../shared/textLength';
import { STARTER_SET } from '../../renderer/src/canned/starter';

const reply = (body: string, variants: CannedReply['variants'] = {}) => ({ body, variants });

describe('canned replies: filling variables', () => {
  it('fills values, else the fallback, else nothing', () => {
    const t = 'Hoi {{customer.name|daar}}, groet {{agent.name}} ({{department}}) {{ticket|}}';
    expect(fillTemplate(t, { 'customer.name': 'Els', 'agent.name': 'Gert', department: 'Bezorging' }, 'x_mention')).toBe('Hoi Els, groet Gert (Bezorging)');
    expect(fillTemplate(t, {}, 'x_mention')).toBe('Hoi daar, groet ()');
    expect(fillTemplate('{{ customer.name | there }}', { 'customer.name': '  ' }, 'fb_comment')).toBe('there');
  });

  it('shortens a value to its longest allowed length without splitting an emoji', () => {
    const long = '👩‍👩‍👧'.repeat(40);
    const out = fillTemplate('{{customer.name}}', { 'customer.name': long }, 'x_mention');
    expect(countText('x_mention', out).length).toBeLessThanOrEqual(VARIABLES['customer.name'].max);
    expect(long.startsWith(out)).toBe(true);
    expect(out.length % '👩‍👩‍👧'.length).toBe(0);
  });

  it('leaves unknown variables alone and reports them', () => {
    expect(fillTemplate('{{klant}}', {}, 'x_mention')).toBe('{{klant}}');
    expect(unknownVariables('{{klant}} {{customer.name}} {{klant}}')).toEqual(['klant']);
  });

  it('appends the signature after one space', () => {
    expect(withSignature('Groet  ', '^GvA')).toBe('Groet ^GvA');
    expect(withSignature('Groet', '  ')).toBe('Groet');
  });

  it('picks the channel variant, the formal one when asked, else the body', () => {
    const r = reply('body', { x: 'kort', formal: 'formeel' });
    expect(variantFor(r, 'x_mention')).toEqual({ key: 'x', text: 'kort' });
    expect(variantFor(r, 'fb_comment')).toEqual({ key: 'body', text: 'body' });
    expect(variantFor(r, 'fb_message', true)).toEqual({ key: 'formal', text: 'formeel' });
  });
});

describe('canned replies: validation on save (longest variables + signature)', () => {
  const name = VARIABLES['customer.name'].max;
  const initials = VARIABLES['agent.initials'].max;
  // "Hi " + name + "!" is 4 + max; the X limit is 280.
  const cases: Array<{ title: string; body: string; variants?: CannedReply['variants']; signature?: string; over: Array<[string, string, number]> }> = [
    { title: 'a short reply fits everywhere', body: 'Hi {{customer.name}}!', over: [] },
    { title: 'plain text at exactly 280 fits X', body: 'a'.repeat(280), over: [] },
    { title: 'plain text at 281 overflows X by 1 (mention and DM use different limits)', body: 'a'.repeat(281), over: [['body', 'x_mention', 1]] },
    {
      title: 'fits with a short name but not with the longest one',
      body: `${'a'.repeat(280 - 4 - 10)}{{customer.name}}`,
      over: [['body', 'x_mention', 280 - 4 - 10 + name - 280]],
    },
    { title: 'the fallback does not help: the value may be at its longest', body: `${'a'.repeat(270)}{{customer.name|x}}`, over: [['body', 'x_mention', 270 + name - 280]] },
    {
      title: 'the signature tips it over: 1 space + ^ + longest initials',
      body: 'a'.repeat(275),
      signature: '^{{agent.initials}}',
      over: [['body', 'x_mention', 275 + 2 + initials - 280]],
    },
    { title: 'an exact fit with the signature', body: 'a'.repeat(280 - 2 - initials), signature: '^{{agent.initials}}', over: [] },
    {
      title: 'the X variant is checked against X; the long body only against Facebook',
      body: 'b'.repeat(1500),
      variants: { x: 'kort {{ticket}}' },
      over: [],
    },
    {
      title: 'a long body without an X variant overflows X',
      body: 'b'.repeat(1500),
      over: [['body', 'x_mention', 1220]],
    },
    {
      title: 'the Facebook variant over Messenger’s 2000',
      body: 'ok',
      variants: { facebook: 'c'.repeat(2001) },
      over: [['facebook', 'fb_message', 1]],
    },
    {
      title: 'the formal variant may be used anywhere, so X applies',
      body: 'ok',
      variants: { formal: 'd'.repeat(300) },
      over: [['formal', 'x_mention', 20]],
    },
    {
      title: 'emoji count 2 and a link 23 on X',
      body: `${'😀'.repeat(129)} https://example.com/${'p'.repeat(100)}`,
      over: [['body', 'x_mention', 129 * 2 + 1 + 23 - 280]],
    },
  ];
  for (const c of cases) {
    it(c.title, () => {
      const problems = validateCanned(reply(c.body, c.variants ?? {}), c.signature ?? '');
      const over = problems.flatMap((p) => (p.kind === 'tooLong' ? [[p.variant, p.channel, p.over] as [string, string, number]] : []));
      expect(over).toEqual(c.over);
    });
  }

  it('refuses an unknown variable', () => {
    expect(validateCanned(reply('Hoi {{klant.naam}}'))).toEqual([{ kind: 'unknownVariable', variant: 'body', name: 'klant.naam' }]);
  });
});

describe('canned replies: the starter set and search', () => {
  it('every starter reply is valid, fits with a signature and exists in nl and en', () => {
    for (const r of STARTER_SET) {
      expect(CannedReplySchema.safeParse({ ...r, usage: 0, updatedAt: 0 }).success, r.id).toBe(true);
      expect(validateCanned(r, '^{{agent.initials}}'), r.id).toEqual([]);
    }
    expect(STARTER_SET.filter((r) => r.language === 'nl')).toHaveLength(5);
    expect(STARTER_SET.filter((r) => r.language === 'en')).toHaveLength(5);
  });

  it('finds by shortcut prefix first, then fuzzily, same language first', () => {
    const all = STARTER_SET.map((r) => ({ ...r, usage: 0 }));
    expect(searchCanned(all, 'kla', 'nl')[0]?.shortcut).toBe('klacht');
    expect(searchCanned(all, 'dm', 'en')[0]?.id).toBe('starter-dm-en');
    expect(searchCanned(all, 'dm', 'nl')[0]?.id).toBe('starter-dm-nl');
    expect(searchCanned(all, 'cmplnt', 'en')[0]?.shortcut).toBe('complaint');
    expect(searchCanned(all, 'zzzzqqq')).toEqual([]);
  });
});
