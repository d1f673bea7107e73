import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareInsight, withInsight } from '../../electron/host/insight/index';
import { detectLanguage, platformSaysNone } from '../../electron/host/insight/language';
import { readSentiment } from '../../electron/host/insight/sentiment';
import type { Message, Sentiment } from '../../shared/model';

/**
 * Language and sentiment measured on labelled texts (sources and licences in
 * test/fixtures/README.md). The floors sit just under what was measured when
 * the libraries were chosen (README, "Insight"): a change that reads worse fails.
 */
beforeAll(() => prepareInsight());

const fixture = <T>(name: string): { items: T[] } => JSON.parse(readFileSync(new URL(`../fixtures/insight/${name}.json`, import.meta.url), 'utf8')) as { items: T[] };

type LangItem = { lang: string; text: string };
type SentItem = { label: Sentiment; text: string; sarcasm?: boolean };

function langScore(items: LangItem[]) {
  let right = 0;
  let unknown = 0;
  const perLang = new Map<string, { right: number; n: number }>();
  for (const it of items) {
    const found = detectLanguage(it.text);
    const p = perLang.get(it.lang) ?? { right: 0, n: 0 };
    p.n++;
    if (found === undefined) unknown++;
    else if (found === it.lang) {
      right++;
      p.right++;
    }
    perLang.set(it.lang, p);
  }
  return { right: right / items.length, unknown: unknown / items.length, wrong: (items.length - right - unknown) / items.length, perLang };
}

/** Accuracy and macro-F1 over the labels the set has. */
function sentimentScore(items: SentItem[], lang: string | undefined) {
  const counts = new Map<string, number>();
  let right = 0;
  for (const it of items) {
    const p = readSentiment(it.text, lang ?? detectLanguage(it.text)) ?? 'neutral';
    if (p === it.label) right++;
    counts.set(`${it.label}>${p}`, (counts.get(`${it.label}>${p}`) ?? 0) + 1);
  }
  const labels = [...new Set(items.map((i) => i.label))];
  let f1 = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [k, n] of counts) {
      const [truth, said] = k.split('>');
      if (truth === l && said === l) tp += n;
      else if (said === l) fp += n;
      else if (truth === l) fn += n;
    }
    const precision = tp / (tp + fp || 1);
    const recall = tp / (tp + fn || 1);
    f1 += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return { accuracy: right / items.length, macroF1: f1 / labels.length };
}

describe('language on labelled short texts', () => {
  it('Tatoeba, 1,600 sentences in eight languages: at least 98.5 % right, at most 0.6 % wrong, every language at least 96 %', () => {
    const s = langScore(fixture<LangItem>('lang-tatoeba').items);
    expect(s.right).toBeGreaterThanOrEqual(0.985);
    expect(s.wrong).toBeLessThanOrEqual(0.006);
    for (const [lang, p] of s.perLang) expect(p.right / p.n, lang).toBeGreaterThanOrEqual(0.96);
  });

  it('webcare messages with handles, links, codes and emoji: at least 99 % right', () => {
    expect(langScore(fixture<LangItem>('lang-webcare').items).right).toBeGreaterThanOrEqual(0.99);
  });

  it('says nothing rather than guess: emoji, a handle, a code, a link', () => {
    for (const text of ['😡😡😡', '@polderpost', '3SPLD1234567', 'https://polderpost.example/t/3SPLD1', 'ok', '']) expect(detectLanguage(text), text).toBeUndefined();
  });

  it.each([
    ['und', true],
    ['qme', true],
    ['zxx', true],
    [undefined, true],
    ['nl', false],
    ['en-GB', false],
  ])("X's tag %s means no language: %s", (lang, none) => expect(platformSaysNone(lang)).toBe(none));
});

describe('sentiment on labelled texts', () => {
  it('English tweets rated by people (VADER ground truth, 500): accuracy ≥ 0.70, macro-F1 ≥ 0.66', () => {
    const s = sentimentScore(fixture<SentItem>('sentiment-vader-tweets').items, 'en');
    expect(s.accuracy).toBeGreaterThanOrEqual(0.7);
    expect(s.macroF1).toBeGreaterThanOrEqual(0.66);
  });

  it('English webcare messages (60): accuracy ≥ 0.70, with the language detected', () => {
    expect(sentimentScore(fixture<SentItem>('sentiment-webcare-en').items, undefined).accuracy).toBeGreaterThanOrEqual(0.7);
  });

  it('Dutch webcare messages (60): accuracy ≥ 0.65, with the language detected', () => {
    expect(sentimentScore(fixture<SentItem>('sentiment-webcare-nl').items, undefined).accuracy).toBeGreaterThanOrEqual(0.65);
  });

  it('sarcasm is read as what it says: the reason an agent can override it', () => {
    const sarcastic = [...fixture<SentItem>('sentiment-webcare-nl').items, ...fixture<SentItem>('sentiment-webcare-en').items].filter((i) => i.sarcasm);
    expect(sarcastic.length).toBe(16);
    const caught = sarcastic.filter((i) => readSentiment(i.text, detectLanguage(i.text)) === 'negative').length;
    expect(caught).toBeLessThanOrEqual(2);
  });

  it.each<[string, string, Sentiment | undefined]>([
    ['Mijn pakket is nog steeds niet bezorgd, echt waardeloos 😡', 'nl', 'negative'],
    ['Pakket kapot aangekomen', 'nl', 'negative'],
    ['Nog steeds niks... 🤬', 'nl', 'negative'],
    ['Niet slecht geholpen hoor', 'nl', 'positive'],
    ['Super snel geleverd, top!', 'nl', 'positive'],
    ['Wanneer komt de bezorger?', 'nl', 'neutral'],
    ['not good at all', 'en', 'negative'],
    ['Thanks, great help 👍', 'en', 'positive'],
    ['Merci beaucoup pour votre aide', 'fr', undefined],
  ])('%s (%s) reads %s', (text, lang, want) => expect(readSentiment(text, lang)).toBe(want));
});

describe('withInsight: read once on arrival', () => {
  const base: Message = {
    key: 'fb_message:m1',
    platformId: 'm1',
    channel: 'fb_message',
    accountId: 'page-1',
    conversationId: 't1',
    author: { id: 'u1', name: 'Els', handle: '' },
    text: 'Mijn pakket is kapot aangekomen, wat nu?',
    createdAt: 1,
    fromUs: false,
  };

  it('a Messenger message gets a detected language and a reading; an X tag is kept, "und" is replaced', () => {
    expect(withInsight(base)).toMatchObject({ lang: 'nl', langDetected: true, sentiment: 'negative' });
    const tagged = withInsight({ ...base, channel: 'x_mention', key: 'x_mention:1', lang: 'en' });
    expect(tagged.lang).toBe('en');
    expect(tagged.langDetected).toBeUndefined();
    expect(withInsight({ ...base, channel: 'x_mention', key: 'x_mention:2', lang: 'und' })).toMatchObject({ lang: 'nl', langDetected: true });
  });

  it('our own messages get a language but no reading; a message read before is returned as it is', () => {
    const ours = withInsight({ ...base, fromUs: true, text: 'Wat vervelend, we zoeken het voor je uit.' });
    expect(ours.sentiment).toBeUndefined();
    expect(ours.lang).toBe('nl');
    const read = withInsight(base);
    expect(withInsight(read)).toBe(read);
  });
});
