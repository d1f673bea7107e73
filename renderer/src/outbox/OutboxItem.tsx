import { useTranslation } from 'react-i18next';
import { platformOf } from '../../../shared/model.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';
import { collisionReason, errorMessage } from '../i18n/errors';
import { formatMoment } from '../i18n/format';
import { useTeamT } from '../i18n/team';
import { useWfT } from '../i18n/wf';
import { useDb, useHostStatus } from '../services';
import { useUi } from '../store';
import { useNow } from '../useNow';
import { mediaLimit, type DraftMedia } from '../composer/media';
import { flushDraftSaves } from '../composer/drafts';
import { awaitingApproval, discard, retry, sendAnyway, waitsFor, type OutboxEntry } from './outbox';
import { kickOutbox } from './runtime';

/**
 * One reply in the outbox, with its state in words. Failed: the reason, and
 * retry (same id), edit (back into the draft) or discard. Unknown: what the
 * console is doing about it. Nothing here sends on its own: retry only puts a
 * failed entry back in the queue the agent already sent it to.
 *
 * Held back by the collision guard (team mode): why, and "Send anyway" only
 * where the conversation is on screen (under its thread, `showConversation`
 * false), so the agent reads what changed before they overrule it.
 *
 * Waiting for a lead's approval (team mode): said so, and neither edited nor
 * discarded (a lead may send it any moment). Returned: the lead's comment, and
 * edit (back into the draft, to send anew) or discard; retrying the same reply
 * would only be returned again.
 */
