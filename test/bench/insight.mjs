import { readFileSync } from 'node:fs';
import { prepareInsight, withInsight } from '../../dist-electron/electron/host/insight/index.js';

/**
 * What reading a message's language and sentiment costs the host: every text of
 * the labelled sets (test/fixtures/insight, about 2,000 short messages in nine
 * languages) read as a new Messenger message, over and over, on the host's own
 * thread as at arrival. Reported per message, median and p95, after a warm-up.
 */
export async function benchInsight(calls = 50_000) {
  await prepareInsight();
  const texts = [];
  for (const name of ['lang-tatoeba', 'lang-webcare', 'sentiment-vader-tweets', 'sentiment-webcare-en', 'sentiment-webcare-nl']) {
    const { items } = JSON.parse(readFileSync(new URL(`../fixtures/insight/${name}.json`, import.meta.url), 'utf8'));
    for (const it of items) texts.push(it.text);
  }
  const message = (text, i) => ({
    key: `fb_message:b${i}`,
    platformId: `b${i}`,
    channel: 'fb_message',
    accountId: 'page-1',
    conversationId: `c${i}`,
    author: { id: `u${i}`, name: 'Bench', handle: '' },
    text,
    createdAt: i,
    fromUs: false,
  });
  for (let i = 0; i < 2000; i++) withInsight(message(texts[i % texts.length], i));
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const m = message(texts[i % texts.length], i);
    const t0 = performance.now();
    withInsight(m);
    times[i] = performance.now() - t0;
  }
  times.sort();
  const us = (q) => Math.round(times[Math.min(calls - 1, Math.floor(q * calls))] * 1000);
  return { insight_texts: texts.length, insight_us_median: us(0.5), insight_us_p95: us(0.95), insight_us_max: us(1) };
}
