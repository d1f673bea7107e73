import { useState } from 'react';
import { useWfT } from '../../i18n/wf';
import { useTeam } from '../../team/useTeam';
import { RulesDialog } from './RulesDialog';
import './routing.css';

/** The team bar's routing rules entry: leads (and admins) edit the rules; the database refuses anyone else's anyway. */
export function RulesButton() {
  const t = useWfT();
  const team = useTeam();
  const [open, setOpen] = useState(false);
  const role = team?.me?.role;
  if (!team || (role !== 'lead' && role !== 'admin')) return null;
  return (
    <>
      <button type="button" className="icon-button" onClick={() => setOpen(true)} aria-label={t('routing.openTitle')} title={t('routing.openTitle')} data-testid="open-rules">
        <span aria-hidden="true">⇄</span>
      </button>
      <RulesDialog open={open} members={team.members} onClose={() => setOpen(false)} />
    </>
  );
}
