import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Status } from '../../../shared/contract.js';
import { formatNumber } from '../i18n/format';
import { useInsightT, type InsightT } from '../i18n/insight';
import { addColumn } from '../board/columns';
import { showNotification } from '../board/alerts';
import { onStored } from '../db/stored';
import { useDb, useHostStatus } from '../services';
import { readStorms, type AccountStorm } from './storm';
import { useStormRule } from './stormSettings';
import './insight.css';

/**
 * Re-judged every minute, and 15 s after messages arrive: a burst of thousands
 * is one read of the window a quarter of a minute later, not one per batch.
 */
const EVERY_MS = 60_000;
const AFTER_ARRIVAL_MS = 15_000;

function accountName(status: Status | null, id: string): string {
  const a = status?.accounts.find((x) => x.id === id);
  return a ? (a.handle ? `@${a.handle}` : a.name) : id;
}

/**
 * Says when an account is in a storm: how many negative messages in how long,
 * against how many usually, and what they share most. Offers a column of them
 * (the incident column, from the window's start) and a desktop notification when
 * a storm begins: to everyone working alone, to leads and admins in a team.
 */
export function StormBanner() {
  const { i18n } = useTranslation();
  const t = useInsightT();
  const db = useDb();
  const status = useHostStatus();
  const rule = useStormRule(db);
  const [storms, setStorms] = useState<AccountStorm[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const known = useRef<Set<string>>(new Set());
  // The judging loop reads the newest status and wording without starting over when they change.
  const statusRef = useRef(status);
  const tRef = useRef(t);
  useEffect(() => {
    statusRef.current = status;
    tRef.current = t;
  });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let running = false;
    let again = false;
    const judge = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const now = Date.now();
        const found = (await readStorms(db, now, rule)).filter((s) => s.verdict.storm);
        if (stopped) return;
        setStorms(found);
        const ids = new Set(found.map((s) => s.accountId));
        const st = statusRef.current;
        const mayNotify = !st?.team || st.team.me?.role === 'lead' || st.team.me?.role === 'admin';
        for (const s of found) {
          if (known.current.has(s.accountId) || !mayNotify) continue;
          const tr = tRef.current;
          showNotification(tr('storm.notifyTitle', { account: accountName(st, s.accountId) }), explain(tr, s, i18n.language), `storm:${s.accountId}`);
        }
        known.current = ids;
        // A dismissed storm that ended is forgotten: the next one shows again.
        setDismissed((d) => (Array.from(d).every((id) => ids.has(id)) ? d : new Set(Array.from(d).filter((id) => ids.has(id)))));
      } catch (e) {
        console.warn('storm check failed', e);
      } finally {
        running = false;
        if (again && !stopped) {
          again = false;
          void judge();
        }
      }
    };
    const soon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void judge();
      }, AFTER_ARRIVAL_MS);
    };
    void judge();
    const every = setInterval(() => void judge(), EVERY_MS);
    const off = onStored(db, soon);
    return () => {
      stopped = true;
      clearInterval(every);
      if (timer) clearTimeout(timer);
      off();
    };
  }, [db, rule, i18n.language]);

  const shown = storms.filter((s) => !dismissed.has(s.accountId));
  if (shown.length === 0) return null;
  const openColumn = (s: AccountStorm) => {
    const at = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }).format(s.from);
    addColumn(db, {
      title: t('storm.columnTitle', { account: accountName(status, s.accountId), time: at }),
      filter: { accounts: [s.accountId], sentiments: ['negative'], since: s.from, statuses: ['open'] },
    })
      .then(() => setDismissed((d) => new Set([...d, s.accountId])))
      .catch((e: unknown) => console.warn('incident column not added', e));
  };
  return (
    <>
      {shown.map((s) => (
        <div key={s.accountId} className="banner banner--storm" role="alert" data-testid="storm-banner" data-account={s.accountId}>
          <span className="storm-text">
            <strong>{t('storm.title', { account: accountName(status, s.accountId) })}</strong> {explain(t, s, i18n.language)}
          </span>
          <span className="storm-actions">
            <button type="button" className="button" data-testid="storm-column" onClick={() => openColumn(s)}>
              {t('storm.openColumn')}
            </button>
            <button type="button" className="button" data-testid="storm-dismiss" onClick={() => setDismissed((d) => new Set([...d, s.accountId]))}>
              {t('storm.dismiss')}
            </button>
          </span>
        </div>
      ))}
    </>
  );
}

/** "42 negative messages in 30 min, usually 5. Most of them say: storing, app, inloggen." */
function explain(t: InsightT, s: AccountStorm, lng: string): string {
  const usual = s.verdict.usual < 1 && s.verdict.usual > 0 ? formatNumber(Math.round(s.verdict.usual * 10) / 10, lng) : formatNumber(Math.round(s.verdict.usual), lng);
  const base = t('storm.explain', { count: s.verdict.count, n: formatNumber(s.verdict.count, lng), minutes: Math.round((Date.now() - s.from) / 60_000), usual });
  return s.words.length ? `${base} ${t('storm.words', { words: s.words.map((w) => w.word).join(', ') })}` : base;
}
