import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fillTemplate, searchCanned, type CannedReply } from '../../../shared/canned.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';
import { MAX_THREAD_PARTS, type SplitRefusal } from '../../../shared/text/split.js';
import type { Status } from '../../../shared/contract.js';
import { isXPostChannel, platformOf, type Message } from '../../../shared/model.js';
import { Avatar } from '../board/Avatar';
import { countUse, listCanned, seedStarter } from '../canned/library';
import { replyTarget, threadKey } from '../conversation/thread';
import { formatMoment, formatNumber } from '../i18n/format';
import { useTeamT } from '../i18n/team';
import { useWfT } from '../i18n/wf';
import { replyNeedsApproval } from '../../../shared/workflowState.js';
import { useWorkflowSelect } from '../workflow/store';
import { byOrder, enqueue, type OutboxEntry } from '../outbox/outbox';
import { OutboxItem } from '../outbox/OutboxItem';
import { kickOutbox } from '../outbox/runtime';
import { useConnection, useHostStatus, useServices } from '../services';
import { useUi, type Draft } from '../store';
import { useConversationClaim, useOthersClaims } from '../team/useTeam';
import { Name } from '../text/Name';
import { useNow } from '../useNow';
import { agentValues, signatureTemplate, useAgentProfile } from './agent';
import { CannedMenu } from './CannedMenu';
import { answerWindow, blockReason, compose, customerValues, fillCanned, modesOf, replyRestricted, sendChannel, type BlockReason } from './compose';
import { flushDraftSaves, loadDraft, saveDraft, saveDraftSoon } from './drafts';
import { shareUse } from '../canned/teamShare';
import { attach, dataUrl, draftMedia, mediaLimit, toInput, type AttachProblem, type DraftMedia } from './media';
import './composer.css';
import '../team/team.css';

type Account = Status['accounts'][number];

const SLASH = /(^|\s)\/([\p{L}\p{N}_-]*)$/u;
const EMPTY: readonly CannedReply[] = [];
const NO_MEDIA: readonly DraftMedia[] = [];

/**
 * The reply box under a thread. It always shows the account and channel it
 * posts as: the account that received the message answered; another one only
 * after an explicit switch and confirmation. Send (the button or Ctrl+Enter, on
 * the text the agent sees) is the only way a reply leaves: it becomes an outbox
 * entry, which the outbox sends exactly once, now or when the connection is back.
 *
 * In team mode it also claims the conversation while the agent works on a reply
 * (colleagues see "… is replying"), shows who holds the claim when a colleague
 * does, and tells the host when the agent opened the conversation (`since`), so a
 * reply that crossed a colleague's or a new customer message is held back.
 */
