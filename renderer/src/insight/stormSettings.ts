import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { DEFAULT_STORM_RULE, StormRuleSchema, type StormRule } from '../../../shared/storm.js';
import type { WebcareDb } from '../db/db';
import { saveTeamSetting, teamSettingNow, useTeamSetting, type SettingsScope } from './teamSettings';

/** The storm rule's bounds (Settings → Board): this console's own, or in a team the team's once a lead set them. */
export const STORM_RULE_KEY = 'stormRule';

export function parseStormRule(value: unknown): StormRule {
  const r = StormRuleSchema.safeParse(value ?? {});
  return r.success ? r.data : DEFAULT_STORM_RULE;
}

/** The same object until the setting changes: the storm watch restarts only then. */
export function useStormRule(db: WebcareDb): StormRule {
  const row = useLiveQuery(() => db.settings.get(STORM_RULE_KEY), [db]);
  const team = useTeamSetting('stormRule');
  const value = team?.value ?? row?.value;
  return useMemo(() => parseStormRule(value), [value]);
}

/** Saves a change to one bound; a value out of its range is refused (false), the rest stay. */
export async function saveStormRule(db: WebcareDb, patch: Partial<StormRule>, scope: SettingsScope = 'solo'): Promise<boolean> {
  if (scope !== 'solo') {
    const current = parseStormRule(teamSettingNow('stormRule') ?? (await db.settings.get(STORM_RULE_KEY))?.value);
    const next = StormRuleSchema.safeParse({ ...current, ...patch });
    return next.success && saveTeamSetting('stormRule', next.data);
  }
  return db.transaction('rw', db.settings, async () => {
    const current = parseStormRule((await db.settings.get(STORM_RULE_KEY))?.value);
    const next = StormRuleSchema.safeParse({ ...current, ...patch });
    if (!next.success) return false;
    await db.settings.put({ key: STORM_RULE_KEY, value: next.data });
    return true;
  });
}
