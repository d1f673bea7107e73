import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fillTemplate } from '../../../shared/canned.js';
import type { AppError, MediaInput, PostEntry, Status } from '../../../shared/contract.js';
import { MAX_THREAD_PARTS } from '../../../shared/text/split.js';
import { composePost, postMediaLimit } from '../../../shared/newPost.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';
import { Avatar } from '../board/Avatar';
import { agentValues, signatureTemplate, useAgentProfile } from '../composer/agent';
import { attach, dataUrl, draftMedia, toInput, type AttachProblem, type DraftMedia } from '../composer/media';
import { errorMessage } from '../i18n/errors';
import { formatMoment, formatNumber } from '../i18n/format';
import { useConnection, useHostStatus, useServices } from '../services';
import { DateField } from '../settings/DateField';
import { Name } from '../text/Name';
import { useModal } from '../useModal';
import { useNow } from '../useNow';
import { momentFields, postBlockReason, scheduleMoment, sortPosts, suggestedMoment, textOfParts, type PostBlock } from './logic';
import { loadPostDraft, NEW_POST_EVENT, NEW_POST_MEDIA_KEY, savePostDraft, useNewPostUi, usePosts, type NewPostDraft } from './posts';
import '../composer/composer.css';
import '../outbox/outbox.css';
import './newpost.css';
import { Icon } from '../icons/Icon';

type Account = Status['accounts'][number];
const NO_MEDIA: readonly DraftMedia[] = [];

/**
 * "New post" (`n`, or the top bar's button): a public post on an X account or a
 * Facebook Page, counted, split, signed and checked as a reply is, shown once
 * more with the account it posts as before it goes, and handed to the host,
 * which keeps it and sends it now or at its time, with or without a window.
 * Below the box, the posts the host keeps: move, edit, cancel, retry.
 */
export function NewPost() {
  const { t } = useTranslation();
  const open = useNewPostUi((s) => s.open);
  const setOpen = useNewPostUi((s) => s.setOpen);
  const ref = useModal(open);
  const titleId = useId();

  useEffect(() => {
    const onOpen = () => setOpen(true);
    window.addEventListener(NEW_POST_EVENT, onOpen);
    return () => window.removeEventListener(NEW_POST_EVENT, onOpen);
  }, [setOpen]);

  return (
    <dialog ref={ref} className="dialog newpost-dialog" aria-labelledby={titleId} onClose={() => setOpen(false)} data-testid="newpost">
      {open && (
        <>
          <header className="newpost-head">
            <h2 id={titleId}>{t('newPost.title')}</h2>
            <button type="button" className="button button--small" onClick={() => setOpen(false)} data-testid="newpost-close">
              {t('newPost.close')}
            </button>
          </header>
          <NewPostBody />
        </>
      )}
    </dialog>
  );
}

/** The top bar's button, with how many posts still wait to go out. */
export function NewPostLaunch() {
  const { t } = useTranslation();
  const setOpen = useNewPostUi((s) => s.setOpen);
  const posts = usePosts();
  const waiting = posts?.filter((p) => p.state !== 'sent').length ?? 0;
  return (
    <button type="button" className="bar-pill" onClick={() => setOpen(true)} title={t('newPost.openHint')} aria-keyshortcuts="n" data-testid="newpost-open">
      <Icon name="add" size={14} /> {t('newPost.open')}
      {waiting > 0 && (
        <span className="newpost-count" title={t('newPost.count', { count: waiting, n: waiting })} data-testid="newpost-count">
          {waiting}
        </span>
      )}
    </button>
  );
}

function NewPostBody() {
  const { db } = useServices();
  const [draft, setDraft] = useState<NewPostDraft | null>(null);
  useEffect(() => {
    let live = true;
    void loadPostDraft(db).then((d) => {
      if (live) setDraft(d);
    });
    return () => {
      live = false;
    };
  }, [db]);
  if (!draft) return null;
  const update = (patch: Partial<NewPostDraft>) => {
    setDraft((d) => {
      const next = { ...(d ?? { text: '' }), ...patch };
      void savePostDraft(db, next);
      return next;
    });
  };
  return (
    <>
      <PostForm draft={draft} update={update} />
      <PostList draft={draft} update={update} />
    </>
  );
}

