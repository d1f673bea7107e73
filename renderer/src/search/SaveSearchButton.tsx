import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MESSAGE_STATUSES, type MessageStatus } from '../../../shared/filter.js';
import { addColumn } from '../board/columns';
import { useDb } from '../services';
import type { SearchForm } from './searchUi';

const TITLE_MAX = 100;

/**
 * Saves the search as a board column: the typed text becomes the column's
 * text filter as it is (one query language, shared/filter.ts, so the column
 * finds what the search found), the channel and status carry over. A date
 * range does not: a column keeps showing what arrives.
 */
export function SaveSearchButton({ form }: { form: SearchForm }) {
  const { t } = useTranslation();
  const db = useDb();
  const [savedFor, setSavedFor] = useState<string | null>(null);
  const text = form.text.trim();
  const id = JSON.stringify([text, form.channel, form.status]);

  const save = () => {
    const statuses: MessageStatus[] = form.status ? MESSAGE_STATUSES.filter((s) => s === form.status) : [...MESSAGE_STATUSES];
    addColumn(db, {
      title: t('search.savedTitle', { text }).slice(0, TITLE_MAX),
      filter: { text, channels: form.channel ? [form.channel] : [], statuses },
    }).then(
      () => setSavedFor(id),
      (e: unknown) => console.warn('search not saved as a column', e),
    );
  };

  return (
    <>
      <button
        type="button"
        className="button"
        data-testid="search-save"
        disabled={text === ''}
        // Not `disabled` once saved: that would drop the focus (and Escape with it) out of the panel.
        aria-disabled={savedFor === id}
        onClick={() => savedFor !== id && save()}
      >
        {t('search.saveColumn')}
      </button>
      {savedFor === id && (
        <span className="search-saved" role="status">
          {t('search.saved')}
        </span>
      )}
    </>
  );
}
