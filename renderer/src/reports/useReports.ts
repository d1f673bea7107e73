import { useEffect, useRef, useState } from 'react';
import type { Grouping, ReportRow } from '../../../shared/reports.js';
import type { WebcareDb } from '../db/db';
import { ReportSession, type ReportRequest, type ReportSummary, type ReportTerms } from './compute';
import type { FromWorker, ToWorker } from './reports.worker';

export interface ReportsState {
  summary: ReportSummary | null;
  /** The words of the range (they follow the figures). */
  terms: ReportTerms | null;
  rows: ReportRow[] | null;
  /** The grouping `rows` are by. */
  grouping: Grouping | null;
  loading: boolean;
  error: string | null;
  /** How long the last range took to read and work out, and the last grouping (ms, in the worker). */
  loadMs: number | null;
  groupMs: number | null;
}

/** What runs the reports: the worker, or (where a page cannot start one, as in unit tests) the same code in this thread. */
interface Runner {
  post(msg: ToWorker): void;
  stop(): void;
}

/** The same work in this thread: where a page cannot start the worker. */
function inThread(db: WebcareDb, onAnswer: (a: FromWorker) => void): Runner {
  const session = new ReportSession(db);
  let queue = Promise.resolve();
  return {
    post: (m) => {
      queue = queue.then(async () => {
        const t0 = performance.now();
        try {
          if (m.kind === 'load') {
            const summary = await session.load(m.request);
            onAnswer({ id: m.id, kind: 'loaded', summary, rows: await session.rowsAsync(m.grouping), ms: performance.now() - t0 });
            const terms = await session.terms();
            if (terms) onAnswer({ id: m.id, kind: 'terms', terms });
          } else onAnswer({ id: m.id, kind: 'rows', rows: await session.rowsAsync(m.grouping), ms: performance.now() - t0 });
        } catch (err) {
          onAnswer({ id: m.id, kind: 'error', message: err instanceof Error ? err.message : String(err) });
        }
      });
    },
    stop: () => undefined,
  };
}

/**
 * The worker, or this thread where there is none (unit tests) or it cannot
 * start (a shell that refuses module workers): a worker that fails before its
 * first answer hands what it was asked to this thread, so a report is slower
 * there but never missing.
 */
function startRunner(db: WebcareDb, onAnswer: (a: FromWorker) => void): Runner {
  if (typeof Worker === 'undefined') return inThread(db, onAnswer);
  let fallback: Runner | null = null;
  let answered = false;
  const asked: ToWorker[] = [];
  let w: Worker | null = null;
  const giveUp = (why: string) => {
    if (fallback) return;
    console.warn(`reports worker not available (${why}): working in the page`);
    w?.terminate();
    fallback = inThread(db, onAnswer);
    // The last range, and what was asked after it.
    const lastLoad = asked.map((m) => m.kind).lastIndexOf('load');
    for (const m of lastLoad >= 0 ? asked.slice(lastLoad) : asked) fallback.post(m);
  };
  try {
    w = new Worker(new URL('./reports.worker.ts', import.meta.url), { type: 'module', name: 'reports' });
  } catch (e) {
    giveUp(String(e));
  }
  if (w) {
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      answered = true;
      onAnswer(e.data);
    };
    w.onerror = (e) => {
      if (!answered) giveUp(e.message || 'failed to start');
      else onAnswer({ id: -1, kind: 'error', message: e.message || 'worker failed' });
    };
  }
  return {
    post: (m) => {
      if (fallback) return fallback.post(m);
      if (!answered) asked.push(m);
      w?.postMessage(m);
    },
    stop: () => {
      w?.terminate();
      fallback?.stop();
    },
  };
}

/**
 * The figures for a range and a grouping, worked out off the board's thread.
 * A new range reads the store again; a new grouping only regroups what was read.
 * Only the answer to the latest question is shown.
 */
/** How long a new range waits for what it depends on to stop changing before it is read. */
const SETTLE_MS = 80;

/** `request`: the range and what it is judged by; the time it is asked at is its `now`. */
export function useReports(db: WebcareDb, request: Omit<ReportRequest, 'now'> | null, grouping: Grouping): ReportsState {
  const [state, setState] = useState<ReportsState>({ summary: null, terms: null, rows: null, grouping: null, loading: false, error: null, loadMs: null, groupMs: null });
  const runner = useRef<Runner | null>(null);
  const latest = useRef(0);
  const loadedFor = useRef<Omit<ReportRequest, 'now'> | null>(null);
  const groupingOf = useRef(grouping);
  const loadedId = useRef(0);
  const changedAt = useRef(0);

  useEffect(() => {
    const r = startRunner(db, (a) => {
      if (a.kind === 'terms') {
        // The words of the range last read, even when a grouping was asked for since.
        if (a.id === loadedId.current) setState((s) => ({ ...s, terms: a.terms }));
        return;
      }
      if (a.id !== latest.current && a.id !== -1) return;
      if (a.kind === 'error') setState((s) => ({ ...s, loading: false, error: a.message }));
      else if (a.kind === 'loaded') setState({ summary: a.summary, terms: null, rows: a.rows, grouping: groupingOf.current, loading: false, error: null, loadMs: a.ms, groupMs: null });
      else setState((s) => ({ ...s, rows: a.rows, grouping: groupingOf.current, loading: false, error: null, groupMs: a.ms }));
    });
    runner.current = r;
    return () => {
      r.stop();
      runner.current = null;
      loadedFor.current = null;
    };
  }, [db]);

  useEffect(() => {
    const r = runner.current;
    if (!r || !request) return;
    groupingOf.current = grouping;
    if (loadedFor.current !== request) {
      // A range is read once what it depends on has settled: the settings and columns a screen
      // reads arrive a moment after it opens, and a read begun is not stopped. After that, a
      // change on its own (a preset clicked) is read at once; one right after another waits.
      const now = performance.now();
      const settle = loadedFor.current === null || now - changedAt.current < SETTLE_MS ? SETTLE_MS : 0;
      changedAt.current = now;
      const timer = setTimeout(() => {
        const id = ++latest.current;
        loadedFor.current = request;
        loadedId.current = id;
        setState((s) => ({ ...s, loading: true }));
        r.post({ id, kind: 'load', db: db.name, request: { ...request, now: Date.now() }, grouping });
      }, settle);
      return () => clearTimeout(timer);
    }
    r.post({ id: ++latest.current, kind: 'rows', grouping });
  }, [db, request, grouping]);

  return state;
}
