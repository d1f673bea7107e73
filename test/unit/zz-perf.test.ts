import { it } from 'vitest';
import type { Message } from '../../shared/model';
import { episodesOfFacts, factsOf, foldFacts, tableFigures } from '../../shared/reportFacts';
import { DEFAULT_TARGETS, ALWAYS_OPEN } from '../../shared/sla';
import { groupRows } from '../../shared/reports';

it('perf', () => {
  const count = 250_000;
  const now = Date.now();
  const span = 30 * 86_400_000;
  const chans = ['x_mention', 'x_dm', 'fb_comment', 'fb_message'] as const;
  const chunks = [];
  let seed = 1;
  const r = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let base = 0; base < count; base += 2000) {
    const ms: Message[] = [];
    for (let i = base; i < base + 2000; i++) {
      const channel = chans[Math.floor(r() * 4)]!;
      const id = `b${String(count - i).padStart(9, '0')}`;
      const p = Math.floor(r() * 20000);
      ms.push({ key: `${channel}:${id}`, platformId: id, channel, accountId: 'bench-x', conversationId: `c${String(Math.floor((count - i) / 2)).padStart(9, '0')}`, author: { id: `p${p}`, name: 'n', handle: '' }, text: 't', createdAt: now - Math.floor((i / count) * span), fromUs: r() < 0.3, ...(r() < 0.3 ? { inReplyToId: `b${String(count - i + 1).padStart(9, '0')}` } : {}) } as Message);
    }
    chunks.push({ ...factsOf(ms), id: chunks.length + 1 });
  }
  const hours = { ...ALWAYS_OPEN, timeZone: 'Europe/Amsterdam' };
  for (let rep = 0; rep < 4; rep++) {
    let t = performance.now();
    const table = foldFacts(chunks, now - 93 * 86_400_000);
    const fold = performance.now() - t;
    t = performance.now();
    const eps = episodesOfFacts(table, () => undefined, now - 90 * 86_400_000, now, { hours, targets: DEFAULT_TARGETS, now });
    const epi = performance.now() - t;
    t = performance.now();
    tableFigures(table, () => undefined, now - 90 * 86_400_000, now, 'Europe/Amsterdam');
    const fig = performance.now() - t;
    t = performance.now();
    groupRows(eps as never, 'day', { timeZone: hours.timeZone });
    const grp = performance.now() - t;
    console.log(`n=${table.n} eps=${eps.length} fold ${fold.toFixed(0)} episodes ${epi.toFixed(0)} figures ${fig.toFixed(0)} group ${grp.toFixed(0)}`);
  }
}, 120_000);
