import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GROUPINGS, PERIODS, toCsv, type Grouping, type ReportRow } from '../../../shared/reports.js';
import { instantOf, wall } from '../../../shared/sla.js';
import { loadColumns, type ColumnDef } from '../board/columns';
import { soleChannel } from '../board/layout';
import { useInsightT, type InsightT } from '../i18n/insight';
import { formatNumber } from '../i18n/format';
import { useSla } from '../insight/slaSettings';
import { useDb, useHostStatus } from '../services';
import { useAgentName } from '../settings/agentName';
import { DateField } from '../settings/DateField';
import { Icon } from '../icons/Icon';
import { useModal } from '../useModal';
import { Chart, type ChartSeries } from './Chart';
import type { ReportRequest } from './compute';
import { useReports } from './useReports';
import './reports.css';

type Period = 'day' | 'week' | 'month';
const DAY = 86_400_000;

/** A local date (YYYY-MM-DD in the team's time zone) `days` before today. */
function isoDaysAgo(days: number, timeZone: string, now = Date.now()): string {
  const w = wall(now, timeZone);
  const d = new Date(Date.UTC(w.y, w.m - 1, w.d) - days * DAY);
  return d.toISOString().slice(0, 10);
}

/** The instant a local date begins in a time zone. */
function startOf(iso: string, timeZone: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return instantOf(y, m, d, 0, timeZone);
}

function nextDay(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** Minutes with one decimal for CSV (a number a spreadsheet reads). */
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6000) / 10);

export function ReportsLaunch() {
  const it = useInsightT();
  const [open, setOpen] = useState(false);
  return (
    <span className="reports-host">
      <button type="button" className="bar-pill no-print" onClick={() => setOpen(true)} data-testid="open-reports">
        <Icon name="chart" />
        {it('reports.open')}
      </button>
      {open && <ReportsScreen onClose={() => setOpen(false)} />}
    </span>
  );
}

