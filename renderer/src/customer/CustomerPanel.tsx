import { useLiveQuery } from 'dexie-react-hooks';
import Dexie, { type ObservabilitySet } from 'dexie';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isXPostChannel, platformOf, type Message } from '../../../shared/model.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
import { previewText } from '../../../shared/text/preview.js';
import { safeHttpsHref } from '../../../shared/text/segments.js';
import { TimeAgo } from '../board/TimeAgo';
import { threadKey } from '../conversation/thread';
import { formatNumber } from '../i18n/format';
import { messageKeyOfSearchKey, searchMessages } from '../search/searchIndex';
import { useDb, useServices } from '../services';
import { useUi } from '../store';
import { Name } from '../text/Name';
import { applyCustomerChange, customersOf, earlierConversations, groupIdentities, identityOf, linkAllChange, peopleOf, unlinkAllChange, type CustomerChange } from './customers';
import './customer.css';

/** Who wrote the selected message, their other conversations, and the identities the team linked to them. */
export function CustomerPanel({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const db = useDb();
  const lng = i18n.language;
  const me = identityOf(message);
  const customer = useLiveQuery(async () => (await customersOf(db, [me]))[0] ?? null, [db, me]);
  const identities = customer ? customer.identities : [me];
  const identitiesId = identities.join('\n');
  const thread = threadKey(message);
  const earlier = useLiveQuery(
    async () => {
      const found = await earlierConversations(db, identitiesId.split('\n'), thread);
      return { ...found, conversations: found.conversations.filter((c) => !sameConversation(c.latest, message)) };
    },
    [db, identitiesId, thread, message],
  );
  const [notice, setNotice] = useState<{ text: string; undo: CustomerChange | null } | null>(null);

  const change = (c: CustomerChange, text: string) => {
    applyCustomerChange(db, c).then(
      (undo) => setNotice({ text, undo }),
      (e: unknown) => console.warn('customer link not saved', e),
    );
  };
  const undo = () => {
    if (!notice?.undo) return;
    applyCustomerChange(db, notice.undo).then(
      () => setNotice(null),
      (e: unknown) => console.warn('undo failed', e),
    );
  };

  if (message.fromUs) return null;
  const a = message.author;
  const bio = (a as typeof a & { bio?: unknown }).bio;
  return (
    <section className="customer" data-testid="customer" aria-label={t('customer.label')}>
      <div className="customer-profile">
        <Name className="card-name" text={a.name} />
        {platformOf(message.channel) === 'x' && a.handle && (
          <span className="card-handle">
            @<Name text={a.handle} max={100} />
          </span>
        )}
        {a.verified && <span className="customer-verified">{t('customer.verified')}</span>}
        {a.followers !== undefined && (
          <span className="customer-followers">{t('customer.followers', { count: a.followers, n: formatNumber(a.followers, lng) })}</span>
        )}
        <OpenOnPlatform message={message} />
      </div>
      {typeof bio === 'string' && bio !== '' && (
        <p className="customer-bio">
          <bdi>{previewText(bio, 400)}</bdi>
        </p>
      )}

      {identities.length > 1 && <LinkedIdentities identities={identities} onUnlink={(ids, name) => change(unlinkAllChange(customer ? [customer] : [], ids), t('customer.unlinkedDone', { name }))} />}

      {notice && (
        <div className="customer-notice" role="status">
          {notice.text}
          {notice.undo && (
            <button type="button" className="link-button" onClick={undo} data-testid="customer-undo">
              {t('customer.undo')}
            </button>
          )}
        </div>
      )}

      <LinkIdentity
        exclude={identities}
        onLink={(others, name) => {
          void customersOf(db, [me, ...others]).then((records) => change(linkAllChange(records, me, others, crypto.randomUUID()), t('customer.linkedDone', { name })));
        }}
      />

      <div className="customer-block">
        <h3 className="customer-heading">{t('customer.earlier')}</h3>
        {earlier === undefined ? null : earlier.conversations.length === 0 ? (
          <p className="customer-empty">{t('customer.earlierNone')}</p>
        ) : (
          <ul className="customer-earlier" data-testid="customer-earlier">
            {earlier.conversations.map((c) => (
              <li key={c.id}>
                <EarlierItem latest={c.latest} count={c.count} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/**
 * One X conversation is one conversation, whichever stream brought its posts (a
 * mention, a search hit): never listed as an earlier conversation of itself.
 */
function sameConversation(a: Pick<Message, 'channel' | 'conversationId' | 'platformId'>, b: Pick<Message, 'channel' | 'conversationId' | 'platformId'>): boolean {
  if (!isXPostChannel(a.channel) || !isXPostChannel(b.channel)) return false;
  return a.conversationId === b.conversationId || a.platformId === b.platformId;
}

function EarlierItem({ latest, count }: { latest: Message; count: number }) {
  const { t, i18n } = useTranslation();
  const select = useUi((s) => s.select);
  return (
    <button type="button" className="customer-conversation" onClick={() => select(latest.key)} data-testid="customer-conversation" data-key={latest.key}>
      <span className="customer-conversation-head">
        <span className={`badge badge--${latest.channel}`}>{t(`channelBadge.${latest.channel}`)}</span>
        <span className="customer-count">{t('customer.messages', { count, n: formatNumber(count, i18n.language) })}</span>
        <TimeAgo at={latest.createdAt} className="card-time" />
      </span>
      <span className="customer-conversation-text">{previewText(latest.text, 160)}</span>
    </button>
  );
}

/** The customer's linked identities, one row per person (see `groupIdentities`), each with its unlink button. */
function LinkedIdentities({ identities, onUnlink }: { identities: readonly string[]; onUnlink(ids: string[], name: string): void }) {
  const { t } = useTranslation();
  const db = useDb();
  const id = identities.join('\n');
  const rows = useLiveQuery(async () => {
    const list = id.split('\n');
    // Each identity by the name on its newest message (the index's author field is newest first).
    const labels = await Promise.all(
      list.map(async (identity) => {
        const row = await db.searchIndex.where('who').equals(identity).first();
        const m = row ? await db.messages.get(messageKeyOfSearchKey(row.sk)) : undefined;
        return { identity, name: m?.author.name ?? identity.split(':').slice(1).join(':'), handle: m?.author.handle ?? '' };
      }),
    );
    return groupIdentities(labels);
  }, [db, id]);
  return (
    <div className="customer-block">
      <h3 className="customer-heading">{t('customer.linked')}</h3>
      <ul className="customer-identities" data-testid="customer-identities">
        {(rows ?? []).map((r) => {
          const name = r.handle ? `${r.name} @${r.handle}` : r.name;
          return (
            <li key={r.key} data-identities={r.identities.length}>
              <span className="customer-identity">
                <span className={`badge badge--platform-${r.platform}`}>{t(`platform.${r.platform}`)}</span> <Name text={name} />
              </span>
              <button type="button" className="link-button" onClick={() => onUnlink(r.identities, stripBidiControls(name))} data-testid="customer-unlink">
                {t('customer.unlink')}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** How many times the search index changed while `on` (written here, by the ingest's worker or another window), counted at most once a second. */
function useIndexChanges(dbName: string, on: boolean): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!on) return;
    const prefix = `idb://${dbName}/searchIndex/`;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMutated = (parts: ObservabilitySet) => {
      if (timer !== undefined || !Object.keys(parts).some((p) => p.startsWith(prefix))) return;
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        setCount((n) => n + 1);
      }, Math.max(0, last + 1000 - Date.now()));
    };
    Dexie.on('storagemutated', onMutated);
    return () => {
      Dexie.on('storagemutated').unsubscribe(onMutated);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [dbName, on]);
  return count;
}

/** Finds people in the cache by name or handle (the search index has their words) and links one. */
function LinkIdentity({ exclude, onLink }: { exclude: readonly string[]; onLink(identities: string[], name: string): void }) {
  const { t } = useTranslation();
  const db = useDb();
  const [text, setText] = useState('');
  const query = text.trim();
  const excludeId = exclude.join('\n');
  // Searched once per query as typed (a pause of 150 ms), and again when the search index has new
  // words (a message that just arrived is indexed a moment after it is stored), at most once a
  // second: not for every batch stored while the box is open.
  const [found, setFound] = useState<{ query: string; excludeId: string; people: ReturnType<typeof peopleOf> } | null>(null);
  const indexed = useIndexChanges(db.name, query.length >= 2);
  useEffect(() => {
    if (query.length < 2) return;
    let live = true;
    const timer = setTimeout(() => {
      searchMessages(db, { text: query }, { limit: 60 }).then(
        ({ messages }) => {
          if (live) setFound({ query, excludeId, people: peopleOf(messages, new Set(excludeId.split('\n'))) });
        },
        (e: unknown) => console.warn('people not searched', e),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [db, query, excludeId, indexed]);
  const candidates = query.length < 2 ? [] : found && found.query === query && found.excludeId === excludeId ? found.people : undefined;

  return (
    <details className="customer-block customer-link">
      <summary>{t('customer.link')}</summary>
      <input
        type="search"
        className="customer-link-input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('customer.linkHint')}
        aria-label={t('customer.linkHint')}
        data-testid="customer-link-input"
        maxLength={200}
      />
      {query.length >= 2 && candidates !== undefined && candidates.length === 0 && <p className="customer-empty">{t('customer.noCandidates')}</p>}
      <ul className="customer-candidates">
        {(candidates ?? []).map((p) => (
          <li key={p.key} data-identities={p.identities.length}>
            <span className={`badge badge--platform-${p.platform}`}>{t(`platform.${p.platform}`)}</span> <Name text={p.name} />
            {p.handle && (
              <span className="card-handle">
                @<Name text={p.handle} max={100} />
              </span>
            )}
            {p.platform === 'facebook' && <span className="customer-where">{p.channels.map((c) => t(`channel.${c}`)).join(' · ')}</span>}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                onLink(p.identities, stripBidiControls(p.name));
                setText('');
              }}
              data-testid="customer-link"
            >
              {t('customer.linkThis')}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The original post on the platform, through the host's one audited opener (https only). */
function OpenOnPlatform({ message }: { message: Message }) {
  const { t } = useTranslation();
  const { host } = useServices();
  const [failed, setFailed] = useState(false);
  const url = safeHttpsHref(message.url);
  if (!url) return null;
  const platform = platformOf(message.channel);
  const open = () => {
    setFailed(false);
    host.call('openExternal', { url }).then(
      (r) => setFailed(!r.ok),
      () => setFailed(true),
    );
  };
  return (
    <>
      <button type="button" className="button customer-open" onClick={open} data-testid="open-on-platform" title={url}>
        {t('customer.openOnPlatform', { platform: t(`platform.${platform}`) })}
      </button>
      {failed && (
        <span className="customer-error" role="alert">
          {t('customer.openFailed')}
        </span>
      )}
    </>
  );
}
