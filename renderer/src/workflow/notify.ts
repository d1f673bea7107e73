import { liveQuery } from 'dexie';
import i18next from 'i18next';
import type { WorkflowRecord } from '../../../shared/workflow.js';
import { concernOf, type AuthorLookup, type Concern, type Me } from '../../../shared/workflowState.js';
import type { StatusSource } from '../api/status';
import { showNotification } from '../board/alerts';
import type { WebcareDb } from '../db/db';
import { wfT } from '../i18n/wf';
import { displayName } from '../team/useTeam';

/** Records older than this when they arrive (a new store filling with the team's history) notify nobody. */
const STALE_MS = 24 * 60 * 60_000;
/** More than this at once is one notification saying how many. */
const ONE_BY_ONE = 3;

export interface Notice {
  concern: Concern;
  record: WorkflowRecord;
}

/**
 * Follows the log as it grows and answers what concerns this agent. The first
 * records it is given are what the console already held at start: known, not
 * news. Keeps who asked each question and who wrote each reply for approval,
 * so an answer or a return is recognised as theirs whenever it arrives.
 */
export class WorkflowNotices implements AuthorLookup {
  private readonly asks = new Map<string, string>();
  private readonly approvals = new Map<string, string>();
  private readonly seen = new Set<string>();
  private primed = false;

  askedBy(id: string): string | undefined {
    return this.asks.get(id);
  }

  approvalBy(id: string): string | undefined {
    return this.approvals.get(id);
  }

  /** The highest seq seen (the next read needs only what is above it). */
  lastSeq = -Infinity;

  /** New records (any order; read in seq order) → the notices for `me` (null: nobody signed in, nothing is news). */
  take(records: readonly WorkflowRecord[], me: Me | null, now: number): Notice[] {
    const out: Notice[] = [];
    for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
      if (this.seen.has(r.id)) continue;
      this.seen.add(r.id);
      this.lastSeq = Math.max(this.lastSeq, r.seq);
      if (r.kind === 'ask') this.asks.set(r.id, r.by);
      const approvalId = r.data.approvalId;
      if (r.kind === 'submit' && typeof approvalId === 'string') this.approvals.set(approvalId, r.by);
      if (!this.primed || !me || r.at < now - STALE_MS) continue;
      const concern = concernOf(r, this, me);
      if (concern) out.push({ concern, record: r });
    }
    this.primed = true;
    return out;
  }
}

/** What a notification says about a record (plain text: a notification is never markup). */
export function noticeText(notice: Notice): { title: string; body: string } {
  const t = wfT(i18next.t.bind(i18next));
  const r = notice.record;
  const name = displayName(r.byName) || r.by;
  const d = r.data;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  let body = '';
  if (notice.concern === 'assigned') body = text(d.note);
  else if (notice.concern === 'asked') body = text(d.question);
  else if (notice.concern === 'answered') body = text(d.text) || text(d.draft);
  else if (notice.concern === 'mentioned') body = text(d.text);
  else if (notice.concern === 'returned') body = text(d.comment);
  return { title: t(`assign.notify.${notice.concern}`, { name }), body: body.slice(0, 200) };
}

/** Shows notices: one by one, or a burst (a console catching up) as one with a count. */
export function showNotices(notices: readonly Notice[], show: typeof showNotification = showNotification): void {
  if (notices.length === 0) return;
  if (notices.length > ONE_BY_ONE) {
    const t = wfT(i18next.t.bind(i18next));
    show(t('assign.notify.many', { count: notices.length, n: notices.length }), t('assign.notify.manyBody'), 'webcare-wf-many');
    return;
  }
  for (const n of notices) {
    const { title, body } = noticeText(n);
    show(title, body, `webcare-wf-${n.record.id}`);
  }
}

/**
 * Desktop notifications for what the team's workflow brings this agent:
 * records that reach the local log after the console started, not their own,
 * not older than a day, that concern them (see concernOf).
 */
export function startWorkflowNotices(db: WebcareDb, status: StatusSource, show: typeof showNotification = showNotification): () => void {
  const notices = new WorkflowNotices();
  const sub = liveQuery(() => (Number.isFinite(notices.lastSeq) ? db.workflow.where('seq').above(notices.lastSeq).toArray() : db.workflow.toArray())).subscribe({
    next: (records) => {
      const me = status.get()?.team?.me;
      showNotices(notices.take(records, me ? { login: me.login, departments: me.departments } : null, Date.now()), show);
    },
    error: (e: unknown) => console.warn('team workflow notifications stopped', e),
  });
  return () => sub.unsubscribe();
}
