import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { compileLists, DEFAULT_PRIORITY_LISTS, PriorityListsSchema, type CompiledLists, type PriorityLists } from '../../../shared/priority.js';
import type { WebcareDb } from '../db/db';
import { saveTeamSetting, teamSettingNow, useTeamSetting, type SettingsScope } from './teamSettings';

/** The team's VIP list, urgent words and reach bound (Settings → Priority): this console's own, or in a team the team's once a lead set them. */
export const PRIORITY_LISTS_KEY = 'priorityLists';

export function parsePriorityLists(value: unknown): PriorityLists {
  const r = PriorityListsSchema.safeParse(value ?? {});
  return r.success ? r.data : DEFAULT_PRIORITY_LISTS;
}

export function usePriorityLists(db: WebcareDb): { lists: PriorityLists; compiled: CompiledLists } {
  const row = useLiveQuery(() => db.settings.get(PRIORITY_LISTS_KEY), [db]);
  const team = useTeamSetting('priorityLists');
  const value = team?.value ?? row?.value;
  return useMemo(() => {
    const lists = parsePriorityLists(value);
    return { lists, compiled: compileLists(lists) };
  }, [value]);
}

/**
 * Changes some of the lists over what is stored (read and written in one
 * transaction: two fields left in quick succession never undo each other);
 * what the schema refuses (too long, too many) is refused as a whole (false).
 */
export async function savePriorityLists(db: WebcareDb, patch: Partial<PriorityLists>, scope: SettingsScope = 'solo'): Promise<boolean> {
  if (scope !== 'solo') {
    const current = parsePriorityLists(teamSettingNow('priorityLists') ?? (await db.settings.get(PRIORITY_LISTS_KEY))?.value);
    const r = PriorityListsSchema.safeParse({ ...current, ...patch });
    return r.success && saveTeamSetting('priorityLists', r.data);
  }
  return db.transaction('rw', db.settings, async () => {
    const current = parsePriorityLists((await db.settings.get(PRIORITY_LISTS_KEY))?.value);
    const r = PriorityListsSchema.safeParse({ ...current, ...patch });
    if (!r.success) return false;
    await db.settings.put({ key: PRIORITY_LISTS_KEY, value: r.data });
    return true;
  });
}

/** One entry per line or comma, trimmed, without empties or repeats. */
export function listOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    ),
  ];
}
