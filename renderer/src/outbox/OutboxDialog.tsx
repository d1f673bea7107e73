import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChannelSchema, type Channel } from '../../../shared/model.js';
import { previewText } from '../../../shared/text/preview.js';
import { CannedDialog } from '../canned/CannedDialog';
import type { StoredDraft } from '../composer/drafts';
import { formatMoment } from '../i18n/format';
import { useDb } from '../services';
import { useUi } from '../store';
import { useNow } from '../useNow';
import { ACTIVE_STATES, byOrder, type OutboxEntry, type OutboxState } from './outbox';
import { OutboxItem } from './OutboxItem';
import './outbox.css';
import { useModal } from '../useModal';

/**
 * The top bar's outbox button: how many replies wait or need the agent, and the
 * dialog with every outbox entry and every saved draft. It also hosts the canned
 * library dialog, so both are reachable wherever the agent is.
 */
export function OutboxButton() {
  const { t } = useTranslation();
  const db = useDb();
  const setOpen = useUi((s) => s.setOutboxOpen);
  const counts = useLiveQuery(async () => {
    const active = (await db.outbox.where('state').anyOf(ACTIVE_STATES as OutboxState[]).toArray()) as OutboxEntry[];
    return { waiting: active.length, attention: active.filter((e) => e.state === 'failed' || e.state === 'unknown').length };
  }, [db]);
  const waiting = counts?.waiting ?? 0;
  const attention = counts?.attention ?? 0;
  const label = t('outbox.button', { count: waiting, n: waiting });
  return (
    <>
      <button
        type="button"
        className={`button button--small outbox-button${attention ? ' outbox-button--attention' : ''}`}
        onClick={() => setOpen(true)}
        title={label}
        aria-label={label}
        data-testid="open-outbox"
      >
        {t('outbox.title')}
        {waiting > 0 && (
          <span className="outbox-count" data-testid="outbox-count">
            {waiting}
          </span>
        )}
      </button>
      <OutboxDialog />
      <CannedDialog />
    </>
  );
}

function OutboxDialog() {
  const { t } = useTranslation();
  const db = useDb();
  const open = useUi((s) => s.composerUi.outboxOpen);
  const setOpen = useUi((s) => s.setOutboxOpen);
  const select = useUi((s) => s.select);
  const now = useNow();
  const ref = useModal(open);
  const entries = useLiveQuery(async () => (open ? ((await db.outbox.toArray()) as OutboxEntry[]).sort(byOrder).reverse().slice(0, 200) : []), [db, open]);
  const drafts = useLiveQuery(async () => (open ? ((await db.drafts.orderBy('updatedAt').reverse().limit(200).toArray()) as StoredDraft[]) : []), [db, open]);
  const messageUrls = useLiveQuery(
    async () => {
      const keys = [...new Set((entries ?? []).filter((e) => e.state === 'failed').map((e) => e.messageKey))];
      const msgs = await db.messages.bulkGet(keys);
      return new Map(msgs.flatMap((m) => (m?.url ? [[m.key, m.url] as const] : [])));
    },
    [db, entries],
  );
  const active = (entries ?? []).filter((e) => e.state !== 'sent');
  const sent = (entries ?? []).filter((e) => e.state === 'sent');
  return (
    <dialog ref={ref} className="dialog outbox-dialog" aria-labelledby="outbox-title" onClose={() => setOpen(false)} data-testid="outbox">
      <h2 id="outbox-title">{t('outbox.title')}</h2>
      <p className="outbox-intro">{t('outbox.intro')}</p>
      <section aria-labelledby="outbox-waiting">
        <h3 id="outbox-waiting">{t('outbox.waiting', { count: active.length, n: active.length })}</h3>
        {active.length === 0 ? (
          <p className="outbox-empty">{t('outbox.nothingWaiting')}</p>
        ) : (
          <ul className="outbox-list">
            {active.map((e) => (
              <OutboxItem key={e.clientId} entry={e} showConversation url={messageUrls?.get(e.messageKey) ?? null} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="outbox-drafts">
        <h3 id="outbox-drafts">{t('outbox.drafts', { count: drafts?.length ?? 0, n: drafts?.length ?? 0 })}</h3>
        {!drafts || drafts.length === 0 ? (
          <p className="outbox-empty">{t('outbox.noDrafts')}</p>
        ) : (
          <ul className="outbox-list" data-testid="draft-list">
            {drafts.map((d) => (
              <DraftItem
                key={d.threadKey}
                draft={d}
                now={now}
                onOpen={() => {
                  select(d.messageKey);
                  setOpen(false);
                }}
              />
            ))}
          </ul>
        )}
      </section>
      {sent.length > 0 && (
        <section aria-labelledby="outbox-sent">
          <h3 id="outbox-sent">{t('outbox.sentRecently')}</h3>
          <ul className="outbox-list">
            {sent.slice(0, 50).map((e) => (
              <OutboxItem key={e.clientId} entry={e} showConversation />
            ))}
          </ul>
        </section>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setOpen(false)}>
          {t('outbox.close')}
        </button>
      </div>
    </dialog>
  );
}

function isChannel(c: unknown): c is Channel {
  return ChannelSchema.safeParse(c).success;
}

/** A saved draft: open its conversation, or delete it — in two steps, since a deleted draft is gone. */
function DraftItem({ draft: d, now, onOpen }: { draft: StoredDraft; now: number; onOpen(): void }) {
  const { t, i18n } = useTranslation();
  const db = useDb();
  const clearDraft = useUi((s) => s.clearDraft);
  const [confirm, setConfirm] = useState(false);
  const remove = () => {
    clearDraft(d.threadKey);
    db.transaction('rw', db.drafts, db.draftMedia, async () => {
      await db.drafts.delete(d.threadKey);
      await db.draftMedia.where('threadKey').equals(d.threadKey).delete();
    }).catch((e: unknown) => console.warn('draft not deleted', e));
  };
  return (
    <li className="outbox-item" data-testid="draft-item">
      <div className="outbox-item-head">
        <span className="outbox-state">{t('outbox.draft')}</span>
        {isChannel(d.channel) && <span className={`badge badge--${d.channel}`}>{t(`channelBadge.${d.channel}`)}</span>}
        <span className="outbox-time">{formatMoment(d.updatedAt, now, i18n.language)}</span>
      </div>
      <p className="outbox-text">{previewText(d.text, 400)}</p>
      <div className="outbox-actions">
        <button type="button" className="link-button" onClick={onOpen}>
          {t('outbox.openConversation')}
        </button>
        <button type="button" className="link-button" onClick={() => (confirm ? remove() : setConfirm(true))} onBlur={() => setConfirm(false)} data-testid="draft-delete">
          {confirm ? t('outbox.deleteDraftConfirm') : t('outbox.deleteDraft')}
        </button>
      </div>
    </li>
  );
}
