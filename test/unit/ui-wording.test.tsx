import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectX } from '../../renderer/src/accounts/ConnectX';
import { AccountCard } from '../../renderer/src/accounts/AccountCard';
import { ReconnectNotice } from '../../renderer/src/connection/ReconnectBanner';
import { en } from '../../renderer/src/i18n/en';
import { initI18n } from '../../renderer/src/i18n/index';
import { nl } from '../../renderer/src/i18n/nl';
import { teamEn } from '../../renderer/src/i18n/team.en';
import { teamNl } from '../../renderer/src/i18n/team.nl';
import { wfEn, wfNl } from '../../renderer/src/i18n/wf';
import { insightEn, insightNl } from '../../renderer/src/i18n/insight';
import { ServicesContext, type Services } from '../../renderer/src/services';
import type { Status } from '../../shared/contract';
import type { Account } from '../../shared/model';

function strings(tree: unknown, path = ''): Array<[string, string]> {
  if (typeof tree === 'string') return [[path, tree]];
  if (tree && typeof tree === 'object') return Object.entries(tree).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}
const all = { en: [...strings(en), ...strings(teamEn, 'team'), ...strings(wfEn, 'wf'), ...strings(insightEn, 'insight')], nl: [...strings(nl), ...strings(teamNl, 'team'), ...strings(wfNl, 'wf'), ...strings(insightNl, 'insight')] };
const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
/** What an agent sees without opening "Details". */
const outsideDetails = (html: string) => text(html.replace(/<details[\s\S]*?<\/details>/g, ''));

const account = (over: Partial<Account> = {}): Account => ({
  id: 'x:1',
  platform: 'x',
  platformUserId: '1',
  name: 'Polderpost',
  handle: 'polderpost',
  state: 'connected',
  sandbox: false,
  granted: ['tweet.read', 'users.read'],
  missing: [],
  ...over,
});
const status = (accounts: Account[], over: Partial<Status> = {}): Status => ({
  accounts,
  streams: [],
  online: true,
  shell: 'browser',
  vault: { encrypted: true, plaintextAllowed: false },
  xSignIn: 'unavailable',
  signIn: { pending: false },
  ...over,
});
const services = { host: { call: () => Promise.resolve({ ok: false }) }, db: {}, status: { get: () => null, subscribe: () => () => undefined } } as unknown as Services;
const inServices = (node: React.ReactNode) => renderToStaticMarkup(<ServicesContext.Provider value={services}>{node}</ServicesContext.Provider>);

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

describe('wording an agent sees', () => {
  it.each(['en', 'nl'] as const)('no raw Markdown backticks in any %s string', (lng) => {
    expect(all[lng].filter(([, s]) => s.includes('`')).map(([k]) => k)).toEqual([]);
  });

  it('Dutch says "oefenomgeving", never "sandbox" as well', () => {
    expect(all.nl.filter(([, s]) => /sandbox/i.test(s)).map(([k]) => k)).toEqual([]);
  });

  it.each(['en', 'nl'] as const)('the accounts screen keeps environment variables, PKCE and permission names under Details (%s)', async (lng) => {
    await i18next.changeLanguage(lng);
    try {
      const connect = inServices(<ConnectX status={status([])} />);
      expect(connect).toContain('<details');
      expect(text(connect)).toContain('WEBCARE_X_CLIENT_ID');
      expect(outsideDetails(connect)).not.toMatch(/WEBCARE_|PKCE|OAuth|callback/);
      const st = status([account()]);
      const card = inServices(<AccountCard account={account()} status={st} />);
      expect(text(card)).toContain('tweet.read');
      expect(outsideDetails(card)).not.toContain('tweet.read');
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('a banner names the accounts that need reconnecting, and leads to them', async () => {
    expect(renderToStaticMarkup(<ReconnectNotice status={status([account()])} />)).toBe('');
    const html = renderToStaticMarkup(
      <ReconnectNotice status={status([account({ state: 'reconnect' }), account({ id: 'facebook:2', platform: 'facebook', name: 'Polderpost NL', handle: '', state: 'reconnect' }), account({ id: 'x:3', handle: 'ok' })])} />,
    );
    expect(text(html)).toContain('@polderpost on X, Polderpost NL on Facebook need reconnecting');
    expect(html).toContain('role="alert"');
    expect(text(html)).toContain('Reconnect in Accounts');
    await i18next.changeLanguage('nl');
    try {
      expect(text(renderToStaticMarkup(<ReconnectNotice status={status([account({ state: 'reconnect' })])} />))).toContain('@polderpost op X moet opnieuw gekoppeld worden');
    } finally {
      await i18next.changeLanguage('en');
    }
  });
});
