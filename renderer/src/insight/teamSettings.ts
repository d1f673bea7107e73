import { useMemo } from 'react';
import type { TeamSettingName, TeamSettingValue } from '../../../shared/workflow.js';
import type { TeamSettingView } from '../../../shared/workflowState.js';
import { useTeam } from '../team/useTeam';
import { isLead } from '../workflow/approval/ApprovalQueue';
import { act, useWorkflowSelect, workflowView, type WorkflowView } from '../workflow/store';

/**
 * Settings the whole team shares (business hours and holidays, response
 * targets, the VIP list and urgent words, the storm bounds). On its own a
 * console keeps them in its local store; in a team they are `teamSetting`
 * records of the workflow log, so every console counts the same minutes
 * against the same targets, and who changed what when is on record. Leads
 * change them; everyone else reads them. Until a lead sets one, each console
 * goes on with its own value.
 */
export type SettingsScope = 'solo' | 'lead' | 'member';

export function useSettingsScope(): SettingsScope {
  const me = useTeam()?.me;
  if (!me) return 'solo';
  return isLead(me.role) ? 'lead' : 'member';
}

/** The team's value of a setting and who set it; undefined on its own or before a lead set it. The same object while unchanged. */
export function useTeamSetting<N extends TeamSettingName>(name: N): TeamSettingView<N> | undefined {
  const id = useWorkflowSelect((v) => v.state.settings[name]?.id);
  return useMemo(() => (id ? (workflowView().state.settings[name] as TeamSettingView<N> | undefined) : undefined), [id, name]);
}

/**
 * What this console sent last per setting, until the log has it: a second field
 * left right after the first builds on the first (the view catches up a moment
 * later), and a change the team refused is not built on.
 */
const sent = new Map<TeamSettingName, { id: string; value: unknown }>();

/** The team's value as the next change should build on it (this console's own change first while on its way). */
export function teamSettingNow<N extends TeamSettingName>(name: N, view: WorkflowView = workflowView()): TeamSettingValue<N> | undefined {
  const mine = sent.get(name);
  if (mine) {
    const landed = view.records.some((r) => r.id === mine.id) || view.failed.some((f) => f.action.id === mine.id);
    if (!landed) return mine.value as TeamSettingValue<N> | undefined;
    sent.delete(name);
  }
  return (view.state.settings[name] as TeamSettingView<N> | undefined)?.value;
}

/** Records a lead's change for the whole team (queued like every action: it survives going offline); false outside a team. */
export async function saveTeamSetting<N extends TeamSettingName>(name: N, value: TeamSettingValue<N>): Promise<boolean> {
  const a = await act({ kind: 'teamSetting', setting: { name, value } as never });
  if (!a) return false;
  sent.set(name, { id: a.id, value });
  return true;
}

/** For tests: forget what was sent. */
export function resetSentSettings(): void {
  sent.clear();
}
