import { useLiveQuery } from 'dexie-react-hooks';
import { DateField } from '../../settings/DateField';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/model.js';
import { reviewSample, type SentReply } from '../../../../shared/reviewSample.js';
import type { ReviewView } from '../../../../shared/workflowState.js';
import { formatMoment } from '../../i18n/format';
import { useWfT } from '../../i18n/wf';
import { useDb } from '../../services';
import { useUi } from '../../store';
import { displayName, useTeam } from '../../team/useTeam';
import { useNow } from '../../useNow';
import { act, useWorkflow } from '../store';

const DEFAULT_PER_AGENT = 3;
const MAX_PER_AGENT = 20;
const SCORES = [1, 2, 3, 4, 5] as const;

/** The local calendar day of a moment, as '2026-12-04'. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The local day's start and the next day's start (epoch ms), or null for text that is no day. */
export function dayBounds(day: string): [number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(start.getTime()) || localDay(start.getTime()) !== day) return null;
  const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
  return [start.getTime(), end.getTime()];
}

/**
 * Reviewing sent replies: per colleague the day's sample (shared/reviewSample.ts,
 * the same for every lead with the same replies), each scored 1–5 with an
 * optional comment as a `review` action. Read from this console's cache: our
 * replies carry the login and the name of the colleague who wrote them.
 */
export function ReviewPanel() {
  const wt = useWfT();
  const db = useDb();
  const team = useTeam();
  const now = useNow();
  const ids = useId();
  const { state } = useWorkflow();
  const [day, setDay] = useState(() => localDay(Date.now()));
  const [perAgent, setPerAgent] = useState(DEFAULT_PER_AGENT);
  const bounds = dayBounds(day);
  const replies = useLiveQuery(
    async () => (bounds ? ((await db.messages.where('createdAt').between(bounds[0], bounds[1], true, false).filter((m) => m.fromUs && !!m.by).toArray()) as Message[]) : []),
    [db, bounds?.[0], bounds?.[1]],
  );
  // Our replies name their author as colleagues see them; the review names the login.
  const loginByName = useMemo(() => new Map((team?.members ?? []).map((m) => [m.name, m.login] as const)), [team?.members]);
  const nameByLogin = useMemo(() => new Map((team?.members ?? []).map((m) => [m.login, displayName(m.name) || m.login] as const)), [team?.members]);
  const byKey = useMemo(() => new Map((replies ?? []).map((m) => [m.key, m] as const)), [replies]);
  const sample = useMemo(() => {
    const sent: SentReply[] = (replies ?? []).flatMap((m) => {
      // The login the outbox stored with the reply; a reply stored before it, by the name (the login's current one).
      const login = m.byLogin ?? (m.by ? loginByName.get(m.by) : undefined);
      return login ? [{ key: m.key, author: login, createdAt: m.createdAt }] : [];
    });
    return reviewSample(sent, { perAgent, day, reviewed: new Set(state.reviews.keys()) });
  }, [replies, loginByName, perAgent, day, state.reviews]);

  return (
    <div className="approval-reviews" data-testid="approval-reviews">
      <p className="approval-intro">{wt('approval.reviews.intro')}</p>
      <div className="approval-review-controls">
        <label htmlFor={`${ids}-day`}>{wt('approval.reviews.day')}</label>
        <DateField id={`${ids}-day`} value={day} onChange={(v) => v && setDay(v)} testId="review-day" />
        <label htmlFor={`${ids}-n`}>{wt('approval.reviews.perAgent')}</label>
        <input
          id={`${ids}-n`}
          type="number"
          min={1}
          max={MAX_PER_AGENT}
          value={perAgent}
          onChange={(e) => setPerAgent(Math.min(MAX_PER_AGENT, Math.max(1, Math.floor(Number(e.target.value) || 1))))}
          data-testid="review-per-agent"
        />
      </div>
      {!bounds && (
        <p className="approval-problem" role="alert">
          {wt('approval.reviews.badDay')}
        </p>
      )}
      {bounds && replies && sample.size === 0 && <p className="approval-empty">{wt('approval.reviews.none')}</p>}
      {[...sample].map(([login, picked]) => {
        const reviewed = picked.filter((p) => state.reviews.has(p.key)).length;
        return (
          <section key={login} className="approval-review-agent" data-testid="review-agent" data-login={login}>
            <h3>
              {nameByLogin.get(login) ?? login} <span className="approval-review-count">{wt('approval.reviews.count', { reviewed, n: picked.length })}</span>
            </h3>
            <ul className="approval-list">
              {picked.map((p) => {
                const m = byKey.get(p.key);
                return m ? <ReviewRow key={p.key} message={m} author={login} review={state.reviews.get(p.key)} now={now} /> : null;
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function ReviewRow({ message: m, author, review, now }: { message: Message; author: string; review: ReviewView | undefined; now: number }) {
  const { t, i18n } = useTranslation();
  const wt = useWfT();
  const select = useUi((s) => s.select);
  const ids = useId();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState(false);
  const shown = score ?? review?.score ?? null;
  const save = () => {
    if (shown === null) {
      setProblem(true);
      return;
    }
    void act({ kind: 'review', messageKey: m.key, author, score: shown, ...(comment.trim() ? { comment: comment.trim() } : {}) });
    setScore(null);
    setComment('');
  };
  return (
    <li className="approval-item" data-testid="review-item" data-key={m.key}>
      <div className="approval-head">
        <span className={`badge badge--${m.channel}`}>{t(`channelBadge.${m.channel}`)}</span>
        <span className="approval-time">{formatMoment(m.createdAt, now, i18n.language)}</span>
        <button type="button" className="link-button" onClick={() => select(m.key)}>
          {wt('approval.item.openConversation')}
        </button>
      </div>
      <p className="approval-text">{m.text}</p>
      {review && (
        <p className="approval-scored" data-testid="review-scored">
          {wt('approval.reviews.scored', { score: review.score, name: displayName(review.byName) || review.by })}
          {review.comment ? ` — ${review.comment}` : ''}
        </p>
      )}
      <div className="approval-scores" role="radiogroup" aria-label={wt('approval.reviews.save')}>
        {SCORES.map((s) => (
          <label key={s} className={`approval-score${shown === s ? ' approval-score--on' : ''}`} title={wt('approval.reviews.scoreLabel', { score: s, meaning: wt(`approval.reviews.meaning.${s}`) })}>
            <input
              type="radio"
              name={`${ids}-score`}
              checked={shown === s}
              onChange={() => {
                setScore(s);
                setProblem(false);
              }}
              aria-label={wt('approval.reviews.scoreLabel', { score: s, meaning: wt(`approval.reviews.meaning.${s}`) })}
              data-testid={`review-score-${s}`}
            />
            {s}
          </label>
        ))}
      </div>
      <input
        className="approval-input"
        value={comment}
        maxLength={2000}
        placeholder={wt('approval.reviews.comment')}
        aria-label={wt('approval.reviews.comment')}
        onChange={(e) => setComment(e.target.value)}
        data-testid="review-comment"
      />
      {problem && (
        <p className="approval-problem" role="alert">
          {wt('approval.reviews.pick')}
        </p>
      )}
      <div className="approval-actions">
        <button type="button" className="button button--small" onClick={save} disabled={score === null && !comment.trim()} data-testid="review-save">
          {wt('approval.reviews.save')}
        </button>
      </div>
    </li>
  );
}
