import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamErrorMessage } from '../../renderer/src/i18n/errors';
import { initI18n } from '../../renderer/src/i18n/index';
import { teamT } from '../../renderer/src/i18n/team';
import { teamEn } from '../../renderer/src/i18n/team.en';
import { teamNl } from '../../renderer/src/i18n/team.nl';
import { HealthView } from '../../renderer/src/health/HealthView';
import { AuditView, auditActionLabel } from '../../renderer/src/team/AuditDialog';
import { redactUrl } from '../../renderer/src/team/redact';
import { ServicesContext, type Services } from '../../renderer/src/services';
import { TeamBarView } from '../../renderer/src/team/TeamBar';
import { TeamSettingsView, teamSettingsInput } from '../../renderer/src/team/TeamSettings';
import { TeamErrorKindSchema, type TeamErrorKind, type TeamStatus } from '../../shared/team';
import type { Status } from '../../shared/contract';
import type { StreamStatus } from '../../shared/model';

/** What the agent reads: the markup's text, entities decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

const URL_SHOWN = 'postgres://anna@db.example:5432/webcare?sslmode=require';

function team(patch: Partial<TeamStatus> = {}): TeamStatus {
  return {
    state: 'online',
    url: URL_SHOWN,
    me: { login: 'anna', name: 'Anna de Wit', role: 'agent', departments: ['klantenservice', 'binnendienst'] },
    members: [
      { login: 'anna', name: 'Anna de Wit', role: 'agent', departments: [], presence: 'online' },
      { login: 'bram', name: 'Bram', role: 'agent', departments: [], presence: 'online' },
      { login: 'cees', name: 'Cees', role: 'lead', departments: [], presence: 'away' },
      { login: 'dirk', name: 'Dirk', role: 'specialist', departments: [], presence: 'offline' },
    ],
    claims: [],
    pollers: {},
    leading: [],
    keyNeeded: false,
    queued: 0,
    lostRaces: [],
    ...patch,
  };
}

const settings = (t: TeamStatus | null, waiting = 0) =>
  renderToStaticMarkup(<TeamSettingsView team={t} waiting={waiting} busy={false} error={null} onSubmit={async () => true} onOpenAudit={() => undefined} />);

async function inLanguage<T>(lng: 'en' | 'nl', fn: () => T): Promise<T> {
  await i18next.changeLanguage(lng);
  try {
    return fn();
  } finally {
    await i18next.changeLanguage('en');
  }
}

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

describe('the team URL is never shown with its password', () => {
  it.each([
    ['postgres://anna:geheim@db.example:5432/webcare?sslmode=require', URL_SHOWN],
    ['postgresql://anna:p%40ss:w@db/webcare', 'postgresql://anna@db/webcare'],
    ['postgres://anna@db/webcare?password=geheim&sslmode=require', 'postgres://anna@db/webcare?sslmode=require'],
    ['postgres://anna@db/webcare?sslmode=require&password=geheim', 'postgres://anna@db/webcare?sslmode=require'],
    [URL_SHOWN, URL_SHOWN],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('the settings show the URL as the host reports it, without a password even if one came along, and an empty field', () => {
    const html = settings(team({ url: 'postgres://anna:geheim@db.example:5432/webcare?sslmode=require' }));
    expect(html).not.toContain('geheim');
    expect(html).toMatch(new RegExp(`data-testid="team-url-current">${URL_SHOWN.replace(/[?.]/g, '\\$&')}<`));
    expect(html).toMatch(/data-testid="team-url" value=""/);
  });
});

describe('the team section of the settings', () => {
  it('solo: explains team mode and offers to connect; the key is tucked away for an admin', () => {
    const html = settings(null);
    expect(text(html)).toContain('Team mode lets several consoles work from one shared PostgreSQL database.');
    expect(html).toContain('data-testid="team-solo"');
    expect(html).not.toContain('data-testid="team-state"');
    expect(html).not.toContain('data-testid="team-leave"');
    expect(html).toMatch(/<details class="team-key-more"><summary>Also enter the team key \(admins\)<\/summary>/);
    expect(html).toMatch(/data-testid="team-connect">Connect</);
  });

  it('online: the state, who this console is, and what waits to be shared (this window and the host)', () => {
    const html = settings(team({ queued: 2 }), 1);
    expect(html).toContain('data-state="online"');
    expect(text(html)).toContain('Online: in step with the team. 3 actions wait to be shared.');
    expect(text(html)).toContain('Signed in as Anna de Wit (login anna), agent');
    expect(text(html)).toContain('Departments: klantenservice, binnendienst');
    expect(html).toContain('data-testid="team-leave"');
    // An agent neither needs the key field nor reads the audit trail.
    expect(html).not.toContain('data-testid="team-key"');
    expect(html).not.toContain('team-open-audit');
  });

  it('the key field: always for an admin, and with a notice when this console needs the key', () => {
    const admin = settings(team({ me: { login: 'root', name: 'Beheer', role: 'admin', departments: [] } }));
    expect(admin).toContain('data-testid="team-key"');
    expect(admin).toMatch(/type="password"[^>]*data-testid="team-key"/);
    expect(admin).toContain('team-open-audit');
    expect(text(admin)).toContain('Departments: all');
    const needed = settings(team({ keyNeeded: true }));
    expect(needed).toContain('data-testid="team-key"');
    expect(text(needed)).toContain('This console needs the team key before it can poll and send');
  });

  it('offline: works locally, with the reason', () => {
    const html = settings(team({ state: 'offline', error: { kind: 'unreachable' } }));
    expect(text(html)).toContain('Offline: the team database cannot be reached, so the console works locally');
    expect(html).toContain('data-kind="unreachable"');
  });

  for (const lng of ['en', 'nl'] as const) {
    it(`explains every error kind in ${lng}: what is wrong and what to do`, async () => {
      const strings = lng === 'en' ? teamEn : teamNl;
      await inLanguage(lng, () => {
        for (const kind of TeamErrorKindSchema.options) {
          const html = settings(team({ state: 'error', error: { kind, detail: 'server closed the connection' } }));
          const shown = text(html.match(/data-testid="team-error"[^>]*>(.*?)<\/p>/)?.[1] ?? '');
          const expected = kind === 'other' ? strings.error.other.replace('{{detail}}', 'server closed the connection') : strings.error[kind as Exclude<TeamErrorKind, 'other'>];
          expect(shown, kind).toBe(expected);
          expect(text(html), kind).toContain(lng === 'en' ? 'Not connected: a setting must change' : 'Niet verbonden: er moet een instelling veranderen');
        }
      });
    });
  }

  it('an "other" error without a detail says so instead of showing an empty pair of brackets', async () => {
    await inLanguage('nl', () => {
      expect(teamErrorMessage(teamT(i18next.t), 'other')).toBe('De teamdatabase meldde een probleem: geen details');
    });
  });

  it('checks the URL and key before asking the host', () => {
    expect(teamSettingsInput('', '', null)).toEqual({ problem: 'urlNeeded' });
    expect(teamSettingsInput('mysql://x@y/z', '', null)).toEqual({ problem: 'urlInvalid' });
    expect(teamSettingsInput('postgres://a:b@h/db', 'kort', null)).toEqual({ problem: 'keyShort' });
    expect(teamSettingsInput(' postgres://a:b@h/db ', '', null)).toEqual({ input: { url: 'postgres://a:b@h/db' } });
    expect(teamSettingsInput('postgres://a:b@h/db', 'lang genoeg', null)).toEqual({ input: { url: 'postgres://a:b@h/db', key: 'lang genoeg' } });
    // A key alone keeps the team's URL (the host has it, with the password this screen never sees).
    expect(teamSettingsInput('', 'de teamsleutel', team())).toEqual({ input: { key: 'de teamsleutel' } });
    expect(teamSettingsInput('', 'kort', team())).toEqual({ problem: 'keyShort' });
    expect(teamSettingsInput('postgres://a:b@h/db', 'de teamsleutel', team())).toEqual({ input: { url: 'postgres://a:b@h/db', key: 'de teamsleutel' } });
  });
});

describe('the top bar in team mode', () => {
  // The workflow's buttons in the bar read the services; with no status they show nothing, and the bar is what is tested here.
  const services = { host: {}, db: {}, status: { get: () => null, subscribe: () => () => undefined } } as unknown as Services;
  const bar = (t: TeamStatus) =>
    renderToStaticMarkup(
      <ServicesContext value={services}>
        <TeamBarView team={t} onOpenSettings={() => undefined} onOpenAudit={() => undefined} />
      </ServicesContext>,
    );

  it('lists colleagues (not me) with their presence, online first, in words for screen readers', () => {
    const html = bar(team());
    const members = [...html.matchAll(/data-testid="team-member" data-presence="(\w+)">(.*?)<\/li>/g)].map((m) => [m[1], text(m[2] as string)]);
    expect(members).toEqual([
      ['online', 'Bram : online'],
      ['away', 'Cees : away'],
      ['offline', 'Dirk : offline'],
    ]);
    expect(html).toContain('aria-label="Colleagues: 1 of 3 online"');
    expect(html).not.toContain('team-offline');
  });

  it('in Dutch', async () => {
    const html = await inLanguage('nl', () => bar(team({ state: 'offline' })));
    expect(html).toContain('aria-label="Collega’s: 1 van 3 online"');
    expect(text(html)).toContain('Teamdatabase onbereikbaar: lokaal aan het werk');
    expect(text(html)).toContain('Cees : afwezig');
  });

  it('says plainly when the team database is out of reach, and when a setting must change', () => {
    expect(text(bar(team({ state: 'offline' })))).toContain('Team database unreachable: working locally');
    expect(bar(team({ state: 'error', error: { kind: 'auth' } }))).toMatch(/<button type="button" class="offline-pill team-pill team-pill--error"[^>]*>Team: not connected</);
  });

  it('counts colleagues beyond the first five', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ login: `m${i}`, name: `Medewerker ${i}`, role: 'agent' as const, departments: [], presence: 'online' as const }));
    const html = bar(team({ members: many }));
    expect(html.match(/data-testid="team-member"/g)).toHaveLength(5);
    expect(text(html)).toContain('+3');
  });

  it('offers the audit trail to leads and admins only', () => {
    expect(bar(team())).not.toContain('open-audit');
    expect(bar(team({ me: { login: 'cees', name: 'Cees', role: 'lead', departments: [] } }))).toContain('data-testid="open-audit"');
  });
});

describe('the audit trail', () => {
  const at = new Date(2026, 2, 4, 9, 41, 7).getTime();
  const rows = [
    { id: '2', at, login: 'anna', action: 'reply.sent', subject: 'x_mention:123', detail: 'client 7f3c' },
    { id: '1', at: at - 60_000, login: 'bram', action: 'vacuum', subject: 'x', detail: undefined },
  ];

  it('shows time in the agent’s locale, login, action in words, subject and detail', () => {
    const html = renderToStaticMarkup(<AuditView rows={rows} busy={false} error={null} q="" onQ={() => undefined} onSubmit={() => undefined} />);
    const cells = [...html.matchAll(/<tr data-testid="audit-row">(.*?)<\/tr>/g)].map((m) => [...(m[1] as string).matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => text(c[1] as string)));
    const time = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' }).format(at);
    expect(cells[0]).toEqual([time, 'anna', 'reply sent', 'x_mention:123', 'client 7f3c']);
    // An action this console does not know stays as the database wrote it.
    expect(cells[1]?.[2]).toBe('vacuum');
    expect(text(html)).toContain('2 entries, newest first');
    expect(html).toContain('role="search"');
  });

  it('in Dutch', async () => {
    const label = await inLanguage('nl', () => auditActionLabel(teamT(i18next.t), i18next, 'account.add'));
    expect(label).toBe('voegde een account toe');
    // The workflow's kinds too (the log writes them as they are named in the action).
    expect(await inLanguage('nl', () => auditActionLabel(teamT(i18next.t), i18next, 'teamSetting'))).toBe('wijzigde een teaminstelling');
    expect(auditActionLabel(teamT(i18next.t), i18next, 'teamSetting')).toBe('changed a team setting');
  });
});

describe('who polls each account (health view, team mode)', () => {
  const stream = (accountId: string): StreamStatus => ({ id: `${accountId}:mentions`, accountId, kind: 'x_mentions', delivered: 0, itemsToday: 0, costTodayUsd: 0 });
  const status = (t?: TeamStatus): Status => ({
    accounts: [],
    streams: [stream('x1'), stream('x2'), stream('x3')],
    online: true,
    shell: 'browser',
    vault: { encrypted: true, plaintextAllowed: false },
    xSignIn: 'sandbox',
    signIn: { pending: false },
    ...(t ? { team: t } : {}),
  });
  const pollers = (html: string) => [...html.matchAll(/data-testid="account-poller" data-poller="(\w+)">(.*?)<\/p>/g)].map((m) => [m[1], text(m[2] as string)]);

  it('this console, a colleague’s console (by name), or nobody now; nothing when solo', async () => {
    const t = team({ leading: ['x1'], pollers: { x1: 'anna', x2: 'bram', x3: '' } });
    expect(pollers(renderToStaticMarkup(<HealthView status={status(t)} />))).toEqual([
      ['me', 'Polled by this console'],
      ['other', 'Polled by Bram’s console'],
      ['none', 'No console polls this account right now'],
    ]);
    const nl = await inLanguage('nl', () => pollers(renderToStaticMarkup(<HealthView status={status(t)} />)));
    expect(nl.map(([, s]) => s)).toEqual(['Opgehaald door deze console', 'Opgehaald door de console van Bram', 'Geen enkele console haalt dit account nu op']);
    expect(renderToStaticMarkup(<HealthView status={status()} />)).not.toContain('account-poller');
  });

  it('the same login at another console is not this console', () => {
    const html = renderToStaticMarkup(<HealthView status={status(team({ leading: [], pollers: { x1: 'anna' } }))} />);
    expect(pollers(html)[0]).toEqual(['other', 'Polled by Anna de Wit’s console']);
  });
});
