import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { codePointLength } from '../../../shared/fitMessage.js';
import { MessageSchema, type Message } from '../../../shared/model.js';
import type { HostApi } from '../api/host';
import { useLang } from '../i18n/useLang';
import { useServices } from '../services';
import './shortened.css';

/** The mark on a message whose text, name or handle was cut to the console's limit (`Message.shortened`). */
export function ShortenedMark({ className }: { className?: string }) {
  // Drawn on cards: the shared language, not a useTranslation of its own (see useLang).
  const { t } = useLang();
  return (
    <span className={['shortened-mark', className].filter(Boolean).join(' ')} data-testid="shortened-mark" title={t('card.shortenedTitle')}>
      {t('card.shortened')}
    </span>
  );
}

const TEXT_MAX = MessageSchema.shape.text.maxLength ?? Number.POSITIVE_INFINITY;

/**
 * Whether the text itself was cut (not only the name or handle): a cut text is
 * as long as the limit, in code points, or one shorter where a lone surrogate was dropped.
 */
export function textWasCut(m: Pick<Message, 'shortened' | 'text'>): boolean {
  return m.shortened === true && m.text.length >= TEXT_MAX - 1 && codePointLength(m.text) >= TEXT_MAX - 1;
}

export type FullText = { kind: 'idle' } | { kind: 'loading' } | { kind: 'shown'; text: string } | { kind: 'gone' } | { kind: 'failed' };

/** Asks the host for the whole text it kept of a shortened message. */
export async function fetchFullText(host: Pick<HostApi, 'call'>, m: Pick<Message, 'key' | 'accountId'>): Promise<FullText> {
  try {
    const r = await host.call('getFullText', { accountId: m.accountId, key: m.key });
    if (r.ok) return { kind: 'shown', text: r.value.text };
    return { kind: r.error.kind === 'targetGone' ? 'gone' : 'failed' };
  } catch {
    return { kind: 'failed' };
  }
}

/** The whole text of a shortened message on demand: `text` is set while it is shown. */
export function useFullText(m: Pick<Message, 'key' | 'accountId'>) {
  const { host } = useServices();
  const [state, setState] = useState<FullText>({ kind: 'idle' });
  const { key, accountId } = m;
  const show = useCallback(() => {
    setState({ kind: 'loading' });
    void fetchFullText(host, { key, accountId }).then(setState);
  }, [host, key, accountId]);
  const hide = useCallback(() => setState({ kind: 'idle' }), []);
  return { state, show, hide, text: state.kind === 'shown' ? state.text : undefined };
}

/** In the conversation: the mark, what it means, and "Show full text" / back to the shortened one. */
export function ShortenedControls({ message, full }: { message: Pick<Message, 'shortened' | 'text'>; full: ReturnType<typeof useFullText> }) {
  const { t } = useTranslation();
  const { state } = full;
  const cut = textWasCut(message);
  return (
    <span className="shortened-controls" data-testid="shortened-controls">
      <ShortenedMark />
      <span className="shortened-note">{t('conversation.shortened')}</span>
      {!cut ? null : state.kind === 'shown' ? (
        <button type="button" className="link-button" onClick={full.hide} data-testid="show-shortened">
          {t('conversation.showShortened')}
        </button>
      ) : (
        <button type="button" className="link-button" onClick={full.show} disabled={state.kind === 'loading'} data-testid="show-full-text">
          {state.kind === 'loading' ? t('conversation.fullTextLoading') : t('conversation.showFullText')}
        </button>
      )}
      {(state.kind === 'gone' || state.kind === 'failed') && (
        <span className="shortened-error" role="alert">
          {state.kind === 'gone' ? t('conversation.fullTextGone') : t('conversation.fullTextFailed')}
        </span>
      )}
    </span>
  );
}
