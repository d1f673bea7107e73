import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDb } from '../services';
import { AGENT_NAME_MAX, saveAgentName, useAgentName } from './agentName';

/**
 * "Your name", the one setting behind "mine" and `{{agent.name}}`, wherever it
 * is shown (settings, the canned-reply profile): both read and write the same
 * stored value, so they never disagree. Saved when the field is left or on Enter.
 */
export function NameField({ testId, className = 'field-line' }: { testId: string; className?: string }) {
  const { t } = useTranslation();
  const db = useDb();
  const { name, fromTeam } = useAgentName();
  const [draft, setDraft] = useState<string | null>(null);
  const save = () => {
    if (draft === null) return;
    saveAgentName(db, draft).then(
      () => setDraft(null),
      (e: unknown) => console.warn('name not saved', e),
    );
  };
  return (
    <label className={className}>
      <span>{t('you.name')}</span>
      <input
        type="text"
        maxLength={AGENT_NAME_MAX}
        value={draft ?? name}
        readOnly={fromTeam}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            save();
          }
        }}
        autoComplete="name"
        data-testid={testId}
      />
      <span className="field-hint">{fromTeam ? t('you.nameFromTeam') : t('you.nameHint')}</span>
    </label>
  );
}
