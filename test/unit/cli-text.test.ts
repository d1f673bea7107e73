import { describe, expect, it } from 'vitest';
import { CLI_TEXT, cliLang } from '../../electron/cliText';

describe('the terminal tools’ language', () => {
  it('is Dutch for any nl locale and English otherwise', () => {
    for (const v of ['nl', 'nl_NL.UTF-8', 'nl_BE', 'NL_nl.utf8', 'nl@euro']) expect(cliLang({ LANG: v })).toBe('nl');
    for (const v of ['en_US.UTF-8', 'C', 'C.UTF-8', 'POSIX', 'de_DE.UTF-8', 'nld', 'nlx_XX']) expect(cliLang({ LANG: v })).toBe('en');
    expect(cliLang({})).toBe('en');
  });

  it('follows the POSIX order (LC_ALL, LC_MESSAGES, LANG), with WEBCARE_LANG before them all', () => {
    expect(cliLang({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'nl_NL.UTF-8' })).toBe('nl');
    expect(cliLang({ LC_ALL: 'en_GB.UTF-8', LC_MESSAGES: 'nl_NL.UTF-8', LANG: 'nl_NL.UTF-8' })).toBe('en');
    expect(cliLang({ WEBCARE_LANG: 'nl', LC_ALL: 'en_US.UTF-8' })).toBe('nl');
    expect(cliLang({ WEBCARE_LANG: 'en', LANG: 'nl_NL.UTF-8' })).toBe('en');
    // An empty variable is not set (as the C library reads it).
    expect(cliLang({ LC_ALL: '', LANG: 'nl_NL.UTF-8' })).toBe('nl');
  });

  it('has every text in both languages, translated', () => {
    expect(Object.keys(CLI_TEXT.nl).sort()).toEqual(Object.keys(CLI_TEXT.en).sort());
    // The same words in both would be an untranslated copy; names and URLs alone are alike.
    const alike = new Set(['console', 'badLogin']);
    for (const key of Object.keys(CLI_TEXT.en) as (keyof typeof CLI_TEXT.en)[]) {
      const en = CLI_TEXT.en[key];
      const nl = CLI_TEXT.nl[key];
      if (typeof en === 'string') expect(nl, key).not.toBe(en);
      else if (!alike.has(key)) expect(String(nl), key).not.toBe(String(en));
    }
    for (const kind of ['badUrl', 'unreachable', 'auth', 'rights', 'newerSchema', 'key', 'tls', 'other'] as const) {
      expect(CLI_TEXT.nl.teamError(kind, 'postgres://x@h/db')).not.toBe(CLI_TEXT.en.teamError(kind, 'postgres://x@h/db'));
    }
  });
});
