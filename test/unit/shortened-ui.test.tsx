import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandName, Status } from '../../shared/contract';
import { fitMessage } from '../../shared/fitMessage';
import type { Account, Message, StreamStatus } from '../../shared/model';
import type { HostApi } from '../../renderer/src/api/host';
import { SetAside } from '../../renderer/src/health/SetAside';
import { HealthView } from '../../renderer/src/health/HealthView';
import { initI18n } from '../../renderer/src/i18n/index';
import { fetchFullText, ShortenedControls, ShortenedMark, textWasCut, type FullText } from '../../renderer/src/text/Shortened';

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

function fitted(over: Partial<Message> = {}): Message {
  const r = fitMessage({
    key: 'fb_comment:1_2',
    platformId: '1_2',
    channel: 'fb_comment',
    accountId: 'fb:1',
    conversationId: '1_2',
    author: { id: '42', name: 'Els de Vries', handle: '' },
    text: 'Waar blijft mijn pakket?',
    createdAt: Date.now() - 60_000,
    fromUs: false,
    ...over,
  });
  if ('setAside' in r) throw new Error(r.setAside);
  return r.message;
}

const noop = () => undefined;
const controls = (m: Message, state: FullText = { kind: 'idle' }) =>
  renderToStaticMarkup(<ShortenedControls message={m} full={{ state, show: noop, hide: noop, text: state.kind === 'shown' ? state.text : undefined }} />);

describe('the shortened mark', () => {
  it('says "Shortened", with what it means as its title', () => {
    const html = renderToStaticMarkup(<ShortenedMark />);
    expect(html).toContain('data-testid="shortened-mark"');
    expect(text(html)).toBe('Shortened');
    expect(html).toContain('title="Longer than the console stores');
  });

  it('in the thread: a note and "Show full text" when the text was cut', () => {
    const m = fitted({ text: 'x'.repeat(200_000) });
    expect(textWasCut(m)).toBe(true);
    const html = controls(m);
    expect(html).toContain('data-testid="shortened-mark"');
    expect(text(html)).toBe('ShortenedShortened: this message was longer than the console stores.Show full text');
    expect(html).toContain('data-testid="show-full-text"');
  });

  it('while loading, when shown, and when the host no longer has it', () => {
    const m = fitted({ text: 'x'.repeat(200_000) });
    expect(controls(m, { kind: 'loading' })).toMatch(/<button[^>]*disabled=""[^>]*>Loading the full text…<\/button>/);
    expect(text(controls(m, { kind: 'shown', text: 'x'.repeat(200_001) }))).toContain('Show shortened text');
    expect(text(controls(m, { kind: 'gone' }))).toContain('Show full textThe full text is no longer kept.');
    expect(text(controls(m, { kind: 'failed' }))).toContain('The full text could not be loaded. Try again.');
  });

  it('in the thread: no "Show full text" when only the name was cut (there is no longer text)', () => {
    const m = fitted({ author: { id: '42', name: 'N'.repeat(600), handle: '' } });
    expect(m.shortened).toBe(true);
    expect(textWasCut(m)).toBe(false);
    const html = controls(m);
    expect(html).toContain('data-testid="shortened-mark"');
    expect(html).not.toContain('show-full-text');
  });

  it('in Dutch', async () => {
    await i18next.changeLanguage('nl');
    try {
      expect(text(renderToStaticMarkup(<ShortenedMark />))).toBe('Ingekort');
      expect(text(controls(fitted({ text: 'x'.repeat(200_000) })))).toBe('IngekortIngekort: dit bericht was langer dan de console bewaart.Hele tekst tonen');
    } finally {
      await i18next.changeLanguage('en');
    }
  });
});

describe('fetchFullText', () => {
  it('asks the host for the text of that message and account', async () => {
    const calls: Array<[CommandName, unknown]> = [];
    const host = {
      call: ((name: CommandName, input: unknown) => {
        calls.push([name, input]);
        return Promise.resolve({ ok: true, value: { text: 'de hele tekst' } });
      }) as HostApi['call'],
    };
    expect(await fetchFullText(host, { key: 'fb_comment:1_2', accountId: 'fb:1' })).toEqual({ kind: 'shown', text: 'de hele tekst' });
    expect(calls).toEqual([['getFullText', { accountId: 'fb:1', key: 'fb_comment:1_2' }]]);
  });

  it('says when the host no longer keeps it, or could not be asked', async () => {
    const gone = { call: (() => Promise.resolve({ ok: false, error: { kind: 'targetGone' } })) as HostApi['call'] };
    const offline = { call: (() => Promise.resolve({ ok: false, error: { kind: 'offline' } })) as HostApi['call'] };
    const broken = { call: (() => Promise.reject(new Error('closed'))) as HostApi['call'] };
    const m = { key: 'k', accountId: 'a' };
    expect(await fetchFullText(gone, m)).toEqual({ kind: 'gone' });
    expect(await fetchFullText(offline, m)).toEqual({ kind: 'failed' });
    expect(await fetchFullText(broken, m)).toEqual({ kind: 'failed' });
  });
});

describe('messages set aside in the health view', () => {
  const NOW = Date.now();
  const account: Account = { id: 'fb:1', platform: 'facebook', platformUserId: '1', name: 'Polderpost', handle: '', state: 'connected', sandbox: true, granted: [], missing: [] };
  const stream = (extra: Partial<StreamStatus> = {}): StreamStatus => ({ id: 'fb:1/comments', accountId: 'fb:1', kind: 'fb_comments', delivered: 0, itemsToday: 0, costTodayUsd: 0, ...extra });
  const aside = { count: 3, lastReason: 'author.id:tooLong', lastAt: NOW - 5 * 60_000 };
  const name = () => 'Comments';

  it('per stream: how many, the last reason in words, and when', () => {
    const html = renderToStaticMarkup(<SetAside streams={[stream({ setAside: aside }), stream({ id: 'fb:1/messenger', kind: 'fb_messages' })]} accounts={[account]} streamName={name} now={NOW} />);
    const lines = [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => text(m[1] as string));
    expect(lines).toEqual([`Polderpost · Comments: 3 messages set aside (last: author.id too long, ${new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' }).format(-5, 'minute')})`]);
    expect(html).toContain('data-stream-id="fb:1/comments"');
  });

  it('one, in Dutch; an unknown reason as it is', async () => {
    await i18next.changeLanguage('nl');
    try {
      const html = renderToStaticMarkup(<SetAside streams={[stream({ setAside: { ...aside, count: 1, lastReason: 'odd' } })]} accounts={[account]} streamName={name} now={NOW} />);
      expect(text(html)).toContain('1 bericht apart gezet (laatste: odd,');
      expect(text(html)).toContain('Apart gezette berichten');
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('nothing when nothing was set aside', () => {
    expect(renderToStaticMarkup(<SetAside streams={[stream()]} accounts={[account]} streamName={name} now={NOW} />)).toBe('');
  });

  it('in the health view, under the table', () => {
    const status: Status = {
      accounts: [account],
      streams: [stream({ setAside: aside })],
      online: true,
      shell: 'browser',
      vault: { encrypted: true, plaintextAllowed: false },
      xSignIn: 'sandbox',
      signIn: { pending: false },
    };
    const html = renderToStaticMarkup(<HealthView status={status} />);
    expect(html.indexOf('data-testid="health-set-aside"')).toBeGreaterThan(html.indexOf('</table>'));
    expect(text(html)).toContain('Polderpost · Comments: 3 messages set aside (last: author.id too long');
  });
});