/** Downloads a CSV file made in the page (no server involved). */
function download(name: string, csv: string) {
  // A byte-order mark, so a spreadsheet opens accented names as UTF-8.
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function CsvButton({ name, title, header, rows, testId }: { name: string; title: string; header: string[]; rows: (string | number | null)[][]; testId: string }) {
  const it = useInsightT();
  return (
    <button type="button" className="report-csv no-print" title={it('reports.csvTitle', { table: title })} onClick={() => download(`${name}.csv`, toCsv(header, rows))} data-testid={testId}>
      {it('reports.csv')}
    </button>
  );
}

function Section({ title, actions, children, testId }: { title: string; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="report-section" data-testid={testId}>
      <header className="report-section-head">
        <h3>{title}</h3>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function ReportsScreen({ onClose }: { onClose(): void }) {
  const it = useInsightT();
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const db = useDb();
  const sla = useSla(db);
  const tz = sla.hours.timeZone;
  const status = useHostStatus();
  const me = useAgentName().name || null;
  const columns = useLiveQuery(() => loadColumns(db), [db]);
  const ref = useModal(true);

  const [fromIso, setFrom] = useState(() => isoDaysAgo(6, tz));
  const [toIso, setTo] = useState(() => isoDaysAgo(0, tz));
  const [grouping, setGrouping] = useState<Grouping>('day');
  // Read again on request: the report is of the store as it was when asked.
  const [asked, setAsked] = useState(0);
  const badRange = fromIso !== '' && toIso !== '' && toIso < fromIso;

  const slaKey = JSON.stringify(sla);
  const columnsKey = JSON.stringify(columns?.map((c) => [c.id, c.filter]) ?? null);
  const request = useMemo<Omit<ReportRequest, 'now'> | null>(() => {
    if (!columns || fromIso === '' || toIso === '' || badRange) return null;
    return {
      from: startOf(fromIso, tz),
      to: startOf(nextDay(toIso), tz),
      hours: sla.hours,
      targets: sla.targets,
      columns: columns.map((c) => ({ id: c.id, filter: c.filter })),
      me,
    };
    // The figures are made again only when what they are made of changes (the keys), not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fromIso, toIso, slaKey, columnsKey, me, badRange, asked]);
  const report = useReports(db, request, grouping);

  const preset = (days: number) => {
    setFrom(isoDaysAgo(days - 1, tz));
    setTo(isoDaysAgo(0, tz));
  };

  const minText = useCallback(
    (ms: number | null) => {
      if (ms === null) return it('reports.none');
      const min = ms / 60_000;
      if (min < 60) return it('reports.durationMin', { n: new Intl.NumberFormat(lng, { maximumFractionDigits: 1 }).format(Math.round(min * 10) / 10) });
      const whole = Math.round(min);
      return it('reports.durationHours', { h: Math.floor(whole / 60), m: String(whole % 60).padStart(2, '0') });
    },
    [it, lng],
  );
  const pct = (share: number | null) => (share === null ? it('reports.none') : new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 1 }).format(share));

  const accounts = new Map((status?.accounts ?? []).map((a) => [a.id, a.handle ? `@${a.handle.replace(/^@/, '')}` : a.name]));
  const columnNames = new Map((columns ?? []).map((c) => [c.id, columnTitle(c, t as unknown as (k: string) => string)]));
  const groupName = (g: string, by: Grouping): string => {
    switch (by) {
      case 'channel':
        return t(`channel.${g}` as 'channel.x_mention');
      case 'account':
        return accounts.get(g) ?? it('reports.group.unknownAccount', { id: g });
      case 'column':
        return columnNames.get(g) ?? it('reports.group.unknownColumn', { id: g });
      case 'department':
        return g === '' ? it('reports.group.noDepartment') : g;
      case 'agent':
        return g === '' ? it('reports.group.elsewhere') : g === '-' ? it('reports.group.unanswered') : g;
      default:
        return periodLabel(g, by, lng);
    }
  };

  const summary = report.summary;
  const rows = report.rows ?? [];
  const rowsBy = report.grouping ?? grouping;
  // By a period the table's rows are the chart's; by anything else, the whole range by day (or week).
  const chartPeriod: Period = summary ? (PERIODS.includes(rowsBy) ? (rowsBy as Period) : summary.chart.period) : 'day';
  const chartRows = summary ? (PERIODS.includes(rowsBy) ? rows : summary.chart.rows) : [];

  return (
    <dialog ref={ref} className="dialog reports" aria-labelledby="reports-title" onClose={onClose} data-testid="reports">
      <header className="reports-head">
        <h2 id="reports-title">{it('reports.title')}</h2>
        <div className="reports-actions no-print">
          <button type="button" onClick={() => setAsked((n) => n + 1)} data-testid="reports-refresh">
            {it('reports.refresh')}
          </button>
          <button type="button" onClick={() => window.print()} data-testid="reports-print">
            {it('reports.print')}
          </button>
          <button type="button" onClick={onClose} data-testid="reports-close">
            {it('reports.close')}
          </button>
        </div>
      </header>

      <div className="reports-controls">
        <fieldset className="reports-range">
          <legend>{it('reports.period')}</legend>
          <div className="reports-presets no-print">
            {([1, 7, 30, 90] as const).map((d) => (
              <button key={d} type="button" onClick={() => preset(d)} data-testid={`reports-preset-${d}`}>
                {it(d === 1 ? 'reports.preset.today' : d === 7 ? 'reports.preset.d7' : d === 30 ? 'reports.preset.d30' : 'reports.preset.d90')}
              </button>
            ))}
          </div>
          <label>
            {it('reports.from')} <DateField value={fromIso} onChange={setFrom} testId="reports-from" label={it('reports.from')} />
          </label>
          <label>
            {it('reports.to')} <DateField value={toIso} onChange={setTo} testId="reports-to" label={it('reports.to')} />
          </label>
        </fieldset>
        <label className="reports-grouping">
          {it('reports.groupBy')}{' '}
          <select value={grouping} onChange={(e) => setGrouping(e.target.value as Grouping)} data-testid="reports-grouping">
            {GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {it(`reports.grouping.${g}`)}
              </option>
            ))}
          </select>
        </label>
      </div>

      {badRange && (
        <p className="form-error" role="alert">
          {it('reports.badRange')}
        </p>
      )}
      {report.error && (
        <p className="form-error" role="alert">
          {it('reports.error', { message: report.error })}
        </p>
      )}
      <div className="reports-body" aria-busy={report.loading} data-loading={report.loading || undefined} data-load-ms={report.loadMs ?? undefined} data-load-steps={summary ? JSON.stringify(summary.steps) : undefined} data-group-ms={report.groupMs ?? undefined} data-grouping={report.grouping ?? undefined} data-testid="reports-body">
        {report.loading && <p className="reports-loading">{it('reports.loading')}</p>}
        {summary && (
          <>
            <Kpis total={summary.total} minText={minText} pct={pct} it={it} lng={lng} />
            {summary.total.conversations === 0 ? (
              <p className="reports-empty" data-testid="reports-empty">
                {it('reports.empty')}
              </p>
            ) : (
              <>
                <FrtChart rows={chartRows} period={chartPeriod} it={it} lng={lng} />
                <Section
                  title={it('reports.table', { grouping: it(`reports.grouping.${rowsBy}`).toLowerCase() })}
                  testId="reports-table-section"
                  actions={<CsvButton name={`response-times-${rowsBy}-${fromIso}-${toIso}`} title={it('reports.table', { grouping: it(`reports.grouping.${rowsBy}`).toLowerCase() })} header={tableHeader(it, true)} rows={rows.map((r) => csvRow(r, groupName(r.group, rowsBy)))} testId="reports-csv" />}
                >
                  <ResponseTable rows={rows} name={(g) => groupName(g, rowsBy)} minText={minText} pct={pct} it={it} lng={lng} />
                </Section>
              </>
            )}
            <Heatmap grid={summary.heatmap} it={it} fromIso={fromIso} toIso={toIso} />
            <SentimentSection rows={summary.sentiment[chartPeriod]} period={chartPeriod} it={it} lng={lng} fromIso={fromIso} toIso={toIso} />
            {report.terms ? <Terms summary={report.terms} it={it} fromIso={fromIso} toIso={toIso} /> : <p className="reports-hint">{it('reports.loadingWords')}</p>}
            <Canned rows={summary.canned} it={it} fromIso={fromIso} toIso={toIso} />
            <p className="reports-note">{it('reports.note', { tz: summary.timeZone, count: summary.read, ms: Math.round(report.loadMs ?? 0) })}</p>
          </>
        )}
      </div>
    </dialog>
  );
}

function columnTitle(c: ColumnDef, t: (k: string) => string): string {
  if (c.title.trim() !== '') return c.title;
  const channel = soleChannel(c);
  return channel ? t(`channel.${channel}`) : t('column.untitled');
}

const UTC_FORMATS = {
  monthLong: { month: 'long', year: 'numeric', timeZone: 'UTC' },
  weekday: { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' },
  monthShort: { month: 'short', year: '2-digit', timeZone: 'UTC' },
  day: { day: 'numeric', month: 'short', timeZone: 'UTC' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
const utcFormats = new Map<string, Intl.DateTimeFormat>();
/** A period's name is asked for every label and legend value of a chart: each format is made once per language. */
function utcFormat(lng: string, kind: keyof typeof UTC_FORMATS): Intl.DateTimeFormat {
  const key = `${lng}\u0000${kind}`;
  let f = utcFormats.get(key);
  if (!f) utcFormats.set(key, (f = new Intl.DateTimeFormat(lng, UTC_FORMATS[kind])));
  return f;
}

function periodLabel(g: string, by: Grouping, lng: string): string {
  if (by === 'month') return utcFormat(lng, 'monthLong').format(Date.parse(`${g}-01T00:00:00Z`));
  const at = Date.parse(`${g}T00:00:00Z`);
  const day = utcFormat(lng, 'weekday').format(at);
  return by === 'week' ? `${day} –` : day;
}

/** The table's column names; in a CSV with their units, since its cells are plain numbers. */
function tableHeader(it: InsightT, csv = false): string[] {
  const min = (label: string) => (csv ? `${label} (min)` : label);
  return [
    it('reports.col.group'),
    it('reports.col.conversations'),
    it('reports.col.messages'),
    it('reports.col.answered'),
    min(it('reports.col.frtMedian')),
    min(it('reports.col.frtP90')),
    csv ? `${it('reports.col.withinTarget')} (%)` : it('reports.col.withinTarget'),
    it('reports.col.missed'),
    min(it('reports.col.resolution')),
    it('reports.col.withSpecialist'),
    min(it('reports.col.specialist')),
  ];
}

function csvRow(r: ReportRow, name: string): (string | number | null)[] {
  return [
    name,
    r.conversations,
    r.messages,
    r.answered,
    minutes(r.frtMedianMs),
    minutes(r.frtP90Ms),
    r.withinTarget === null ? null : Math.round(r.withinTarget * 1000) / 10,
    r.missed,
    minutes(r.resolutionMedianMs),
    r.withSpecialist,
    minutes(r.specialistMedianMs),
  ];
}

function Kpis({ total, minText, pct, it, lng }: { total: ReportRow; minText(ms: number | null): string; pct(s: number | null): string; it: InsightT; lng: string }) {
  const tiles: [string, string, string | undefined, string][] = [
    ['conversations', formatNumber(total.conversations, lng), undefined, it('reports.kpi.conversations')],
    ['answered', formatNumber(total.answered, lng), undefined, it('reports.kpi.answered')],
    ['frt-median', minText(total.frtMedianMs), undefined, it('reports.kpi.frtMedian')],
    ['frt-p90', minText(total.frtP90Ms), undefined, it('reports.kpi.frtP90')],
    ['within-target', pct(total.withinTarget), it('reports.kpi.withinTargetOf', { met: total.met, judged: total.met + total.missed }), it('reports.kpi.withinTarget')],
    ['resolution', minText(total.resolutionMedianMs), undefined, it('reports.kpi.resolution')],
    ['specialist', minText(total.specialistMedianMs), it('reports.kpi.specialistOf', { count: total.withSpecialist }), it('reports.kpi.specialist')],
  ];
  return (
    <dl className="report-kpis" data-testid="reports-kpis">
      {tiles.map(([id, value, sub, label]) => (
        <div key={id} className="report-kpi" data-testid={`kpi-${id}`}>
          <dt>{label}</dt>
          <dd>
            <span className="report-kpi-value">{value}</span>
            {sub && <span className="report-kpi-sub">{sub}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ResponseTable({ rows, name, minText, pct, it, lng }: { rows: ReportRow[]; name(g: string): string; minText(ms: number | null): string; pct(s: number | null): string; it: InsightT; lng: string }) {
  const max = Math.max(1, ...rows.map((r) => r.conversations));
  const header = tableHeader(it);
  return (
    <div className="report-table-wrap">
      <table className="report-table" data-testid="reports-table">
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.group} data-group={r.group}>
              <th scope="row">{name(r.group)}</th>
              <td className="report-bar-cell" style={{ ['--share' as string]: r.conversations / max }}>
                {formatNumber(r.conversations, lng)}
              </td>
              <td>{formatNumber(r.messages, lng)}</td>
              <td>{formatNumber(r.answered, lng)}</td>
              <td data-ms={r.frtMedianMs ?? ''}>{minText(r.frtMedianMs)}</td>
              <td data-ms={r.frtP90Ms ?? ''}>{minText(r.frtP90Ms)}</td>
              <td>{pct(r.withinTarget)}</td>
              <td>{formatNumber(r.missed, lng)}</td>
              <td data-ms={r.resolutionMedianMs ?? ''}>{minText(r.resolutionMedianMs)}</td>
              <td>{formatNumber(r.withSpecialist, lng)}</td>
              <td data-ms={r.specialistMedianMs ?? ''}>{minText(r.specialistMedianMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FrtChart({ rows, period, it, lng }: { rows: ReportRow[]; period: Period; it: InsightT; lng: string }) {
  const x = useMemo(() => rows.map((r) => Date.parse(`${r.group}${period === 'month' ? '-01' : ''}T00:00:00Z`) / 1000), [rows, period]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: it('reports.series.conversations'), color: '--border-strong', values: rows.map((r) => r.conversations), bars: true, right: true },
      { label: it('reports.series.median'), color: '--accent', values: rows.map((r) => minutes(r.frtMedianMs)) },
      { label: it('reports.series.p90'), color: '--warn', values: rows.map((r) => minutes(r.frtP90Ms)) },
    ],
    [rows, it],
  );
  const label = useCallback((s: number) => shortPeriod(s, period, lng), [period, lng]);
  const title = it('reports.frtChart', { period: it(`reports.per.${period}`) });
  return (
    <Section title={title} testId="reports-frt-chart">
      <Chart x={x} series={series} label={label} xLabel={it(`reports.grouping.${period}`)} leftUnit={it('reports.minutes')} rightUnit={it('reports.count')} title={title} testId="chart-frt" />
    </Section>
  );
}

function shortPeriod(seconds: number, period: Period, lng: string): string {
  const at = seconds * 1000;
  if (period === 'month') return utcFormat(lng, 'monthShort').format(at);
  return utcFormat(lng, 'day').format(at);
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function Heatmap({ grid, it, fromIso, toIso }: { grid: number[][]; it: InsightT; fromIso: string; toIso: string }) {
  const max = Math.max(1, ...grid.flat());
  const title = it('reports.heatmap');
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <Section
      title={title}
      testId="reports-heatmap"
      actions={
        <CsvButton
          name={`volume-weekday-hour-${fromIso}-${toIso}`}
          title={title}
          header={[it('reports.day'), ...hours.map((h) => `${String(h).padStart(2, '0')}:00`)]}
          rows={grid.map((row, d) => [it(`reports.weekday.${WEEKDAYS[d]!}`), ...row])}
          testId="reports-heatmap-csv"
        />
      }
    >
      <div className="report-table-wrap">
        <table className="report-heatmap">
          <thead>
            <tr>
              <th scope="col">{it('reports.day')}</th>
              {hours.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row, d) => {
              const day = it(`reports.weekday.${WEEKDAYS[d]!}`);
              return (
                <tr key={d}>
                  <th scope="row">{day}</th>
                  {row.map((n, h) => (
                    <td key={h} style={{ ['--heat' as string]: n / max }} title={it('reports.heatCell', { day, hour: h, count: n })}>
                      {n > 0 ? n : ''}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function SentimentSection({ rows, period, it, lng, fromIso, toIso }: { rows: { period: string; positive: number; neutral: number; negative: number; unknown: number }[]; period: Period; it: InsightT; lng: string; fromIso: string; toIso: string }) {
  const x = useMemo(() => rows.map((r) => Date.parse(`${r.period}${period === 'month' ? '-01' : ''}T00:00:00Z`) / 1000), [rows, period]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: it('sentiment.positive'), color: '--ours', values: rows.map((r) => r.positive) },
      { label: it('sentiment.neutral'), color: '--text-3', values: rows.map((r) => r.neutral) },
      { label: it('sentiment.negative'), color: '--danger', values: rows.map((r) => r.negative) },
    ],
    [rows, it],
  );
  const label = useCallback((s: number) => shortPeriod(s, period, lng), [period, lng]);
  const title = it('reports.sentimentChart', { period: it(`reports.per.${period}`) });
  if (rows.length === 0) return null;
  return (
    <Section
      title={title}
      testId="reports-sentiment"
      actions={
        <CsvButton
          name={`sentiment-${period}-${fromIso}-${toIso}`}
          title={title}
          header={[it(`reports.grouping.${period}`), it('sentiment.positive'), it('sentiment.neutral'), it('sentiment.negative'), it('reports.series.unknown')]}
          rows={rows.map((r) => [r.period, r.positive, r.neutral, r.negative, r.unknown])}
          testId="reports-sentiment-csv"
        />
      }
    >
      <Chart x={x} series={series} label={label} xLabel={it(`reports.grouping.${period}`)} leftUnit={it('reports.messagesCount')} title={title} testId="chart-sentiment" />
    </Section>
  );
}

function Terms({ summary, it, fromIso, toIso }: { summary: { words: { word: string; count: number }[]; phrases: { phrase: string; count: number }[]; sample: number }; it: InsightT; fromIso: string; toIso: string }) {
  if (summary.words.length === 0 && summary.phrases.length === 0) return null;
  return (
    <>
    <div className="report-terms">
      <Section
        title={it('reports.words')}
        testId="reports-words"
        actions={<CsvButton name={`words-${fromIso}-${toIso}`} title={it('reports.words')} header={[it('reports.word'), it('reports.inMessages')]} rows={summary.words.map((w) => [w.word, w.count])} testId="reports-words-csv" />}
      >
        <TermList items={summary.words.map((w) => [w.word, w.count])} it={it} head={it('reports.word')} />
      </Section>
      <Section
        title={it('reports.phrases')}
        testId="reports-phrases"
        actions={<CsvButton name={`phrases-${fromIso}-${toIso}`} title={it('reports.phrases')} header={[it('reports.phrase'), it('reports.inMessages')]} rows={summary.phrases.map((w) => [w.phrase, w.count])} testId="reports-phrases-csv" />}
      >
        <TermList items={summary.phrases.map((w) => [w.phrase, w.count])} it={it} head={it('reports.phrase')} />
      </Section>
    </div>
    <p className="reports-hint">{it('reports.wordsNote', { count: summary.sample })}</p>
    </>
  );
}

function TermList({ items, it, head }: { items: [string, number][]; it: InsightT; head: string }) {
  return (
    <table className="report-table report-table--compact">
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">{it('reports.inMessages')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map(([w, n]) => (
          <tr key={w}>
            <th scope="row">{w}</th>
            <td>{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Canned({ rows, it, fromIso, toIso }: { rows: { cannedId: string; shortcut: string; uses: number; agents: { by: string; uses: number }[] }[]; it: InsightT; fromIso: string; toIso: string }) {
  const title = it('reports.canned');
  const who = (r: (typeof rows)[number]) => r.agents.map((a) => `${a.by || '?'} (${a.uses})`).join(', ');
  return (
    <Section
      title={title}
      testId="reports-canned"
      actions={rows.length > 0 && <CsvButton name={`canned-${fromIso}-${toIso}`} title={title} header={[it('reports.shortcut'), it('reports.uses'), it('reports.agents')]} rows={rows.map((r) => [r.shortcut, r.uses, who(r)])} testId="reports-canned-csv" />}
    >
      {rows.length === 0 ? (
        <p className="reports-hint">{it('reports.cannedNone')}</p>
      ) : (
        <table className="report-table report-table--compact">
          <thead>
            <tr>
              <th scope="col">{it('reports.shortcut')}</th>
              <th scope="col">{it('reports.uses')}</th>
              <th scope="col">{it('reports.agents')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.cannedId}>
                <th scope="row">/{r.shortcut}</th>
                <td>{r.uses}</td>
                <td>{who(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
