import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { launchHost, type RunningHost } from './host';

/**
 * A scripted day of sandbox traffic, and the report of it. The day is
 * tomorrow (Amsterdam): the sandbox's clock is moved ahead to each moment
 * before its message, so the day holds nothing but the script, and posts get
 * ids after everything the console has read (X ids carry their time).
 *
 *   09:00  mention by Anna            09:20  brand replies on x.com     → 20 min, within 60
 *   10:00  DM by Bert, 10:30 again    12:00  brand DMs him              → 120 min, past 60
 *   13:00  Messenger by Cas           13:45  the Page answers            → 45 min, within 240
 *   15:00  mention by Dirk, not answered (the report is asked before then: not judged)
 *
 * First response: median 45 min, p90 120 min; within target 2 of 3. With no
 * business hours set every minute counts.
 */
let host: RunningHost;

test.beforeAll(async () => {
  host = await launchHost({ WEBCARE_SANDBOX_RATE: '0' });
  await sandbox('/__sandbox/limits', { scale: 100 });
});

test.afterAll(async () => {
  await host?.stop();
});

test.setTimeout(240_000);

async function sandbox(path: string, body: Record<string, unknown>): Promise<Record<string, string>> {
  const res = await fetch(`${host.sandboxUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

/** Tomorrow in Amsterdam as YYYY-MM-DD, and the instant of a wall-clock time on it. */
function tomorrow(): { iso: string; at(h: number, m?: number): number } {
  const parts = (t: number) => Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(t).map((p) => [p.type, p.value]));
  const today = parts(Date.now());
  const iso = new Date(Date.UTC(Number(today.year), Number(today.month) - 1, Number(today.day) + 1)).toISOString().slice(0, 10);
  const at = (h: number, m = 0) => {
    // Amsterdam is UTC+1 or +2: take the guess whose wall clock reads h:m.
    for (const off of [1, 2]) {
      const t = Date.parse(`${iso}T${String(h - off).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`);
      const p = parts(t);
      if (Number(p.hour) === h && Number(p.minute) === m) return t;
    }
    throw new Error('no such time');
  };
  return { iso, at };
}

async function openReportFor(page: Page, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-');
  const typed = `${m}/${d}/${y}`; // the console speaks English here: month/day/year
  await page.getByTestId('open-reports').click();
  await page.getByTestId('reports-from').fill(typed);
  await page.getByTestId('reports-from').press('Enter');
  await page.getByTestId('reports-to').fill(typed);
  await page.getByTestId('reports-to').press('Enter');
}

test('a scripted day: the report shows its first response times, and its CSV matches the table', async ({ page }) => {
  await page.goto(host.consoleUrl);
  await expect(page.getByTestId('column-x_mention').getByTestId('card').first()).toBeVisible({ timeout: 30_000 });

  const day = tomorrow();
  const at = async (h: number, m = 0) => {
    await sandbox('/__sandbox/clock', { skewMs: day.at(h, m) - Date.now() });
  };
  await at(9);
  const anna = await sandbox('/__sandbox/inject', { channel: 'x_mention', text: 'Mijn pakket is niet aangekomen', authorName: 'Anna', authorHandle: 'anna_rapport' });
  await at(9, 20);
  await sandbox('/__sandbox/inject', { channel: 'x_mention', fromBrand: true, inReplyToId: anna.id as string, text: '@anna_rapport Vervelend! Stuur je ons een DM met je code?' });
  await at(10);
  const bert = await sandbox('/__sandbox/inject', { channel: 'x_dm', text: 'Hallo, waar blijft mijn bestelling?', authorName: 'Bert', authorHandle: 'bert_rapport' });
  await at(10, 30);
  await sandbox('/__sandbox/inject', { channel: 'x_dm', text: 'Nog iemand daar?', authorId: bert.authorId as string });
  await at(12);
  await sandbox('/__sandbox/inject', { channel: 'x_dm', fromBrand: true, authorId: bert.authorId as string, text: 'Sorry voor het wachten, we kijken het na.' });
  await at(13);
  const cas = await sandbox('/__sandbox/inject', { channel: 'fb_message', text: 'Kan ik mijn adres nog wijzigen?', authorName: 'Cas Rapport' });
  await at(13, 45);
  await sandbox('/__sandbox/inject', { channel: 'fb_message', fromBrand: true, authorId: cas.authorId as string, text: 'Ja, dat kan tot het pakket onderweg is.' });
  await at(15);
  await sandbox('/__sandbox/inject', { channel: 'x_mention', text: 'Ook bij mij geen pakket', authorName: 'Dirk', authorHandle: 'dirk_rapport' });

  // The console reads each stream on its own pace: ask again until every message and reply is in.
  await expect(async () => {
    await page.keyboard.press('Escape');
    await openReportFor(page, day.iso);
    await expect(page.getByTestId('kpi-conversations')).toContainText('4', { timeout: 5_000 });
    await expect(page.getByTestId('kpi-answered')).toContainText('3', { timeout: 5_000 });
  }).toPass({ timeout: 150_000, intervals: [3_000] });

  await expect(page.getByTestId('kpi-frt-median')).toContainText('45 min');
  await expect(page.getByTestId('kpi-frt-p90')).toContainText('2 h 00 min');
  await expect(page.getByTestId('kpi-within-target')).toContainText('66.7%');
  await expect(page.getByTestId('kpi-within-target')).toContainText('2 of 3');
  await expect(page.getByTestId('chart-frt').locator('canvas')).toHaveCount(1);

  // By channel: the table, and the CSV of the same rows.
  await page.getByTestId('reports-grouping').selectOption('channel');
  await expect(page.getByTestId('reports-body')).toHaveAttribute('data-grouping', 'channel');
  const table = page.getByTestId('reports-table');
  const cells = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c as HTMLElement).innerText.trim())));
  expect(cells.map((r) => [r[0], r[1]])).toEqual(
    expect.arrayContaining([
      ['X mentions', '2'],
      ['X direct messages', '1'],
      ['Messenger', '1'],
    ]),
  );
  const download = page.waitForEvent('download');
  await page.getByTestId('reports-csv').click();
  const file = await (await download).path();
  const csv = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const lines = csv.trim().split('\r\n').map((l) => l.split(','));
  expect(lines[0]?.[0]).toBe('Group');
  expect(lines.length - 1).toBe(cells.length);
  for (const row of cells) {
    const line = lines.find((l) => l[0] === row[0]);
    expect(line, `CSV row for ${row[0]}`).toBeDefined();
    // Counts as shown; minutes as the table's durations.
    expect(line![1]).toBe(row[1]);
    expect(line![3]).toBe(row[3]);
  }
  const dm = lines.find((l) => l[0] === 'X direct messages')!;
  expect(dm[4]).toBe('120'); // first response median (min)
  expect(dm[6]).toBe('0'); // within target (%)
  const messenger = lines.find((l) => l[0] === 'Messenger')!;
  expect(messenger[4]).toBe('45');
  expect(messenger[6]).toBe('100');

  // By agent: the brand's replies were made on the platform itself.
  await page.getByTestId('reports-grouping').selectOption('agent');
  await expect(page.getByTestId('reports-table').locator('tbody tr[data-group=""] th')).toHaveText('On the platform itself');
  await expect(page.getByTestId('reports-table').locator('tbody tr[data-group="-"] td').first()).toHaveText('1');
});