export function OutboxItem({ entry, showConversation = false, url }: { entry: OutboxEntry; showConversation?: boolean; url?: string | null }) {
  const { t, i18n } = useTranslation();
  const tt = useTeamT();
  const wt = useWfT();
  const lng = i18n.language;
  const db = useDb();
  const now = useNow();
  const select = useUi((s) => s.select);
  const setDraftText = useUi((s) => s.setDraftText);
  const setOutboxOpen = useUi((s) => s.setOutboxOpen);
  const { state, request, group } = entry;

  const onRetry = async () => {
    if (await retry(db, entry.clientId)) kickOutbox();
  };
  const onSendAnyway = async () => {
    if (await sendAnyway(db, entry.clientId)) kickOutbox();
  };
  const collision = state === 'failed' && entry.error?.kind === 'collision' ? entry.error : null;
  const pendingApproval = awaitingApproval(entry);
  const returned = state === 'failed' && entry.error?.kind === 'approval' && entry.error.state === 'returned';
  const onDiscard = () => void discard(db, entry.clientId);
  const onEdit = async () => {
    const key = entry.conversationKey;
    // The reply box's own write still due goes first: landing later, it would put back the text without this reply.
    flushDraftSaves(key);
    // Back into the draft of its conversation, next to what is there already (in the reply box or
    // only in IndexedDB), with its images: the text is in exactly one of the two places at any moment.
    const merged = await db.transaction('rw', [db.outbox, db.drafts, db.draftMedia], async () => {
      const texts = await discard(db, entry.clientId);
      if (!texts) return null;
      const saved = await db.drafts.get(key);
      const current = useUi.getState().drafts[key]?.text ?? (typeof saved?.text === 'string' ? saved.text : '');
      const back = texts.join(' ');
      const text = current.trim() ? `${current}\n\n${back}` : back;
      await db.drafts.put({ ...saved, threadKey: key, updatedAt: Date.now(), text, messageKey: saved?.messageKey ?? entry.messageKey, channel: saved?.channel ?? request.channel });
      const room = mediaLimit(request.channel) - (await db.draftMedia.where('threadKey').equals(key).count());
      const images: DraftMedia[] = (request.media ?? []).slice(0, Math.max(0, room)).map((m, i) => ({
        id: crypto.randomUUID(),
        threadKey: key,
        name: `image-${i + 1}`,
        mimeType: m.mimeType,
        dataBase64: m.dataBase64,
        size: Math.floor((m.dataBase64.length * 3) / 4),
        alt: m.alt ?? '',
        addedAt: Date.now() + i,
      }));
      if (images.length) await db.draftMedia.bulkAdd(images);
      return text;
    });
    if (merged === null) return;
    setDraftText(key, merged);
    select(entry.messageKey);
    setOutboxOpen(false);
  };
  const open = () => {
    select(entry.messageKey);
    setOutboxOpen(false);
  };

  // X's 2026 reply rule: the post can only be answered on X itself.
  const safeUrl = url ? safeHttpsHref(url) : null;
  const openUrl = entry.error?.kind === 'replyRestricted' ? (safeHttpsHref(entry.error.url) ?? safeUrl ?? null) : entry.error?.kind === 'notAllowed' ? (safeUrl ?? null) : null;
  const waitingUntil = state === 'queued' && entry.nextAttemptAt && entry.nextAttemptAt > now ? entry.nextAttemptAt : null;
  return (
    <li
      className={`outbox-item outbox-item--${state}`}
      data-testid="outbox-item"
      data-state={state}
      data-approval={pendingApproval ? 'pending' : returned ? 'returned' : undefined}
      data-client-id={entry.clientId}
    >
      <div className="outbox-item-head">
        <span className={`outbox-state outbox-state--${pendingApproval ? 'approval' : state}`} data-testid="outbox-state">
          {pendingApproval ? wt('approval.outbox.pending') : returned ? wt('approval.outbox.returned') : t(`outbox.state.${state}`)}
        </span>
        <span className={`badge badge--${request.channel}`}>{t(`channelBadge.${request.channel}`)}</span>
        {request.private && <span className="outbox-tag">{t('outbox.private')}</span>}
        {request.media && request.media.length > 0 && <span className="outbox-tag">{t('outbox.images', { count: request.media.length, n: request.media.length })}</span>}
        {group && <span className="outbox-tag">{t('outbox.part', { index: group.index, of: group.of })}</span>}
        <span className="outbox-time">{formatMoment(entry.createdAt, now, lng)}</span>
      </div>
      <p className="outbox-text">{request.text}</p>
      {state === 'unknown' && <p className="outbox-note">{t('outbox.unknownExplain')}</p>}
      {pendingApproval && (
        <p className="outbox-note" data-testid="outbox-approval-pending">
          {wt('approval.outbox.pendingExplain')}
        </p>
      )}
      {state === 'queued' && entry.error?.kind === 'offline' && <p className="outbox-note">{t('outbox.waitingOffline')}</p>}
      {waitingUntil && entry.error?.kind === 'rateLimited' && <p className="outbox-note">{t('outbox.waitingRate', { time: formatMoment(waitingUntil, now, lng) })}</p>}
      {state === 'queued' && entry.error?.kind === 'team' && <p className="outbox-note">{t('outbox.waitingTeam')}</p>}
      <WaitingNote entry={entry} />
      {collision ? (
        <div className="outbox-error" role="alert" data-testid="outbox-collision" data-reason={collision.reason}>
          <p>{collisionReason(tt, collision, lng, now)}</p>
          <p>{showConversation ? tt('collision.readThere') : tt('collision.readHere')}</p>
        </div>
      ) : (
        state === 'failed' &&
        entry.error && (
          <div className="outbox-error" role="alert" data-testid={returned ? 'outbox-approval-returned' : undefined}>
            <p>{errorMessage(t, entry.error, lng, entry.updatedAt)}</p>
            {returned && <p>{wt('approval.outbox.returnedHint')}</p>}
          </div>
        )
      )}
      <div className="outbox-actions">
        {collision && !showConversation && (
          <button type="button" className="button button--small" onClick={() => void onSendAnyway()} data-testid="outbox-send-anyway">
            {tt('collision.sendAnyway')}
          </button>
        )}
        {state === 'failed' && !collision && !returned && (
          <button type="button" className="button button--small" onClick={() => void onRetry()} data-testid="outbox-retry">
            {t('outbox.retry')}
          </button>
        )}
        {(state === 'failed' || state === 'queued') && !pendingApproval && (
          <>
            <button type="button" className="button button--small" onClick={() => void onEdit()} data-testid="outbox-edit">
              {t('outbox.edit')}
            </button>
            <button type="button" className="button button--small" onClick={onDiscard} data-testid="outbox-discard">
              {t('outbox.discard')}
            </button>
          </>
        )}
        {state === 'failed' && openUrl && platformOf(request.channel) === 'x' && (
          <a className="platform-link" href={openUrl} target="_blank" rel="noopener noreferrer" data-testid="outbox-open-x">
            {t('conversation.openOnPlatform', { platform: t('platform.x') })}
          </a>
        )}
        {showConversation && (
          <button type="button" className="link-button" onClick={open}>
            {t('outbox.openConversation')}
          </button>
        )}
      </div>
    </li>
  );
}

/** A queued reply waiting for its account or X's credits: what it waits for; it goes out by itself. */
function WaitingNote({ entry }: { entry: OutboxEntry }) {
  const { t } = useTranslation();
  const status = useHostStatus();
  const w = waitsFor(entry);
  if (w === null || w === 'connection') return null;
  const account = status?.accounts.find((a) => a.id === entry.request.accountId);
  const text =
    w === 'credits'
      ? t('replyGuard.waitingCredits')
      : account
        ? t('replyGuard.waitingAccount', { name: account.handle ? `@${account.handle}` : account.name })
        : t('replyGuard.waitingAccountGone');
  return (
    <p className="outbox-note" data-testid="outbox-waiting" data-waits={w}>
      {text}
    </p>
  );
}
