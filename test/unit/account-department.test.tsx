import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccountDepartment } from '../../renderer/src/accounts/AccountDepartment';
import { initI18n } from '../../renderer/src/i18n/index';
import type { Account } from '../../shared/model';
import type { TeamRole, TeamStatus } from '../../shared/team';

const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();

const account = (department?: string): Account => ({
  id: 'x:1',
  platform: 'x',
  platformUserId: '1',
  name: 'Polderpost',
  handle: 'polderpost',
  state: 'connected',
  sandbox: true,
  granted: [],
  missing: [],
  ...(department ? { department } : {}),
});

function team(role: TeamRole): TeamStatus {
  return {
    state: 'online',
    url: 'postgres://lena@db.example/webcare',
    me: { login: 'lena', name: 'Lena', role, departments: role === 'department' ? ['billing'] : [] },
    members: [
      { login: 'dora', name: 'Dora', role: 'department', departments: ['billing'], presence: 'online' },
      { login: 'sven', name: 'Sven', role: 'department', departments: ['shipping', 'billing'], presence: 'away' },
    ],
    claims: [],
    pollers: {},
    leading: [],
    keyNeeded: false,
    queued: 0,
    lostRaces: [],
  };
}

const render = (a: Account, t: TeamStatus) => renderToStaticMarkup(<AccountDepartment account={a} team={t} />);

beforeAll(async () => {
  await initI18n('en');
});

describe('an account’s department on the accounts screen', () => {
  it('is read, not changed, by an agent or a department employee, in Dutch and English', async () => {
    expect(text(render(account('billing'), team('agent')))).toBe('Department: billing');
    expect(text(render(account(), team('department')))).toBe('In no department: every agent sees its messages.');
    expect(render(account('billing'), team('agent'))).not.toContain('<input');
    await i18next.changeLanguage('nl');
    try {
      expect(text(render(account('billing'), team('specialist')))).toBe('Afdeling: billing');
      expect(text(render(account(), team('agent')))).toBe('Bij geen afdeling: elke agent ziet de berichten.');
    } finally {
      await i18next.changeLanguage('en');
    }
  });

  it('is a field a lead (or admin) changes, with the team’s departments to pick from', () => {
    for (const role of ['lead', 'admin'] as const) {
      const html = render(account('billing'), team(role));
      expect(html).toContain('data-testid="account-department-input"');
      expect(html).toMatch(/value="billing"/);
      // Each department once, sorted; nothing to save before a change.
      expect([...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toEqual(['billing', 'shipping']);
      expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="account-department-save"/);
    }
  });
});
