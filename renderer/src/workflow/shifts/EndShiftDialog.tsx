import { useEffect, useId, useState, type FormEvent } from 'react';
import type { TeamMember, TeamStatus } from '../../../../shared/team.js';
import type { HandoverItem } from '../../../../shared/workflow.js';
import { useWfT } from '../../i18n/wf';
import { useServices } from '../../services';
import { useUi } from '../../store';
import { displayName } from '../../team/useTeam';
import { useModal } from '../../useModal';
import { act, workflowView } from '../store';
import { useSla } from '../../insight/slaSettings';
import { loadLeftBehind, type DraftLeft, type LeftBehind } from './leftBehind';

const REASONS: readonly HandoverItem['reason'][] = ['claim', 'followUp', 'assigned', 'late'];
const ITEM_TEXT_MAX = 300;
const ITEMS_MAX = 500;

/** Colleagues a draft can be handed to: anyone else in the team who may open that conversation. */
export function canTakeDraft(m: Pick<TeamMember, 'role' | 'departments'>, draft: Pick<DraftLeft, 'department'>): boolean {
  return m.role !== 'department' || (draft.department !== undefined && m.departments.includes(draft.department));
}

/** The shiftEnd action's fields from what the dialog shows and what the agent chose. */
export function handoverOf(left: LeftBehind, note: string, handTo: Readonly<Record<string, string>>) {
  const items: HandoverItem[] = left.items.map((i) => ({ conversationKey: i.conversationKey, reason: i.reason, ...(i.text ? { text: i.text.slice(0, ITEM_TEXT_MAX) } : {}) }));
  const drafts: Array<{ conversationKey: string; to: string; text: string }> = [];
  for (const d of left.drafts) {
    const to = handTo[d.conversationKey];
    if (to) drafts.push({ conversationKey: d.conversationKey, to, text: d.text.slice(0, 20_000) });
    // A draft kept on this console is still named, so the next shift knows a reply was begun.
    else items.push({ conversationKey: d.conversationKey, reason: 'draft' });
  }
  return { note: note.trim(), items: items.slice(0, ITEMS_MAX), drafts: drafts.slice(0, 100) };
}

/** The end-of-shift dialog: what the agent leaves behind, a handover note, drafts handed to colleagues. */
export function EndShiftDialog({ team, open, onClose }: { team: TeamStatus; open: boolean; onClose(): void }) {
  const t = useWfT();
  const ref = useModal(open);
  return (
    <dialog ref={ref} className="dialog shift-dialog" aria-labelledby="shift-end-title" onClose={onClose} data-testid="shift-end-dialog">
      <h2 id="shift-end-title">{t('shifts.ending.title')}</h2>
      {open && <EndShiftForm team={team} onClose={onClose} />}
    </dialog>
  );
}