export function Composer({ thread, fallback }: { thread: readonly Message[]; fallback: Message }) {
  const { t, i18n } = useTranslation();
  const tt = useTeamT();
  const wt = useWfT();
  const lng = i18n.language;
  const { db } = useServices();
  const status = useHostStatus();
  const connection = useConnection();
  const profile = useAgentProfile();
  const now = useNow();
  const ids = useId();

  const tk = threadKey(fallback);
  // The collision guard's `since`: when the agent opened the conversation (this composer lives
  // as long as it is open; it is keyed by the thread), or, once the guard held a reply of theirs
  // back here, when it did: what they write after reading that is measured from then.
  const [since, setSince] = useState(() => Date.now());
  const collidedAt = useLiveQuery(async () => lastCollision((await db.outbox.where('conversationKey').equals(tk).toArray()) as OutboxEntry[]), [db, tk]) ?? 0;
  if (collidedAt > since) setSince(collidedAt);
  const { keeper: claim, lostTo } = useConversationClaim(tk);
  const holder = useOthersClaims().get(tk) ?? lostTo;
  const draft: Draft = useUi((s) => s.drafts[tk]) ?? { text: '' };
  const setDraftText = useUi((s) => s.setDraftText);
  const patchDraft = useUi((s) => s.patchDraft);
  const hydrateDraft = useUi((s) => s.hydrateDraft);
  const clearDraft = useUi((s) => s.clearDraft);
  const setCannedOpen = useUi((s) => s.setCannedOpen);
  const text = draft.text;

  // A draft written before a restart comes back.
  useEffect(() => {
    let live = true;
    void loadDraft(db, tk).then((d) => {
      if (live && d) hydrateDraft(tk, d);
    });
    return () => {
      live = false;
      // What was typed last is written as the composer closes, not a moment later.
      flushDraftSaves(tk);
    };
  }, [db, tk, hydrateDraft]);

  const target = useMemo(() => replyTarget(thread), [thread]);
  const channel = fallback.channel;
  const platform = platformOf(channel);
  const receivingId = target?.accountId ?? fallback.accountId;
  const accountId = draft.accountId ?? receivingId;
  const account = status?.accounts.find((a) => a.id === accountId);
  const receiving = status?.accounts.find((a) => a.id === receivingId);
  const modes = modesOf(channel);
  const mode = draft.mode && modes.includes(draft.mode) ? draft.mode : (modes[0] ?? 'public');
  const outChannel = sendChannel(channel, mode);
  const signature = fillTemplate(signatureTemplate(profile), agentValues(profile), outChannel);
  const hasSignature = /[\p{L}\p{N}]/u.test(signature);
  const composed = compose(text, outChannel, hasSignature ? signature : '', draft.split === true);
  const window = answerWindow(channel, mode, thread, target, now);
  // Team mode: said before sending that a lead approves this reply first (the database decides it, the same way).
  const me = status?.team?.me;
  const needsApproval = useWorkflowSelect((v) => (me ? replyNeedsApproval(v.state, me.login, me.role, outChannel) : false));
  const needsRecipient = outChannel === 'x_dm' && !target?.message.author.id;
  // X's 2026 reply rule: said before queueing, from the post itself or from the host's earlier refusal.
  const refusedBefore = useLiveQuery(async () => (target ? hostRefused((await db.outbox.where('conversationKey').equals(tk).toArray()) as OutboxEntry[], target.inReplyToId) : false), [db, tk, target?.inReplyToId]) ?? false;
  const restricted = replyRestricted(channel, mode, target, refusedBefore);
  const media = useLiveQuery(() => draftMedia(db, tk), [db, tk]) ?? NO_MEDIA;
  const maxMedia = mediaLimit(outChannel, media);
  const reason = blockReason({
    hasTarget: target !== null,
    status,
    account,
    composed,
    window,
    humanAgent: draft.humanAgent === true,
    needsRecipient,
    restricted,
    media: { count: media.length, max: maxMedia, textRequired: outChannel === 'fb_message' },
  });
  const [attachProblem, setAttachProblem] = useState<AttachProblem | null>(null);
  const [confirming, setConfirming] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const onFiles = async (files: FileList | null) => {
    setAttachProblem(null);
    for (const file of Array.from(files ?? [])) {
      const problem = await attach(db, tk, file, outChannel);
      if (problem) {
        setAttachProblem(problem);
        break;
      }
    }
    if (fileRef.current) fileRef.current.value = '';
  };

  const meta = { messageKey: fallback.key, channel };
  const update = (patch: Partial<Draft>) => {
    patchDraft(tk, patch);
    void saveDraft(db, tk, { ...draft, ...patch }, meta);
  };

  // ---- canned replies: `/` in the text, or the picker ----------------------
  useEffect(() => {
    void seedStarter(db).catch((e: unknown) => console.warn('starter replies not added', e));
  }, [db]);
  const library = useLiveQuery(() => listCanned(db), [db]) ?? EMPTY;
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [slash, setSlash] = useState<{ query: string; start: number; end: number } | null>(null);
  const [picker, setPicker] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [formal, setFormal] = useState(false);
  const menuQuery = picker ?? slash?.query ?? null;
  const convLang = target?.message.lang?.slice(0, 2) ?? lng;
  const matches = useMemo(() => (menuQuery === null ? EMPTY : searchCanned(library, menuQuery, convLang).slice(0, 8)), [library, menuQuery, convLang]);
  const values = { ...customerValues(target), ...agentValues(profile) };
  const fill = (r: CannedReply) => fillCanned(r, outChannel, values, formal);

  const findSlash = (value: string, caret: number) => {
    const m = SLASH.exec(value.slice(0, caret));
    if (!m) return null;
    const start = caret - (m[2]?.length ?? 0) - 1;
    return { query: m[2] ?? '', start, end: caret };
  };

  const insert = (r: CannedReply) => {
    const filled = fill(r);
    let next: string;
    let caret: number;
    if (slash) {
      next = text.slice(0, slash.start) + filled + text.slice(slash.end);
      caret = slash.start + filled.length;
    } else {
      const el = inputRef.current;
      const at = el ? el.selectionStart : text.length;
      const end = el ? el.selectionEnd : text.length;
      next = text.slice(0, at) + filled + text.slice(end);
      caret = at + filled.length;
    }
    setDraftText(tk, next);
    void saveDraft(db, tk, { ...draft, text: next }, meta);
    // A use is counted for the reports and the library's order: in a team as the team's record (every
    // console counts it, under the team login's name), alone here under "Your name".
    if (me) void shareUse(r.id);
    else void countUse(db, r.id, profile.name);
    setSlash(null);
    setPicker(null);
    setActive(0);
    requestAnimationFrame(() => {
      const el = inputRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  };

  const menuKeys = (e: KeyboardEvent<HTMLElement>): boolean => {
    if (menuQuery === null) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = Math.max(1, matches.length);
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
      return true;
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey && matches[active]) {
      e.preventDefault();
      insert(matches[active]);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setSlash(null);
      setPicker(null);
      inputRef.current?.focus();
      return true;
    }
    return false;
  };

  // ---- sending ----------------------------------------------------------------
  // Two Ctrl+Enters in one frame see the same render: the ref, not the state, keeps it to one entry.
  const inFlight = useRef(false);
  const send = async (confirmed = false) => {
    if (reason || inFlight.current || !target || !account) return;
    // Every image is shown once more, with its thumbnail, before the reply can go: an image a customer sent
    // the brand once went out in a reply by mistake (US Airways, 2014-04-14; The Washington Post, that day).
    if (media.length > 0 && !confirmed) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    inFlight.current = true;
    // A write of the typed draft still due must not land after the outbox took the text.
    flushDraftSaves(tk);
    try {
      const direct = outChannel === 'x_dm' || outChannel === 'fb_message';
      await enqueue(
        db,
        {
          conversationKey: tk,
          messageKey: fallback.key,
          request: {
            accountId: account.id,
            channel: outChannel,
            conversationId: fallback.conversationId,
            inReplyToId: target.inReplyToId,
            recipientId: direct ? (target.recipientId ?? target.message.author.id) : undefined,
            text: composed.parts[0] ?? '',
            ...(channel === 'fb_comment' && mode === 'private' ? { private: true } : {}),
            ...(window.kind === 'messenger' && window.state === 'humanAgent' && draft.humanAgent ? { humanAgent: true } : {}),
            ...(media.length > 0 ? { media: media.map(toInput) } : {}),
            ...(status?.team ? { since } : {}),
          },
        },
        composed.parts.length > 0 ? composed.parts : [''],
        tk,
      );
      clearDraft(tk);
      setSlash(null);
      kickOutbox();
      // The reply is on its way: nobody is writing here any more.
      claim.release();
    } catch (e) {
      console.warn('reply not queued', e);
    } finally {
      inFlight.current = false;
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (menuKeys(e)) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  // ---- what the agent sees ------------------------------------------------------
  const { count } = composed;
  const remaining = count.limit - count.length;
  const asThread = composed.threaded && !composed.splitRefused;
  const counterText = asThread
    ? t('composer.threadCount', { count: composed.parts.length, n: formatNumber(composed.parts.length, lng) })
    : remaining >= 0
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
      case 'replyRestricted':
        return t('replyGuard.restricted', { handle: account?.handle ?? '' });
      case 'empty':
        return t('composer.reason.empty');
      case 'tooLong':
        return isXPostChannel(outChannel)
          ? t('composer.reason.tooLongSplit', { limit: formatNumber(count.limit, lng) })
          : t('composer.reason.tooLong', { channel: t(`channel.${outChannel}`), limit: formatNumber(count.limit, lng) });
      case 'splitRefused':
        return splitRefusalMessage(composed.splitRefused);
      case 'invalid':
        return t('composer.reason.invalid', { platform: t(`platform.${platform}`) });
      case 'windowClosed':
        return t('composer.reason.windowClosed');
      case 'privateReplyClosed':
        return t('composer.reason.privateReplyClosed');
      case 'humanAgentNeeded':
        return t('composer.reason.humanAgentNeeded');
      case 'noRecipient':
        return t('composer.reason.noRecipient');
      case 'tooManyMedia':
        return media.some((m) => m.mimeType === 'image/gif') && isXPostChannel(outChannel)
          ? t('composer.attachProblem.gifAlone')
          : t('composer.reason.tooManyMedia', { count: maxMedia, n: maxMedia, channel: t(`channel.${outChannel}`) });
    }
  }

  function splitRefusalMessage(r: SplitRefusal | undefined): string {
    switch (r?.reason) {
      case 'link':
        return t('composer.reason.splitLink', { link: r.link.length > 60 ? `${r.link.slice(0, 59)}…` : r.link });
      case 'unbreakable':
        return t('composer.reason.splitUnbreakable');
      default:
        return t('composer.reason.splitTooManyParts', { max: formatNumber(MAX_THREAD_PARTS, lng) });
    }
  }

  // Team mode: replies go through the team database, so they wait (queued) while it is out of reach.
  const offline = connection !== 'open' || status?.online === false || status?.team?.state === 'offline';
  const inputId = `${ids}-input`;
  const counterId = `${ids}-counter`;
  const reasonId = `${ids}-reason`;
  const menuId = `${ids}-menu`;
  return (
    <section className="composer" aria-label={t('composer.label')} data-testid="composer">
      <AccountLine
        account={account}
        receiving={receiving}
        accounts={status?.accounts ?? []}
        channel={channel === 'fb_comment' && mode === 'private' ? t('composer.mode.fb.private') : t(`channel.${outChannel}`)}
        onSwitch={(id) => update({ accountId: id === receivingId ? undefined : id })}
      />
      {modes.length > 1 && (
        <div className="composer-modes" role="radiogroup" aria-label={t('composer.modeLabel')}>
          {modes.map((m) => (
            <label key={m} className={`composer-mode${mode === m ? ' composer-mode--on' : ''}`}>
              <input type="radio" name={`${ids}-mode`} checked={mode === m} onChange={() => update({ mode: m })} data-testid={`reply-mode-${m}`} />
              {t(`composer.mode.${isXPostChannel(channel) ? 'x' : 'fb'}.${m}`)}
            </label>
          ))}
        </div>
      )}
      <WindowLine window={window} now={now} lng={lng} humanAgent={draft.humanAgent === true} onHumanAgent={(v) => update({ humanAgent: v })} />
      {holder && (
        <p className="composer-claim" role="status" data-testid="reply-claimed">
          {tt('claimedBy', { name: holder })}
        </p>
      )}
      {needsApproval && (
        <p className="composer-approval" data-testid="reply-needs-approval">
          {wt('approval.composer')}
        </p>
      )}
      <div className="composer-field">
        <textarea
          id={inputId}
          ref={inputRef}
          className="composer-input"
          data-testid="reply-input"
          data-composer-input=""
          value={text}
          placeholder={t('composer.placeholderCanned')}
          aria-label={t('composer.label')}
          aria-describedby={`${counterId} ${reasonId}`}
          aria-autocomplete="list"
          aria-controls={slash ? menuId : undefined}
          aria-expanded={slash !== null}
          aria-activedescendant={slash && matches[active] ? `${menuId}-${active}` : undefined}
          rows={4}
          spellCheck
          lang={lng}
          onFocus={() => claim.touch()}
          onChange={(e) => {
            claim.touch();
            const value = e.target.value;
            setDraftText(tk, value);
            saveDraftSoon(db, tk, () => useUi.getState().drafts[tk], meta);
            const s = findSlash(value, e.target.selectionStart);
            setSlash(s);
            if (s?.query !== slash?.query) setActive(0);
          }}
          onBlur={() => {
            setSlash(null);
            flushDraftSaves(tk);
          }}
          onKeyDown={onKeyDown}
        />
        {menuQuery !== null && (
          <CannedMenu
            id={menuId}
            items={matches}
            active={active}
            preview={fill}
            onPick={insert}
            onHover={setActive}
            search={picker ?? undefined}
            onSearch={picker !== null ? (q) => {
              setPicker(q);
              setActive(0);
            } : undefined}
            onSearchKey={(e) => void menuKeys(e)}
            formal={formal}
            onFormal={setFormal}
            onManage={() => {
              setPicker(null);
              setSlash(null);
              setCannedOpen(true);
            }}
          />
        )}
      </div>
      <div className="composer-bar">
        <span id={counterId} className={`composer-counter${!asThread && remaining < 0 ? ' composer-counter--over' : ''}`} data-testid="reply-counter">
          {counterText}
        </span>
        {hasSignature && (
          <span className="composer-signature" title={t('composer.signatureHint')} data-testid="reply-signature">
            {t('composer.signature', { signature })}
          </span>
        )}
        {isXPostChannel(outChannel) && (draft.split || count.length > count.limit) && (
          <label className="composer-split">
            <input type="checkbox" checked={draft.split === true} onChange={(e) => update({ split: e.target.checked })} data-testid="reply-split" />
            {t('composer.split')}
          </label>
        )}
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            setSlash(null);
            setPicker(picker === null ? '' : null);
            setActive(0);
          }}
          aria-expanded={picker !== null}
          data-testid="canned-picker"
        >
          {t('canned.pick')}
        </button>
        <button type="button" className="button button--small" onClick={() => fileRef.current?.click()} disabled={media.length >= maxMedia} data-testid="reply-attach">
          {t('composer.attach')}
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          multiple={maxMedia > 1}
          accept="image/jpeg,image/png,image/gif,image/webp"
          onChange={(e) => void onFiles(e.target.files)}
          data-testid="reply-attach-input"
        />
        <span className="composer-shortcut">{t('composer.shortcut')}</span>
        <button type="button" className="button button--primary" data-testid="reply-send" disabled={reason !== null} onClick={() => void send()}>
          {offline ? t('composer.queue') : t('composer.send')}
        </button>
      </div>
      <p id={reasonId} className={`composer-reason${reason === 'empty' ? ' composer-reason--quiet' : ''}`} data-testid="reply-reason" data-reason={reason ?? undefined}>
        {reasonText ?? (offline ? t('composer.offlineQueues') : null)}
      </p>
      {reason === 'replyRestricted' && target && (
        <p className="composer-restricted">
          <a className="platform-link" href={safeHttpsHref(target.message.url) ?? `https://x.com/i/status/${encodeURIComponent(target.inReplyToId)}`} target="_blank" rel="noopener noreferrer" data-testid="reply-open-x">
            {t('conversation.openOnPlatform', { platform: t('platform.x') })}
          </a>
        </p>
      )}
      {attachProblem && (
        <p className="composer-error" role="alert">
          {attachProblem === 'count' ? t('composer.attachProblem.count', { count: maxMedia, n: maxMedia }) : t(`composer.attachProblem.${attachProblem}`)}
        </p>
      )}
      {media.length > 0 && <MediaList media={media} />}
      {confirming && media.length > 0 && reason === null && (
        <div className="composer-confirm" role="alertdialog" aria-label={t('composer.confirmMedia', { count: media.length, n: media.length })} data-testid="reply-media-confirm">
          <p>{t('composer.confirmMedia', { count: media.length, n: media.length })}</p>
          <MediaList media={media} readOnly />
          <div className="composer-confirm-actions">
            <button type="button" className="button button--primary button--small" onClick={() => void send(true)} data-testid="reply-media-confirm-send">
              {t('composer.confirmMediaSend')}
            </button>
            <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
              {t('composer.cancel')}
            </button>
          </div>
        </div>
      )}
      {asThread && (
        <ol className="composer-parts" aria-label={t('composer.partsLabel')}>
          {composed.parts.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ol>
      )}
      <ConversationOutbox conversationKey={tk} url={safeHttpsHref(target?.message.url)} />
    </section>
  );
}

