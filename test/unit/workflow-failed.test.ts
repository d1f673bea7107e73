import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../renderer/src/i18n/index';
import { wfT } from '../../renderer/src/i18n/wf';
import { failedText } from '../../renderer/src/workflow/FailedActions';

beforeAll(() => {
  initI18n('en');
});
afterAll(async () => {
  await i18next.changeLanguage('en');
});

describe('a workflow action the team did not apply, in words', () => {
  it.each([
    ['en', 'answer', 'answered', 'Lea', 'Your answer: Lea got there first (already answered).'],
    ['en', 'ruleSave', 'team:rights', undefined, 'Saving a routing rule: you may not do this (your role in the team does not allow it).'],
    ['en', 'approve', 'approved', undefined, 'Approving a reply: a colleague got there first (already approved).'],
    ['nl', 'answer', 'answered', 'Lea', 'Je antwoord: Lea was je voor (al beantwoord).'],
    ['nl', 'shiftEnd', 'team:other', undefined, 'Je dienst beëindigen: de teamdatabase weigerde het (other).'],
  ] as const)('%s %s %s', async (lng, kind, what, by, text) => {
    await i18next.changeLanguage(lng);
    expect(failedText(wfT(i18next.t), kind, what, by)).toBe(text);
  });
});