function EndShiftForm({ team, onClose }: { team: TeamStatus; onClose(): void }) {
  const t = useWfT();
  const ids = useId();
  const { db } = useServices();
  const select = useUi((s) => s.select);
  const me = team.me!;
  const [left, setLeft] = useState<LeftBehind | null>(null);
  const [note, setNote] = useState('');
  const [handTo, setHandTo] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What is overdue when the shift ends: past the strictest channel's target.
  const sla = useSla(db);
  const targetMin = Math.min(...Object.values(sla.targets));

  // Read once when the dialog opens: what the agent leaves behind at this moment.
  useEffect(() => {
    let live = true;
    const state = workflowView().state;
    const since = state.onDuty.get(me.login)?.since;
    const claims = team.claims.filter((c) => c.mine).map((c) => c.conversationKey);
    void loadLeftBehind(db, { login: me.login, now: Date.now(), ...(since ? { shiftSince: since } : {}), responseTargetMs: targetMin * 60_000, claims, state }).then(
      (l) => live && setLeft(l),
      (e: unknown) => {
        console.warn('what is left behind not read', e);
        if (live) setLeft({ items: [], drafts: [] });
      },
    );
    return () => {
      live = false;
    };
    // The claims as they were when the dialog opened; the host releases whatever is held when it ends.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, me.login, targetMin]);

  const colleagues = team.members.filter((m) => m.login !== me.login).sort((a, b) => a.name.localeCompare(b.name));
  const leavesWork = left !== null && (left.items.length > 0 || left.drafts.length > 0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!left || busy) return;
    if (leavesWork && note.trim() === '') {
      setError(t('shifts.ending.noteRequired'));
      return;
    }
    setBusy(true);
    try {
      const queued = await act({ kind: 'shiftEnd', ...handoverOf(left, note, handTo) });
      if (queued) {
        // Off duty: the open conversation closes, so its reply box does not claim it again on focus.
        select(null);
        onClose();
      } else setError(t('shifts.failed.rights'));
    } catch (err) {
      setError(t('shifts.failed.other', { what: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  const open = (messageKey: string | undefined) => {
    if (!messageKey) return;
    select(messageKey);
    onClose();
  };

  return (
    <form className="shift-end" onSubmit={(e) => void submit(e)}>
      <p className="field-hint">{t('shifts.ending.intro')}</p>
      {left === null ? (
        <p role="status">{t('shifts.ending.loading')}</p>
      ) : !leavesWork ? (
        <p role="status" data-testid="shift-left-nothing">
          {t('shifts.ending.nothing')}
        </p>
      ) : (
        <div className="shift-left" data-testid="shift-left">
          {REASONS.map((reason) => {
            const items = left.items.filter((i) => i.reason === reason);
            if (items.length === 0) return null;
            return (
              <section key={reason} className="shift-group" data-testid="shift-left-group" data-reason={reason}>
                <h3>{t(`shifts.reason.${reason}`, { minutes: targetMin })}</h3>
                <ul>
                  {items.map((i) => (
                    <li key={i.conversationKey} data-testid="shift-left-item" data-key={i.conversationKey}>
                      <span className="shift-excerpt">{i.text ?? t('shifts.ending.noText', { key: i.conversationKey })}</span>
                      {i.waitingSince !== undefined && <span className="shift-waited">{t('shifts.waited', { minutes: Math.floor((Date.now() - i.waitingSince) / 60_000) })}</span>}
                      {i.messageKey && (
                        <button type="button" className="link-button" onClick={() => open(i.messageKey)}>
                          {t('shifts.ending.open')}
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
          {left.drafts.length > 0 && (
            <section className="shift-group" data-testid="shift-left-group" data-reason="draft">
              <h3>{t('shifts.reason.draft')}</h3>
              <p className="field-hint">{t('shifts.ending.draftHint')}</p>
              <ul>
                {left.drafts.map((d, n) => (
                  <li key={d.conversationKey} data-testid="shift-left-draft" data-key={d.conversationKey}>
                    <span className="shift-excerpt">{d.text}</span>
                    <label htmlFor={`${ids}-to-${n}`}>{t('shifts.ending.handTo')}</label>
                    <select
                      id={`${ids}-to-${n}`}
                      value={handTo[d.conversationKey] ?? ''}
                      onChange={(e) => setHandTo((h) => ({ ...h, [d.conversationKey]: e.target.value }))}
                      data-testid="shift-hand-to"
                    >
                      <option value="">{t('shifts.ending.keep')}</option>
                      {colleagues
                        .filter((m) => canTakeDraft(m, d))
                        .map((m) => (
                          <option key={m.login} value={m.login}>
                            {displayName(m.name) || m.login}
                          </option>
                        ))}
                    </select>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
      <label className="shift-note" htmlFor={`${ids}-note`}>
        <span>{t('shifts.ending.noteLabel')}</span>
      </label>
      <textarea
        id={`${ids}-note`}
        className="shift-note-input"
        rows={4}
        maxLength={4000}
        value={note}
        placeholder={t('shifts.ending.notePlaceholder')}
        onChange={(e) => {
          setNote(e.target.value);
          setError(null);
        }}
        aria-invalid={error !== null}
        data-testid="shift-note"
      />
      {team.state !== 'online' && <p className="field-hint">{t('shifts.ending.queued')}</p>}
      {error && (
        <p className="form-error" role="alert" data-testid="shift-end-error">
          {error}
        </p>
      )}
      <div className="dialog-actions shift-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('shifts.ending.cancel')}
        </button>
        <button type="submit" className="button button--primary" disabled={left === null || busy} data-testid="shift-end-confirm">
          {t('shifts.ending.confirm')}
        </button>
      </div>
    </form>
  );
}
