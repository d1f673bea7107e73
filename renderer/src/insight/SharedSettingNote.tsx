import type { TeamSettingName } from '../../../shared/workflow.js';
import { useInsightT } from '../i18n/insight';
import { useLang } from '../i18n/useLang';
import { displayName } from '../team/useTeam';
import { useTeamSetting, type SettingsScope } from './teamSettings';

/** Under a group of team settings: whose they are, and who changed them last (nothing on its own). */
export function SharedSettingNote({ scope, names }: { scope: SettingsScope; names: readonly [TeamSettingName] | readonly [TeamSettingName, TeamSettingName] }) {
  const t = useInsightT();
  const { lng } = useLang();
  // Always two hooks (one setting is asked twice), so their order never changes.
  const views = [useTeamSetting(names[0]), useTeamSetting(names[1] ?? names[0])];
  if (scope === 'solo') return null;
  const last = views.filter((v) => v !== undefined).sort((a, b) => b.at - a.at)[0];
  const when = last ? new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(last.at) : '';
  return (
    <span className="field-hint" data-testid={`shared-setting-${names[0]}`}>
      {t(scope === 'lead' ? 'shared.lead' : 'shared.member')}
      {last ? ` ${t('shared.changed', { name: displayName(last.byName) || last.by, when })}` : ''}
    </span>
  );
}
