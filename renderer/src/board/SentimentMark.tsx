import { Frown, Meh, Smile } from 'lucide-react';
import { useContext, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useCardInsightT } from '../i18n/insight';
import { SENTIMENTS, type Sentiment } from '../../../shared/model.js';
import { ServicesContext } from '../services';
import { markMessages } from './marks';

const ICONS = { positive: Smile, neutral: Meh, negative: Frown } as const;

/**
 * How a message sounds, as a small face on its card: the console's reading on
 * arrival, or the agent's when they changed it (sarcasm is a human's call).
 * A click opens the three choices and "as detected"; the change is a mark, so it
 * is named, timed and, in team mode, shared like a tag.
 */
export function SentimentMark({ messageKey, detected, override }: { messageKey: string; detected: Sentiment | undefined; override: Sentiment | undefined }) {
  const t = useCardInsightT();
  // A card drawn on its own (a preview, a test) shows the mark without the choice.
  const db = useContext(ServicesContext)?.db ?? null;
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  const shown = override ?? detected;

  useEffect(() => {
    if (!open) return;
    box.current?.querySelector<HTMLButtonElement>('[aria-checked="true"], [role="menuitemradio"]')?.focus();
    const away = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  if (shown === undefined) return null;
  const Icon = ICONS[shown];
  const choose = (s: Sentiment | null) => {
    setOpen(false);
    if (!db) return;
    markMessages(db, [messageKey], { sentiment: s }).catch((e: unknown) => console.warn('sentiment not saved', e));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
    }
  };
  const label = t(override ? 'sentiment.markOverride' : 'sentiment.markDetected', { sentiment: t(`sentiment.word.${shown}`) });
  return (
    <span className="sentiment" ref={box} onKeyDown={onKeyDown}>
      <button
        type="button"
        className={`sentiment-mark sentiment-mark--${shown}${override ? ' sentiment-mark--override' : ''}`}
        data-testid="card-sentiment"
        data-sentiment={shown}
        data-override={override ? 'true' : undefined}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        title={label}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon size={14} aria-hidden="true" />
      </button>
      {open && (
        <span className="sentiment-menu" role="menu" aria-label={t('sentiment.menu')} data-testid="sentiment-menu">
          {SENTIMENTS.map((s) => {
            const ItemIcon = ICONS[s];
            return (
              <button key={s} type="button" role="menuitemradio" aria-checked={shown === s} className={`sentiment-choice sentiment-choice--${s}`} data-sentiment={s} onClick={() => choose(s)}>
                <ItemIcon size={14} aria-hidden="true" /> {t(`sentiment.${s}`)}
              </button>
            );
          })}
          {override && (
            <button type="button" role="menuitem" className="sentiment-choice" data-sentiment="detected" onClick={() => choose(null)}>
              {detected ? t('sentiment.backTo', { sentiment: t(`sentiment.word.${detected}`) }) : t('sentiment.clear')}
            </button>
          )}
        </span>
      )}
    </span>
  );
}
