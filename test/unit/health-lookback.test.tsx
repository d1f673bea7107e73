import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthView } from '../../renderer/src/health/HealthView';
import { initI18n } from '../../renderer/src/i18n/index';
import type { Status } from '../../shared/contract';
import type { StreamStatus } from '../../shared/model';

const stream = (over: Partial<StreamStatus>): StreamStatus => ({ id: 'fb1:comments', accountId: 'fb1', kind: 'fb_comments', delivered: 0, itemsToday: 0, costTodayUsd: 0, ...over });
const status = (streams: StreamStatus[]): Status => ({
  accounts: [],
  streams,
  online: true,
  shell: 'browser',
  vault: { encrypted: true, plaintextAllowed: false },
  xSignIn: 'sandbox',
  signIn: { pending: false },
});
const text = (html: string) => html.replace(/<[^>]*>/g, ' ');

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

describe('how far back comments are looked for', () => {
  it('is said under the comments stream, in English and Dutch', async () => {
    const view = status([stream({ lookbackDays: 28 }), stream({ id: 'fb1:messenger', kind: 'fb_messages' })]);
    let html = renderToStaticMarkup(<HealthView status={view} />);
    expect(text(html)).toContain('on posts of the last 28 days');
    expect(html.match(/data-testid="health-lookback"/g)).toHaveLength(1);
    await i18next.changeLanguage('nl');
    html = renderToStaticMarkup(<HealthView status={view} />);
    expect(text(html)).toContain('op posts van de laatste 28 dagen');
  });
});
