import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { draftsHandedTo, handoversToRead, type HandoverView, type WorkflowState } from '../../../../shared/workflowState.js';
import { useWfT } from '../../i18n/wf';
import { useServices } from '../../services';
import { useUi } from '../../store';
import { displayName } from '../../team/useTeam';
import { act } from '../store';
import { takeHandedDraft, takenId, takenSet, TAKEN_KEY } from './handed';
import { loadFacts } from './leftBehind';

/** How long a handed draft not yet taken keeps its handover on screen (after it was acknowledged). */
const HANDED_SHOWN_MS = 7 * 24 * 60 * 60_000;

/**
 * The handovers `login` should see: those to read (handoversToRead), and those
 * that handed them a draft they have not taken into a reply yet (also once
 * acknowledged). Newest first.
 */
export function handoversShown(state: WorkflowState, login: string, now: number, taken: ReadonlySet<string>): HandoverView[] {
  const shown = handoversToRead(state, login, now);
  const ids = new Set(shown.map((h) => h.id));
  const open = new Set(
    draftsHandedTo(state, login)
      .filter((d) => !taken.has(takenId(d.handoverId, d.index)) && now - d.from.at <= HANDED_SHOWN_MS)
      .map((d) => d.handoverId),
  );
  for (const h of [...state.handovers].reverse()) if (open.has(h.id) && !ids.has(h.id)) shown.push(h);
  return shown;
}

/** The handovers a colleague published for this agent: read, take the drafts handed to them, acknowledge. */
export function HandoverBanner({ state, login, now }: { state: WorkflowState; login: string; now: number }) {
  const t = useWfT();
  const { db } = useServices();
  const taken = takenSet(useLiveQuery(() => db.settings.get(TAKEN_KEY), [db])?.value);
  const handovers = handoversShown(state, login, now, taken);
  if (handovers.length === 0) return null;
  return createPortal(
    <section className="handovers" aria-label={t('shifts.banner.label')} data-testid="handovers">
      {handovers.map((h) => (
        <Handover key={h.id} h={h} login={login} taken={taken} />
      ))}
    </section>,
    document.body,
  );
}

function Handover({ h, login, taken }: { h: HandoverView; login: string; taken: ReadonlySet<string> }) {
  const t = useWfT();
  const { i18n } = useTranslation();
  const { db } = useServices();
  const select = useUi((s) => s.select);
  const [expanded, setExpanded] = useState(false);
  const [missing, setMissing] = useState<ReadonlySet<number>>(new Set());
  const keys = [...new Set([...h.items.map((i) => i.conversationKey), ...h.drafts.filter((d) => d.to === login).map((d) => d.conversationKey)])];
  const keysSig = keys.join('\u0000');
  // The conversations as this console holds them: their text (a department's conversation has
  // none in the handover itself) and a message to open.
  const facts = useLiveQuery(() => loadFacts(db, keysSig ? keysSig.split('\u0000') : []), [db, keysSig]);
  const acked = h.acks.some((a) => a.by === login);
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(h.at);
  const mine = h.drafts.map((d, index) => ({ ...d, index })).filter((d) => d.to === login);
  const shownItems = expanded ? h.items : h.items.slice(0, 5);

  const take = async (d: (typeof mine)[number]) => {
    const ok = await takeHandedDraft(db, { ...d, handoverId: h.id });
    if (!ok) setMissing((m) => new Set([...m, d.index]));
  };
  return (
    <article className="handover" data-testid="handover" data-id={h.id} data-by={h.by}>
      <header className="handover-head">
        <h2>{t('shifts.banner.from', { name: displayName(h.byName) || h.by })}</h2>
        <span className="handover-time">{t('shifts.banner.ended', { time })}</span>
      </header>
      <p className="handover-note" data-testid="handover-note">
        {h.note || t('shifts.banner.noNote')}
      </p>
      {h.items.length > 0 && (
        <div className="handover-items">
          <p>{t('shifts.banner.items', { count: h.items.length, n: h.items.length })}</p>
          <ul>
            {shownItems.map((i) => {
              const f = facts?.get(i.conversationKey);
              return (
                <li key={`${i.reason}|${i.conversationKey}`} data-testid="handover-item" data-reason={i.reason} data-key={i.conversationKey}>
                  <span className="handover-reason">{t(`shifts.short.${i.reason}`)}</span>
                  {f ? (
                    <button type="button" className="link-button handover-open" onClick={() => select(f.messageKey)}>
                      {f.excerpt ?? i.text ?? t('shifts.ending.noText', { key: i.conversationKey })}
                    </button>
                  ) : (
                    <span>{i.text ?? t('shifts.ending.noText', { key: i.conversationKey })}</span>
                  )}
                </li>
              );
            })}
          </ul>
          {h.items.length > 5 && (
            <button type="button" className="link-button" onClick={() => setExpanded((x) => !x)}>
              {expanded ? t('shifts.banner.hide') : t('shifts.banner.show')}
            </button>
          )}
        </div>
      )}
      {mine.length > 0 && (
        <div className="handover-drafts">
          <h3>{t('shifts.banner.draftsForYou')}</h3>
          <ul>
            {mine.map((d) => {
              const isTaken = taken.has(takenId(h.id, d.index));
              return (
                <li key={d.index} data-testid="handover-draft" data-key={d.conversationKey}>
                  <span className="handover-draft-for">{facts?.get(d.conversationKey)?.excerpt ?? t('shifts.banner.draftFor', { key: d.conversationKey })}</span>
                  <q className="handover-draft-text">{d.text}</q>
                  {isTaken ? (
                    <span className="handover-taken">{t('shifts.banner.taken')}</span>
                  ) : (
                    <button type="button" className="button button--small" onClick={() => void take(d)} data-testid="handover-take">
                      {t('shifts.banner.take')}
                    </button>
                  )}
                  {missing.has(d.index) && (
                    <span className="form-error" role="alert">
                      {t('shifts.banner.missing')}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {!acked && (
        <div className="handover-actions">
          <button type="button" className="button button--primary button--small" onClick={() => void act({ kind: 'handoverAck', handoverId: h.id })} data-testid="handover-ack">
            {t('shifts.banner.ack')}
          </button>
        </div>
      )}
    </article>
  );
}
