import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorSchema, type AppError } from '../../shared/contract';
import { CHANNELS } from '../../shared/model';
import { en } from '../../renderer/src/i18n/en';
import { errorMessage } from '../../renderer/src/i18n/errors';
import { initI18n, pickLanguage } from '../../renderer/src/i18n/index';
import { nl } from '../../renderer/src/i18n/nl';
import { teamEn } from '../../renderer/src/i18n/team.en';
import { teamNl } from '../../renderer/src/i18n/team.nl';
import { wfEn, wfNl } from '../../renderer/src/i18n/wf';
import { insightEn, insightNl } from '../../renderer/src/i18n/insight';
import { TeamErrorKindSchema } from '../../shared/team';

type Tree = { readonly [k: string]: string | Tree };

/** Every leaf as [dotted key, value]. */
function leaves(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const errorKinds = ErrorSchema.options.map((o) => o.shape.kind.value);

// The main namespace and team mode's (a namespace of its own), each held to the same rules.
describe.each([
  ['translation', en, nl],
  ['team', teamEn, teamNl],
  ['wf', wfEn, wfNl],
  ['insight', insightEn, insightNl],
] as const)('i18n resources (%s)', (_ns, enTree, nlTree) => {
  const enLeaves = leaves(enTree);
  const nlLeaves = leaves(nlTree);

  it('nl and en have exactly the same keys, at every depth', () => {
    expect(nlLeaves.map(([k]) => k).sort()).toEqual(enLeaves.map(([k]) => k).sort());
  });

  it('no value is empty or only whitespace', () => {
    for (const [key, value] of [...enLeaves, ...nlLeaves]) expect(value.trim(), key).not.toBe('');
  });

  it('a translation uses the same placeholders as the English text', () => {
    const nlMap = new Map(nlLeaves);
    for (const [key, value] of enLeaves) expect(placeholders(nlMap.get(key) ?? ''), key).toEqual(placeholders(value));
  });
});

describe('i18n resources: the contract', () => {
  it('every error kind of the contract has error.<kind> in both languages', () => {
    expect(errorKinds.length).toBeGreaterThan(10);
    for (const kind of errorKinds) {
      expect(en.error, kind).toHaveProperty([kind]);
      expect(nl.error, kind).toHaveProperty([kind]);
    }
  });

  it('every channel has a title, a badge and an empty state', () => {
    for (const channel of CHANNELS) {
      expect(en.channel).toHaveProperty([channel]);
      expect(en.channelBadge).toHaveProperty([channel]);
      expect(en.column.empty).toHaveProperty([channel]);
    }
  });
});

describe('team mode strings', () => {
  it('every team error kind has error.<kind> in the team namespace, in both languages', () => {
    for (const kind of TeamErrorKindSchema.options) {
      expect(teamEn.error, kind).toHaveProperty([kind]);
      expect(teamNl.error, kind).toHaveProperty([kind]);
    }
  });
});

describe('pickLanguage (from navigator.languages)', () => {
  it.each([
    [['nl-NL', 'en-US'], 'nl'],
    [['nl-BE'], 'nl'],
    [['NL'], 'nl'],
    [['en-GB', 'nl'], 'en'],
    [['fy-NL', 'nl'], 'nl'],
    [['de-DE', 'fr'], 'en'],
    [[], 'en'],
    [['nld'], 'en'],
  ] as const)('%j → %s', (preferred, expected) => {
    expect(pickLanguage(preferred)).toBe(expected);
  });
});

describe('errorMessage', () => {
  beforeAll(() => {
    initI18n('en');
  });

  const samples: Record<AppError['kind'], AppError> = {
    invalidInput: { kind: 'invalidInput', detail: 'text: too long' },
    unknownAccount: { kind: 'unknownAccount' },
    reconnectNeeded: { kind: 'reconnectNeeded' },
    rateLimited: { kind: 'rateLimited', resetAt: new Date(2026, 0, 5, 12, 30).getTime() },
    offline: { kind: 'offline' },
    tooLong: { kind: 'tooLong', limit: 10_000 },
    empty: { kind: 'empty' },
    permissionMissing: { kind: 'permissionMissing' },
    windowClosed: { kind: 'windowClosed' },
    duplicate: { kind: 'duplicate' },
    targetGone: { kind: 'targetGone' },
    replyRestricted: { kind: 'replyRestricted', url: 'https://x.com/i/status/1' },
    notAllowed: { kind: 'notAllowed' },
    notConfigured: { kind: 'notConfigured' },
    consentNeeded: { kind: 'consentNeeded' },
    sendUnknown: { kind: 'sendUnknown' },
    platform: { kind: 'platform', status: 503, detail: 'Service Unavailable' },
    mediaFailed: { kind: 'mediaFailed' },
    creditsDepleted: { kind: 'creditsDepleted' },
    team: { kind: 'team', team: 'auth' },
    collision: { kind: 'collision', reason: 'replied', by: 'Anna', at: new Date(2026, 0, 5, 11, 58).getTime() },
    approval: { kind: 'approval', state: 'returned', by: 'Lea', comment: 'Noem het ordernummer' },
  };

  it('has a sample for every kind', () => {
    expect(Object.keys(samples).sort()).toEqual([...errorKinds].sort());
  });

  for (const lng of ['en', 'nl'] as const) {
    it(`explains every kind in ${lng}, with its values and no raw key`, async () => {
      await i18next.changeLanguage(lng);
      // Local noon, so the reset half an hour later is the same day in any time zone.
      const now = new Date(2026, 0, 5, 12, 0).getTime();
      for (const error of Object.values(samples)) {
        const text = errorMessage(i18next.t, error, lng, now);
        expect(text, error.kind).not.toMatch(/^error\./);
        expect(text, error.kind).not.toMatch(/\{\{/);
      }
      expect(errorMessage(i18next.t, samples.tooLong, lng, now)).toContain(lng === 'nl' ? '10.000' : '10,000');
      expect(errorMessage(i18next.t, samples.platform, lng, now)).toContain('503');
      // Team mode: the kind of team problem and the colleague who got there first, in words.
      expect(errorMessage(i18next.t, samples.team, lng, now)).toContain(lng === 'nl' ? 'wachtwoord' : 'password');
      expect(errorMessage(i18next.t, samples.collision, lng, now)).toMatch(lng === 'nl' ? /^Anna antwoordde 2 min\.? geleden\./ : /^Anna replied 2 min\.? ago\./);
      for (const kind of TeamErrorKindSchema.options) {
        const text = errorMessage(i18next.t, { kind: 'team', team: kind, detail: 'SSL off' }, lng, now);
        expect(text, kind).not.toMatch(/error\.|\{\{/);
      }
      expect(errorMessage(i18next.t, { kind: 'rateLimited' }, lng, now)).toBe(i18next.t('error.rateLimited'));
      expect(errorMessage(i18next.t, samples.rateLimited, lng, now)).toBe(
        i18next.t('error.rateLimitedUntil', { time: new Intl.DateTimeFormat(lng, { timeStyle: 'short' }).format(samples.rateLimited.kind === 'rateLimited' ? samples.rateLimited.resetAt : 0) }),
      );
    });
  }
});