/** The host refused a reply to this post under X's reply rule (an entry of the conversation failed so). */
function hostRefused(entries: readonly OutboxEntry[], inReplyToId: string): boolean {
  return entries.some((e) => e.error?.kind === 'replyRestricted' && e.request.inReplyToId === inReplyToId);
}

/** When the collision guard last held back a reply of this conversation (0: never). */
function lastCollision(entries: readonly OutboxEntry[]): number {
  let at = 0;
  for (const e of entries) if (e.error?.kind === 'collision' && e.updatedAt > at) at = e.updatedAt;
  return at;
}

function AccountBadge({ account }: { account: Account }) {
  const { t } = useTranslation();
  return (
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
  );
}

/**
 * The account the reply posts as. Another account of the same platform only
 * through a choice and then a confirmation that shows who it will be: replies posted from the
 * wrong account embarrassed brands (the American Red Cross and Chrysler, both 2011).
 */
function AccountLine({
  account,
  receiving,
  accounts,
  channel,
  onSwitch,
}: {
  account: Account | undefined;
  receiving: Account | undefined;
  accounts: readonly Account[];
  channel: string;
  onSwitch: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [choosing, setChoosing] = useState(false);
  const [pending, setPending] = useState<Account | null>(null);
  const others = accounts.filter((a) => a.id !== account?.id && a.platform === account?.platform && a.state === 'connected');
  const switched = account && receiving && account.id !== receiving.id;
  return (
    <div className={`composer-as${switched ? ' composer-as--switched' : ''}`} data-testid="reply-as">
      <span className="composer-as-label">{t('composer.replyAs')}</span>
      {account ? <AccountBadge account={account} /> : <span className="composer-as-unknown">{t('composer.unknownAccount')}</span>}
      <span className="composer-via">{t('composer.via', { channel })}</span>
      {switched && <span className="composer-switched">{t('composer.notReceiving')}</span>}
      {(others.length > 0 || switched) && !choosing && !pending && (
        <button type="button" className="link-button composer-switch" onClick={() => setChoosing(true)} data-testid="reply-switch">
          {t('composer.switch')}
        </button>
      )}
      {choosing && (
        <span className="composer-switch-list">
          {others.map((a) => (
            <button
              key={a.id}
              type="button"
              className="button button--small"
              onClick={() => {
                setChoosing(false);
                setPending(a);
              }}
            >
              {a.handle ? `@${a.handle}` : a.name}
            </button>
          ))}
          <button type="button" className="link-button" onClick={() => setChoosing(false)}>
            {t('composer.cancel')}
          </button>
        </span>
      )}
      {pending && (
        <div className="composer-confirm" role="alertdialog" aria-label={t('composer.confirmTitle')}>
          <p>{t('composer.confirmTitle')}</p>
          <div className="composer-confirm-who">
            <AccountBadge account={pending} />
          </div>
          {receiving && pending.id !== receiving.id && <p className="composer-switched">{t('composer.confirmWarn', { name: receiving.name })}</p>}
          <div className="composer-confirm-actions">
            <button
              type="button"
              className="button button--primary button--small"
              onClick={() => {
                onSwitch(pending.id);
                setPending(null);
              }}
              data-testid="reply-switch-confirm"
            >
              {t('composer.confirmSwitch')}
            </button>
            <button type="button" className="button button--small" onClick={() => setPending(null)}>
              {t('composer.cancel')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function hoursLeft(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 3600_000));
}

/** Whole days left once more than two days remain; null below that (then hours count down). */
function daysLeft(at: number, now: number): number | null {
  const left = at - now;
  return left > 48 * 3600_000 ? Math.floor(left / 86_400_000) : null;
}

function WindowLine({
  window: w,
  now,
  lng,
  humanAgent,
  onHumanAgent,
}: {
  window: ReturnType<typeof answerWindow>;
  now: number;
  lng: string;
  humanAgent: boolean;
  onHumanAgent: (v: boolean) => void;
}) {
  const { t } = useTranslation();
  if (w.kind === 'none') return null;
  let line: string;
  let tone = 'ok';
  if (w.kind === 'messenger') {
    if (w.state === 'open') {
      line = t('composer.window.messengerOpen', { count: hoursLeft(w.closesAt, now), time: formatMoment(w.closesAt, now, lng) });
      if (w.closesAt - now < 3 * 3600_000) tone = 'warn';
    } else if (w.state === 'humanAgent') {
      const days = daysLeft(w.closesAt, now);
      line = days
        ? t('composer.window.humanAgentDays', { count: days, time: formatMoment(w.closesAt, now, lng) })
        : t('composer.window.humanAgent', { count: hoursLeft(w.closesAt, now), time: formatMoment(w.closesAt, now, lng) });
      tone = 'warn';
    } else {
      line = t('composer.window.messengerClosed');
      tone = 'closed';
    }
  } else if (w.open) {
    const days = daysLeft(w.closesAt, now);
    line = days
      ? t('composer.window.privateReplyDays', { count: days, time: formatMoment(w.closesAt, now, lng) })
      : t('composer.window.privateReply', { count: hoursLeft(w.closesAt, now), time: formatMoment(w.closesAt, now, lng) });
  } else {
    line = t('composer.window.privateReplyClosed');
    tone = 'closed';
  }
  return (
    <div className={`composer-window composer-window--${tone}`} data-testid="reply-window">
      <span>{line}</span>
      {w.kind === 'messenger' && w.state === 'humanAgent' && (
        <label className="composer-human">
          <input type="checkbox" checked={humanAgent} onChange={(e) => onHumanAgent(e.target.checked)} data-testid="reply-human-agent" />
          {t('composer.humanAgent')}
        </label>
      )}
    </div>
  );
}

/** This conversation's replies in the outbox: what is waiting, what went wrong, what just went out. */
function ConversationOutbox({ conversationKey, url }: { conversationKey: string; url: string | null }) {
  const { t } = useTranslation();
  const { db } = useServices();
  const entries = useLiveQuery(
    async () => ((await db.outbox.where('conversationKey').equals(conversationKey).toArray()) as OutboxEntry[]).sort(byOrder),
    [db, conversationKey],
  );
  const now = useNow();
  if (!entries) return null;
  // Sent ones stay a little while as confirmation; the reply itself is in the thread above.
  const shown = entries.filter((e) => e.state !== 'sent' || now - (e.sent?.at ?? e.updatedAt) < 10 * 60_000).slice(-10);
  if (shown.length === 0) return null;
  return (
    <section className="composer-outbox" aria-label={t('outbox.conversationLabel')} data-testid="conversation-outbox">
      <ul className="outbox-list">
        {shown.map((e) => (
          <OutboxItem key={e.clientId} entry={e} url={url} />
        ))}
      </ul>
    </section>
  );
}

/** The images of a draft, as thumbnails with their alt text; removable unless read-only (the confirmation). */
function MediaList({ media, readOnly = false }: { media: readonly DraftMedia[]; readOnly?: boolean }) {
  const { t } = useTranslation();
  const { db } = useServices();
  return (
    <ul className="composer-media" aria-label={t('composer.mediaLabel')} data-testid={readOnly ? undefined : 'reply-media'}>
      {media.map((m) => (
        <li key={m.id} className="composer-media-item" data-testid={readOnly ? 'reply-media-confirm-item' : 'reply-media-item'}>
          <img src={dataUrl(m)} alt={m.alt || m.name} className="composer-thumb" draggable={false} />
          {readOnly ? (
            <span className="composer-media-name">{m.alt || m.name}</span>
          ) : (
            <>
              <input
                className="composer-media-alt"
                defaultValue={m.alt}
                maxLength={1000}
                placeholder={t('composer.altPlaceholder')}
                aria-label={t('composer.alt', { name: m.name })}
                onChange={(e) => void db.draftMedia.update(m.id, { alt: e.target.value })}
              />
              <button type="button" className="link-button" onClick={() => void db.draftMedia.delete(m.id)} aria-label={t('composer.removeImage', { name: m.name })}>
                {t('composer.remove')}
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
