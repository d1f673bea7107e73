import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ensureMineColumn } from '../../board/columns';
import { inboxItems, type InboxItem } from '../../../../shared/workflowState.js';
import { ensureNotificationPermission } from '../../board/alerts';
import { useWfT } from '../../i18n/wf';
import { useDb } from '../../services';
import { useUi } from '../../store';
import { displayName, useTeam } from '../../team/useTeam';
import { Name } from '../../text/Name';
import { TimeAgo } from '../../board/TimeAgo';
import { useWorkflow } from '../store';
import { AssignDialog } from './AssignDialog';
import { useAssignUi } from './assignUi';
import { meOf, openingMessage } from './team';
import './assign.css';
import { Icon } from '../../icons/Icon';

/** When the agent last opened "For you": newer items count as new. */
export const INBOX_SEEN_KEY = 'wfInboxSeenAt';

/**
 * The team bar's "For you" button: open questions to this agent or their
 * department, answers to their questions, conversations given to them,
 * notes that mention them and drafts handed to them. The count is what came
 * since they last looked plus what still waits on them (open questions,
 * conversations assigned). Also holds the window's assign dialog.
 */
export function InboxButton() {
  const team = useTeam();
  const t = useWfT();
  const db = useDb();
  const { state } = useWorkflow();
  const open = useAssignUi((s) => s.inboxOpen);
  const setOpen = useAssignUi((s) => s.setInboxOpen);
  const me = meOf(team);
  // Worked out again only when the log or who this is changes, not on every status update.
  const login = me?.login;
  const departments = me?.departments.join('\n') ?? '';
  const items = useMemo(() => (login ? inboxItems(state, { login, departments: departments ? departments.split('\n') : [] }) : []), [state, login, departments]);
  const seenAt = useLiveQuery(async () => ((await db.settings.get(INBOX_SEEN_KEY))?.value as number | undefined) ?? 0, [db]) ?? 0;
  const count = items.filter((i) => i.at > seenAt || i.kind === 'ask').length;
  // In a team every agent has an "Assigned to me" column (added once; deleted, it stays deleted).
  const { t: tMain } = useTranslation();
  useEffect(() => {
    if (login) ensureMineColumn(db, tMain('preset.mine')).catch((e: unknown) => console.warn('"Assigned to me" column not added', e));
  }, [db, login, tMain]);
  // Looking at the list is seeing what is in it.
  const newest = items[0]?.at ?? 0;
  useEffect(() => {
    if (open && newest > seenAt) void db.settings.put({ key: INBOX_SEEN_KEY, value: newest });
  }, [open, newest, seenAt, db]);
  if (!me) return null;
  return (
    <span className="wf-inbox">
      <button
        type="button"
        className={`button button--small wf-inbox-button${count > 0 ? ' wf-inbox-button--new' : ''}`}
        aria-expanded={open}
        aria-label={count > 0 ? t('assign.inbox.buttonCount', { n: count }) : t('assign.inbox.button')}
        data-testid="wf-inbox"
        data-count={count}
        onClick={() => {
          // A click is the moment a browser lets the console ask to show notifications.
          void ensureNotificationPermission().catch(() => false);
          setOpen(!open);
        }}
      >
        {t('assign.inbox.button')}
        {count > 0 && <span className="wf-inbox-count">{count}</span>}
      </button>
      {open && <InboxList items={items} seenAt={seenAt} onClose={() => setOpen(false)} />}
      <AssignDialog />
    </span>
  );
}

function InboxList({ items, seenAt, onClose }: { items: readonly InboxItem[]; seenAt: number; onClose(): void }) {
  const t = useWfT();
  const db = useDb();
  const select = useUi((s) => s.select);
  const [gone, setGone] = useState<string | null>(null);
  const go = async (item: InboxItem) => {
    const key = await openingMessage(db, item.conversationKey);
    if (!key) {
      setGone(item.id);
      return;
    }
    select(key);
    onClose();
  };
  return (
    <div className="wf-inbox-list" role="dialog" aria-label={t('assign.inbox.title')} data-testid="wf-inbox-list" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="wf-inbox-head">
        <strong>{t('assign.inbox.title')}</strong>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('assign.inbox.close')} title={t('assign.inbox.close')}>
          <Icon name="close" />
        </button>
      </div>
      {items.length === 0 ? (
        <p className="wf-empty">{t('assign.inbox.empty')}</p>
      ) : (
        <ul>
          {items.map((i) => (
            <li key={i.id} className={`wf-inbox-item${i.at > seenAt ? ' wf-inbox-item--new' : ''}`}>
              <button type="button" className="wf-inbox-open" onClick={() => void go(i)} title={t('assign.inbox.open')} data-testid="wf-inbox-item" data-kind={i.kind}>
                <span className="wf-inbox-what">{t(`assign.inbox.kind.${i.kind}`, { name: displayName(i.byName) || i.by })}</span>
                <TimeAgo at={i.at} className="card-time" />
                {(i.text || i.draft) && (
                  <span className="wf-inbox-text">
                    <Name text={i.text || i.draft || ''} max={160} />
                  </span>
                )}
              </button>
              {gone === i.id && (
                <p className="wf-problem" role="alert">
                  {t('assign.inbox.gone')}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