type Outcome = { kind: 'handed'; entry: PostEntry } | { kind: 'refused'; error: AppError } | null;

function PostForm({ draft, update }: { draft: NewPostDraft; update(patch: Partial<NewPostDraft>): void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { db, host } = useServices();
  const status = useHostStatus();
  const connection = useConnection();
  const profile = useAgentProfile();
  const now = useNow();
  const ids = useId();
  const accounts = status?.accounts ?? [];
  const account = accounts.find((a) => a.id === draft.accountId);
  const platform = account?.platform ?? 'x';
  const channel = platform === 'x' ? 'x_mention' : 'fb_comment';
  const signature = fillTemplate(signatureTemplate(profile), agentValues(profile), channel);
  const hasSignature = /[\p{L}\p{N}]/u.test(signature);
  const composed = composePost(draft.text, platform, hasSignature ? signature : '', draft.split === true);
  const media = useLiveQuery(() => draftMedia(db, NEW_POST_MEDIA_KEY), [db]) ?? NO_MEDIA;
  const maxMedia = postMediaLimit(platform, media);
  const at = draft.schedule ? scheduleMoment(draft.date ?? '', draft.time ?? '') : undefined;
  const reason = postBlockReason({ account, composed, media: { count: media.length, max: maxMedia }, ...(draft.schedule ? { schedule: { at: at ?? null } } : {}), now });
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [attachProblem, setAttachProblem] = useState<AttachProblem | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const inFlight = useRef(false);
  const hostDown = connection !== 'open';

  const onFiles = async (files: FileList | null) => {
    setAttachProblem(null);
    for (const file of Array.from(files ?? [])) {
      const problem = await attach(db, NEW_POST_MEDIA_KEY, file, channel);
      if (problem) {
        setAttachProblem(problem);
        break;
      }
    }
    if (fileRef.current) fileRef.current.value = '';
  };

  const schedule = (on: boolean) => {
    if (on && !draft.date) update({ schedule: true, ...momentFields(suggestedMoment(Date.now())) });
    else update({ schedule: on });
  };

  const send = async () => {
    if (reason || inFlight.current || !account || hostDown) return;
    // The account guard: who it posts as, when, and what, shown once more before it goes.
    if (!confirming) {
      setConfirming(true);
      return;
    }
    inFlight.current = true;
    // One id per post, kept with the draft until the host has it: a hand-over cut off halfway is the same post when tried again.
    const clientId = draft.clientId ?? crypto.randomUUID();
    if (!draft.clientId) update({ clientId });
    try {
      const r = await host.call('queuePost', {
        clientId,
        accountId: account.id,
        parts: composed.parts.length > 0 ? composed.parts : [''],
        ...(media.length > 0 ? { media: media.map(toInput) } : {}),
        ...(draft.schedule && at ? { at } : {}),
        ...(profile.name.trim() ? { by: profile.name.trim() } : {}),
      });
      setConfirming(false);
      if (!r.ok) {
        setOutcome({ kind: 'refused', error: r.error });
        return;
      }
      setOutcome({ kind: 'handed', entry: r.value });
      update({ text: '', clientId: undefined, split: undefined, schedule: false, date: undefined, time: undefined });
      await db.draftMedia.where('threadKey').equals(NEW_POST_MEDIA_KEY).delete();
    } finally {
      inFlight.current = false;
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const { count } = composed;
  const remaining = count.limit - count.length;
  const asThread = composed.threaded && !composed.splitRefused;
  const counterText = asThread
    ? t('composer.threadCount', { count: composed.parts.length, n: formatNumber(composed.parts.length, lng) })
    : remaining >= 0
      ? t('composer.remaining', { count: remaining, n: formatNumber(remaining, lng) })
      : t('composer.tooMany', { count: -remaining, n: formatNumber(remaining, lng) });
  const platformName = t(`platform.${platform}`);

  function reasonText(r: PostBlock): string {
    switch (r) {
      case 'noAccount':
      case 'empty':
      case 'timeInvalid':
      case 'timePast':
      case 'timeTooFar':
        return t(`newPost.reason.${r}`);
      case 'reconnect':
      case 'cannotPublish':
        return t(`newPost.reason.${r}`, { name: account?.name ?? '' });
      case 'tooLong':
        return platform === 'x' ? t('composer.reason.tooLongSplit', { limit: formatNumber(count.limit, lng) }) : t('newPost.reason.tooLong', { platform: platformName, limit: formatNumber(count.limit, lng) });
      case 'invalid':
        return t('composer.reason.invalid', { platform: platformName });
      case 'tooManyMedia':
        return t('newPost.reason.tooManyMedia', { n: maxMedia, platform: platformName });
      case 'splitRefused': {
        const s = composed.splitRefused;
        if (s?.reason === 'link') return t('composer.reason.splitLink', { link: s.link.length > 60 ? `${s.link.slice(0, 59)}…` : s.link });
        if (s?.reason === 'unbreakable') return t('composer.reason.splitUnbreakable');
        return t('composer.reason.splitTooManyParts', { max: formatNumber(Math.min(MAX_THREAD_PARTS, 25), lng) });
      }
    }
  }

  const inputId = `${ids}-input`;
  const reasonId = `${ids}-reason`;
  const counterId = `${ids}-counter`;
  const when = draft.schedule && at ? formatMoment(at, now, lng) : null;
  return (
    <section className="newpost-form" aria-label={t('newPost.title')}>
      <fieldset className="newpost-accounts" data-testid="newpost-accounts">
        <legend>{t('newPost.as')}</legend>
        {accounts.map((a) => (
          <label key={a.id} className={`newpost-account${a.id === draft.accountId ? ' newpost-account--on' : ''}${a.state === 'reconnect' ? ' newpost-account--reconnect' : ''}`} data-testid="newpost-account" data-account={a.id}>
            <input type="radio" name={`${ids}-account`} checked={a.id === draft.accountId} onChange={() => update({ accountId: a.id })} />
            <AccountBadge account={a} />
          </label>
        ))}
      </fieldset>
      <textarea
        id={inputId}
        className="composer-input newpost-input"
        data-testid="newpost-input"
        value={draft.text}
        placeholder={t('newPost.placeholder')}
        aria-label={t('newPost.label')}
        aria-describedby={`${counterId} ${reasonId}`}
        rows={5}
        spellCheck
        lang={lng}
        onChange={(e) => {
          setOutcome(null);
          setConfirming(false);
          update({ text: e.target.value });
        }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <span id={counterId} className={`composer-counter${!asThread && remaining < 0 ? ' composer-counter--over' : ''}`} data-testid="newpost-counter">
          {counterText}
        </span>
        {hasSignature && (
          <span className="composer-signature" title={t('composer.signatureHint')} data-testid="newpost-signature">
            {t('composer.signature', { signature })}
          </span>
        )}
        {platform === 'x' && (draft.split || count.length > count.limit) && (
          <label className="composer-split">
            <input type="checkbox" checked={draft.split === true} onChange={(e) => update({ split: e.target.checked })} data-testid="newpost-split" />
            {t('composer.split')}
          </label>
        )}
        <button type="button" className="button button--small" onClick={() => fileRef.current?.click()} disabled={media.length >= maxMedia} data-testid="newpost-attach">
          {t('composer.attach')}
        </button>
        <input ref={fileRef} type="file" hidden multiple={maxMedia > 1} accept="image/jpeg,image/png,image/gif,image/webp" onChange={(e) => void onFiles(e.target.files)} data-testid="newpost-attach-input" />
      </div>
      {attachProblem && (
        <p className="composer-error" role="alert">
          {attachProblem === 'count' ? t('composer.attachProblem.count', { count: maxMedia, n: maxMedia }) : t(`composer.attachProblem.${attachProblem}`)}
        </p>
      )}
      {media.length > 0 && <MediaList media={media} />}
      <div className="newpost-when">
        <label className="composer-split">
          <input type="checkbox" checked={draft.schedule === true} onChange={(e) => schedule(e.target.checked)} data-testid="newpost-schedule" />
          {t('newPost.schedule')}
        </label>
        {draft.schedule && (
          <>
            <label className="newpost-field">
              <span>{t('newPost.date')}</span>
              <DateField value={draft.date ?? ''} onChange={(iso) => update({ date: iso })} testId="newpost-date" label={t('newPost.date')} />
            </label>
            <label className="newpost-field">
              <span>{t('newPost.time')}</span>
              <input
                type="text"
                inputMode="numeric"
                className="newpost-time"
                value={draft.time ?? ''}
                placeholder={t('newPost.timePlaceholder')}
                maxLength={8}
                size={8}
                onChange={(e) => update({ time: e.target.value })}
                data-testid="newpost-time"
              />
            </label>
          </>
        )}
        <button type="button" className="button button--primary" disabled={reason !== null || hostDown} onClick={() => void send()} data-testid="newpost-send">
          {draft.schedule ? t('newPost.scheduleButton') : t('newPost.postNow')}
        </button>
      </div>
      <p id={reasonId} className={`composer-reason${reason === 'empty' || reason === 'noAccount' ? ' composer-reason--quiet' : ''}`} data-testid="newpost-reason">
        {reason ? reasonText(reason) : hostDown ? t('newPost.hostDown') : null}
      </p>
      {confirming && account && reason === null && (
        <div className="composer-confirm" role="alertdialog" aria-label={t('newPost.confirmTitle', { name: account.name, platform: platformName })} data-testid="newpost-confirm">
          <p>{t('newPost.confirmTitle', { name: account.name, platform: platformName })}</p>
          <div className="composer-confirm-who">
            <AccountBadge account={account} />
          </div>
          <p>{when ? t('newPost.confirmAt', { time: when }) : t('newPost.confirmNow')}</p>
          {asThread && <p>{t('newPost.confirmThread', { n: composed.parts.length })}</p>}
          {media.length > 0 && (
            <>
              <p>{t('newPost.confirmImages', { n: media.length })}</p>
              <MediaList media={media} readOnly />
            </>
          )}
          <div className="composer-confirm-actions">
            <button type="button" className="button button--primary button--small" onClick={() => void send()} data-testid="newpost-confirm-send">
              {draft.schedule ? t('newPost.confirmSchedule') : t('newPost.confirmSend')}
            </button>
            <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
              {t('newPost.back')}
            </button>
          </div>
        </div>
      )}
      {outcome?.kind === 'handed' && (
        <p className="newpost-outcome" role="status" data-testid="newpost-outcome">
          {outcome.entry.scheduled ? t('newPost.scheduledFor', { time: formatMoment(outcome.entry.at, now, lng) }) : t('newPost.queued')}
        </p>
      )}
      {outcome?.kind === 'refused' && (
        <p className="composer-error" role="alert" data-testid="newpost-refused">
          {t('newPost.notHanded', { reason: errorMessage(t, outcome.error, lng, now) })}
        </p>
      )}
      {asThread && (
        <ol className="composer-parts" aria-label={t('composer.partsLabel')}>
          {composed.parts.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ol>
      )}
    </section>
  );
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

function MediaList({ media, readOnly = false }: { media: readonly DraftMedia[]; readOnly?: boolean }) {
  const { t } = useTranslation();
  const { db } = useServices();
  return (
    <ul className="composer-media" aria-label={t('composer.mediaLabel')} data-testid={readOnly ? undefined : 'newpost-media'}>
      {media.map((m) => (
        <li key={m.id} className="composer-media-item">
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

/** The posts the host keeps: what waits (soonest first), then what went out lately. */
function PostList({ draft, update }: { draft: NewPostDraft; update(patch: Partial<NewPostDraft>): void }) {
  const { t } = useTranslation();
  const posts = usePosts();
  if (!posts) return null;
  const { waiting, sent } = sortPosts(posts);
  return (
    <section className="newpost-list" aria-label={t('newPost.listTitle')} data-testid="newpost-list">
      <h3>{t('newPost.listTitle')}</h3>
      {waiting.length === 0 ? (
        <p className="newpost-empty">{t('newPost.listEmpty')}</p>
      ) : (
        <ul className="outbox-list">
          {waiting.map((p) => (
            <PostItem key={p.clientId} post={p} draft={draft} update={update} />
          ))}
        </ul>
      )}
      {sent.length > 0 && (
        <>
          <h4>{t('newPost.recent')}</h4>
          <ul className="outbox-list">
            {sent.slice(0, 10).map((p) => (
              <PostItem key={p.clientId} post={p} draft={draft} update={update} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PostItem({ post, draft, update }: { post: PostEntry; draft: NewPostDraft; update(patch: Partial<NewPostDraft>): void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { db, host } = useServices();
  const status = useHostStatus();
  const profile = useAgentProfile();
  const now = useNow();
  const [moving, setMoving] = useState<{ date: string; time: string } | null>(null);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<AppError | null>(null);
  const account = status?.accounts.find((a) => a.id === post.accountId);
  const name = account ? (account.handle ? `@${account.handle}` : account.name) : post.accountId;
  const waitingFor = post.state === 'scheduled' && post.error ? post.error : null;
  const stateKey = post.state === 'scheduled' && post.at <= now ? 'waiting' : post.state;
  const editable = (post.state === 'scheduled' || post.state === 'failed') && post.sentParts === 0;
  const cancellable = post.state === 'scheduled' || post.state === 'failed';
  const url = post.sent?.url ? safeHttpsHref(post.sent.url) : null;

  const answer = (r: { ok: true } | { ok: false; error: AppError }) => setProblem(r.ok ? null : r.error);

  const takeBack = async () => {
    const r = await host.call('cancelPost', { clientId: post.clientId });
    if (!r.ok) return answer(r);
    const signature = fillTemplate(signatureTemplate(profile), agentValues(profile), post.platform === 'x' ? 'x_mention' : 'fb_comment');
    const at = post.scheduled && post.at > Date.now() ? momentFields(post.at) : null;
    update({ text: textOfParts(r.value.parts, signature), accountId: r.value.accountId, clientId: undefined, split: r.value.parts.length > 1 || undefined, schedule: at !== null, ...(at ?? {}) });
    await addImages(db, r.value.media);
  };

  const move = async () => {
    if (!moving) return;
    const at = scheduleMoment(moving.date, moving.time);
    if (at === null) return setProblem({ kind: 'invalidInput', detail: t('newPost.reason.timeInvalid') });
    const r = await host.call('updatePost', { clientId: post.clientId, at });
    answer(r);
    if (r.ok) setMoving(null);
  };

  return (
    <li className={`outbox-item outbox-item--${post.state === 'scheduled' ? 'queued' : post.state}`} data-testid="newpost-item" data-state={post.state} data-client-id={post.clientId}>
      <div className="outbox-item-head">
        <span className={`outbox-state outbox-state--${post.state === 'scheduled' ? 'queued' : post.state}`} data-testid="newpost-item-state">
          {t(`newPost.state.${stateKey}`)}
        </span>
        <span className={`badge badge--platform-${post.platform}`}>{t(`platform.${post.platform}`)}</span>
        <span className="outbox-tag">{name}</span>
        {post.parts.length > 1 && <span className="outbox-tag">{t('newPost.thread', { n: post.parts.length })}</span>}
        {post.mediaCount > 0 && <span className="outbox-tag">{t('newPost.images', { n: post.mediaCount })}</span>}
        <span className="outbox-time" data-testid="newpost-item-time">
          {post.state === 'sent' && post.sent ? t('newPost.sentAt', { time: formatMoment(post.sent.at, now, lng) }) : t('newPost.at', { time: formatMoment(post.at, now, lng) })}
        </span>
        {post.by && <span className="outbox-tag">{t('newPost.by', { name: post.by })}</span>}
      </div>
      <p className="outbox-text">{post.parts.join('\n')}</p>
      {post.state === 'unknown' && <p className="outbox-note">{t('newPost.unknownExplain')}</p>}
      {waitingFor?.kind === 'offline' && <p className="outbox-note">{t('newPost.waitingOffline')}</p>}
      {waitingFor?.kind === 'reconnectNeeded' && <p className="outbox-note">{t('newPost.waitingReconnect', { name: account?.name ?? post.accountId })}</p>}
      {waitingFor?.kind === 'rateLimited' && post.nextAttemptAt && <p className="outbox-note">{t('newPost.waitingRate', { time: formatMoment(post.nextAttemptAt, now, lng) })}</p>}
      {post.sentParts > 0 && post.state !== 'sent' && <p className="outbox-note">{t('newPost.halfway', { sent: post.sentParts, n: post.parts.length })}</p>}
      {post.state === 'failed' && post.error && (
        <div className="outbox-error" role="alert">
          <p>{errorMessage(t, post.error, lng, now)}</p>
        </div>
      )}
      {problem && (
        <p className="composer-error" role="alert">
          {errorMessage(t, problem, lng, now)}
        </p>
      )}
      {moving && (
        <div className="newpost-when">
          <DateField value={moving.date} onChange={(iso) => setMoving({ ...moving, date: iso })} testId="newpost-move-date" label={t('newPost.date')} />
          <input type="text" className="newpost-time" value={moving.time} aria-label={t('newPost.time')} placeholder={t('newPost.timePlaceholder')} maxLength={8} size={8} onChange={(e) => setMoving({ ...moving, time: e.target.value })} data-testid="newpost-move-time" />
          <button type="button" className="button button--small button--primary" onClick={() => void move()} data-testid="newpost-move-save">
            {t('newPost.save')}
          </button>
          <button type="button" className="button button--small" onClick={() => setMoving(null)}>
            {t('newPost.back')}
          </button>
        </div>
      )}
      {asking && (
        <div className="composer-confirm" role="alertdialog" aria-label={t('newPost.cancelAsk')}>
          <p>{t('newPost.cancelAsk')}</p>
          <div className="composer-confirm-actions">
            <button
              type="button"
              className="button button--small button--primary"
              onClick={() => {
                setAsking(false);
                void host.call('cancelPost', { clientId: post.clientId }).then(answer);
              }}
              data-testid="newpost-cancel-yes"
            >
              {t('newPost.cancelYes')}
            </button>
            <button type="button" className="button button--small" onClick={() => setAsking(false)}>
              {t('newPost.keep')}
            </button>
          </div>
        </div>
      )}
      <div className="outbox-actions">
        {post.state === 'failed' && (
          <button type="button" className="button button--small" onClick={() => void host.call('retryPost', { clientId: post.clientId }).then(answer)} data-testid="newpost-retry">
            {t('newPost.retry')}
          </button>
        )}
        {editable && post.state === 'scheduled' && !moving && (
          <button type="button" className="button button--small" onClick={() => setMoving(momentFields(Math.max(post.at, suggestedMoment(Date.now()))))} data-testid="newpost-move">
            {t('newPost.move')}
          </button>
        )}
        {editable && (
          <button
            type="button"
            className="button button--small"
            disabled={draft.text.trim() !== ''}
            title={draft.text.trim() !== '' ? t('newPost.editBusy') : undefined}
            onClick={() => void takeBack()}
            data-testid="newpost-edit"
          >
            {t('newPost.edit')}
          </button>
        )}
        {cancellable && !asking && (
          <button type="button" className="button button--small" onClick={() => setAsking(true)} data-testid="newpost-cancel">
            {post.state === 'failed' ? t('newPost.discard') : t('newPost.cancel')}
          </button>
        )}
        {url && (
          <a className="platform-link" href={url} target="_blank" rel="noopener noreferrer" data-testid="newpost-open-platform">
            {t('conversation.openOnPlatform', { platform: t(`platform.${post.platform}`) })}
          </a>
        )}
      </div>
    </li>
  );
}

/** Images of a post taken back into the box, as the draft's own again. */
async function addImages(db: ReturnType<typeof useServices>['db'], media: readonly MediaInput[]): Promise<void> {
  const now = Date.now();
  const rows: DraftMedia[] = media.map((m, i) => ({
    id: crypto.randomUUID(),
    threadKey: NEW_POST_MEDIA_KEY,
    name: `image-${i + 1}`,
    mimeType: m.mimeType,
    dataBase64: m.dataBase64,
    size: Math.floor((m.dataBase64.length * 3) / 4),
    alt: m.alt ?? '',
    addedAt: now + i,
  }));
  if (rows.length) await db.draftMedia.bulkAdd(rows);
}
