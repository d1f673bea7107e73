import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n/format';
import { useTeamT } from '../i18n/team';
import { useDb, useHostStatus } from '../services';
import { useBoardUi } from './boardStore';
import type { BoardSettings } from './boardSettings';
import { markMessages, type MarkPatch } from './marks';
import { useWfT } from '../i18n/wf';
import { assignAll } from '../workflow/assign/AssignDialog';
import { useAssignUi } from '../workflow/assign/assignUi';
import { subjectsOf } from '../workflow/assign/team';
import { act } from '../workflow/store';

/** Shown while cards are picked (x, ctrl-click, shift-click, select all): one action for all of them. */
export function BulkBar({ settings }: { settings: BoardSettings }) {
  const { t, i18n } = useTranslation();
  const tt = useTeamT();
  const db = useDb();
  // Team mode shares every mark, hiding included.
  const team = useHostStatus()?.team;
  const picked = useBoardUi((s) => s.picked);
  const clear = useBoardUi((s) => s.clearPicked);
  const [tag, setTag] = useState('');
  const wt = useWfT();
  const openAssign = useAssignUi((s) => s.openAssign);
  if (picked.size === 0) return null;
  // In a team an assignment is a named action on the conversation (the database marks its messages
  // and tells the assignee); the picked cards' conversations are assigned once each.
  const me = team?.me;
  const assignTeam = (to: { login: string } | null | 'none') => {
    subjectsOf(db, [...picked])
      .then(async (subjects) => {
        if (to === 'none') for (const s of subjects) await act({ kind: 'unassign', conversationKey: s.conversationKey, keys: [s.messageKey] });
        else if (to) await assignAll(db, subjects, to, '');
        else openAssign(subjects);
      })
      .then(clear)
      .catch((e: unknown) => console.warn('bulk assignment not queued', e));
  };

  const apply = (patch: MarkPatch) => {
    markMessages(db, [...picked], patch)
      .then(clear)
      .catch((e: unknown) => console.warn('bulk action not saved', e));
  };

  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('bulk.label')} data-testid="bulk-bar">
      <span className="bulk-count" data-testid="bulk-count">
        {t('bulk.count', { count: picked.size, n: formatNumber(picked.size, i18n.language) })}
      </span>
      <button type="button" className="button" data-testid="bulk-done" onClick={() => apply({ status: 'done' })}>
        {t('bulk.done')}
      </button>
      <button type="button" className="button" data-testid="bulk-archive" onClick={() => apply({ status: 'archived' })}>
        {t('bulk.archive')}
      </button>
      <button type="button" className="button" data-testid="bulk-open" onClick={() => apply({ status: 'open' })}>
        {t('bulk.reopen')}
      </button>
      <button type="button" className="button button--danger" data-testid="bulk-delete" title={team ? tt('hideHint') : t('bulk.deleteHint')} onClick={() => apply({ hidden: true })}>
        {t('bulk.delete')}
      </button>
      {me ? (
        <>
          <button type="button" className="button" data-testid="bulk-assign" onClick={() => assignTeam({ login: me.login })}>
            {t('bulk.assignMe')}
          </button>
          <button type="button" className="button" data-testid="bulk-assign-to" title={wt('assign.assignTitle')} onClick={() => assignTeam(null)}>
            {wt('assign.assign')}
          </button>
          <button type="button" className="button" data-testid="bulk-unassign" onClick={() => assignTeam('none')}>
            {t('bulk.unassign')}
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            className="button"
            data-testid="bulk-assign"
            disabled={settings.me === null}
            title={settings.me === null ? t('bulk.assignNoName') : undefined}
            onClick={() => settings.me !== null && apply({ assignee: settings.me })}
          >
            {t('bulk.assignMe')}
          </button>
          <button type="button" className="button" onClick={() => apply({ assignee: null })}>
            {t('bulk.unassign')}
          </button>
        </>
      )}
      <form
        className="bulk-tag"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ tag: tag.trim() === '' ? null : tag });
          setTag('');
        }}
      >
        <input type="text" value={tag} maxLength={60} onChange={(e) => setTag(e.target.value)} placeholder={t('bulk.tagPlaceholder')} aria-label={t('bulk.tag')} data-testid="bulk-tag-input" />
        <button type="submit" className="button" data-testid="bulk-tag">
          {t('bulk.tag')}
        </button>
      </form>
      <button type="button" className="button" onClick={clear}>
        {t('bulk.clear')}
      </button>
    </div>
  );
}
