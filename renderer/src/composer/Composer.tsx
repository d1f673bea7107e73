import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError, Status } from '../../../shared/contract.js';
import { platformOf, type Message } from '../../../shared/model.js';
import { countText } from '../../../shared/textLength.js';
import type { ConnectionState } from '../api/host';
import { Avatar } from '../board/Avatar';
import { replyTarget, threadKey } from '../conversation/thread';
import { errorMessage } from '../i18n/errors';
import { formatNumber } from '../i18n/format';
import { useConnection, useHostStatus, useServices } from '../services';
import { useUi } from '../store';
import { Name } from '../text/Name';

type Account = Status['accounts'][number];

/** Why Send is disabled, most fundamental first; null when it may be sent. */
export type BlockReason = 'noTarget' | 'noAccount' | 'reconnect' | 'offline' | 'empty' | 'tooLong' | 'invalid';

export function blockReason(opts: {
  hasTarget: boolean;
  status: Status | null;
  account: Account | undefined;
  connection: ConnectionState;
  count: ReturnType<typeof countText>;
}): BlockReason | null {
  const { hasTarget, status, account, connection, count } = opts;
  if (!hasTarget) return 'noTarget';
  if (status && !account) return 'noAccount';
  if (account?.state === 'reconnect') return 'reconnect';
  if (connection !== 'open') return 'offline';
  if (count.empty) return 'empty';
  if (count.length > count.limit) return 'tooLong';
  if (!count.valid) return 'invalid';
  return null;
}

/**
 * The reply box under a thread. It always says which account and channel it
 * posts as: the account that received the message answered (never a choice
 * made elsewhere), so a reply cannot go out from the wrong account. Sending
 * happens only on the button or Ctrl+Enter. Typed text is kept in the UI store
 * per thread and only cleared once the host confirms the reply was posted.
 */
export function Composer({ thread, fallback }: { thread: readonly Message[]; fallback: Message }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { host, db } = useServices();
  const status = useHostStatus();
  const connection = useConnection();
  const ids = useId();

  const tk = threadKey(fallback);
  const draft = useUi((s) => s.drafts[tk]);
  const setDraftText = useUi((s) => s.setDraftText);
  const setDraftClientId = useUi((s) => s.setDraftClientId);
  const clearDraft = useUi((s) => s.clearDraft);
  const text = draft?.text ?? '';

  const [sending, setSending] = useState(false);
  // Two Ctrl+Enters in one frame see the same render: the ref, not the state, keeps it to one send.
  const inFlight = useRef(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<{ error: AppError; at: number } | null>(null);

  const target = useMemo(() => replyTarget(thread), [thread]);
  const channel = fallback.channel;
  const platform = platformOf(channel);
  const accountId = target?.accountId ?? fallback.accountId;
  const account = status?.accounts.find((a) => a.id === accountId);
  const count = countText(channel, text);
  const reason = blockReason({ hasTarget: target !== null, status, account, connection, count });

  const send = async () => {
    if (reason || inFlight.current || !target) return;
    inFlight.current = true;
    // The same text to the same message keeps the id of its first attempt, so pressing Send again
    // after an uncertain failure lets the host find the earlier post instead of posting twice.
    const clientId = draft?.clientId && draft.clientIdFor === target.inReplyToId ? draft.clientId : crypto.randomUUID();
    setDraftClientId(tk, clientId, target.inReplyToId);
    setSending(true);
    setSent(false);
    setError(null);
    const result = await host
      .call('sendReply', {
        clientId,
        accountId,
        channel,
        conversationId: fallback.conversationId,
        inReplyToId: target.inReplyToId,
        recipientId: target.recipientId,
        text,
      })
      .catch((): { ok: false; error: AppError } => ({ ok: false, error: { kind: 'sendUnknown' } }));
    if (result.ok) {
      // It shows in the thread at once; the poller's copy later is the same upsert.
      await db.messages.put(result.value).catch((e: unknown) => console.warn('sent reply not stored locally', e));
      clearDraft(tk);
      setSent(true);
    } else {
      setError({ error: result.error, at: Date.now() });
    }
    inFlight.current = false;
    setSending(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const remaining = count.limit - count.length;
  const counterText =
    remaining >= 0
      ? t('composer.remaining', { count: remaining, n: formatNumber(remaining, lng) })
      : t('composer.tooMany', { count: -remaining, n: formatNumber(remaining, lng) });

  const reasonText = reason ? reasonMessage(reason) : null;
  function reasonMessage(r: BlockReason): string {
    switch (r) {
      case 'noTarget':
        return t('composer.reason.noTarget');
      case 'noAccount':
        return t('composer.reason.noAccount');
      case 'reconnect':
        return t('composer.reason.reconnect', { name: account?.name ?? '' });
      case 'offline':
        return t('composer.reason.offline');
      case 'empty':
        return t('composer.reason.empty');
      case 'tooLong':
        return t('composer.reason.tooLong', { channel: t(`channel.${channel}`), limit: formatNumber(count.limit, lng) });
      case 'invalid':
        return t('composer.reason.invalid', { platform: t(`platform.${platform}`) });
    }
  }

  const inputId = `${ids}-input`;
  const counterId = `${ids}-counter`;
  const reasonId = `${ids}-reason`;
  return (
    <section className="composer" aria-label={t('composer.label')}>
      <div className="composer-as">
        <span className="composer-as-label">{t('composer.replyAs')}</span>
        {account ? (
          <>
            <Avatar id={account.platformUserId} name={account.name} handle={account.handle} url={account.avatarUrl} size="sm" />
            <Name className="composer-as-name" text={account.name} />
            {account.handle && (
              <span className="card-handle">
                @<Name text={account.handle} max={100} />
              </span>
            )}
            <span className={`badge badge--platform-${account.platform}`}>{t(`platform.${account.platform}`)}</span>
            {account.sandbox && <span className="sandbox-mark">{t('topbar.sandbox')}</span>}
          </>
        ) : (
          <span className="composer-as-unknown">{t('composer.unknownAccount')}</span>
        )}
        <span className="composer-via">{t('composer.via', { channel: t(`channel.${channel}`) })}</span>
      </div>
      <textarea
        id={inputId}
        className="composer-input"
        data-testid="reply-input"
        value={text}
        readOnly={sending}
        placeholder={t('composer.placeholder')}
        aria-label={t('composer.label')}
        aria-describedby={`${counterId} ${reasonId}`}
        rows={4}
        spellCheck
        lang={lng}
        onChange={(e) => {
          setSent(false);
          setDraftText(tk, e.target.value);
        }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <span id={counterId} className={`composer-counter${remaining < 0 ? ' composer-counter--over' : ''}`} data-testid="reply-counter">
          {counterText}
        </span>
        <span className="composer-sent" role="status">
          {sent ? t('composer.sent') : ''}
        </span>
        <span className="composer-shortcut">{t('composer.shortcut')}</span>
        <button type="button" className="button button--primary" data-testid="reply-send" disabled={reason !== null || sending} onClick={() => void send()}>
          {sending ? t('composer.sending') : t('composer.send')}
        </button>
      </div>
      <p id={reasonId} className={`composer-reason${reason === 'empty' ? ' composer-reason--quiet' : ''}`} data-testid="reply-reason">
        {reasonText}
      </p>
      {error && (
        <p className="composer-error" role="alert" data-testid="reply-error">
          {errorMessage(t, error.error, lng, error.at)}
        </p>
      )}
    </section>
  );
}
