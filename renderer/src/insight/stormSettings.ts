import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { DEFAULT_STORM_RULE, StormRuleSchema, type StormRule } from '../../../shared/storm.js';
import type { WebcareDb } from '../db/db';

/** The storm rule's bounds, a setting of this console (Settings → Board). */
export const STORM_RULE_KEY = 'stormRule';

export function parseStormRule(value: unknown): StormRule {
  const r = StormRuleSchema.safeParse(value ?? {});
  return r.success ? r.data : DEFAULT_STORM_RULE;
}

/** The same object until the setting changes: the storm watch restarts only then. */
export function useStormRule(db: WebcareDb): StormRule {
  const row = useLiveQuery(() => db.settings.get(STORM_RULE_KEY), [db]);
  const value = row?.value;
  return useMemo(() => parseStormRule(value), [value]);
}

/** Saves a change to one bound; a value out of its range is refused (false), the rest stay. */
export async function saveStormRule(db: WebcareDb, patch: Partial<StormRule>): Promise<boolean> {
  return db.transaction('rw', db.settings, async () => {
    const current = parseStormRule((await db.settings.get(STORM_RULE_KEY))?.value);
    const next = StormRuleSchema.safeParse({ ...current, ...patch });
    if (!next.success) return false;
    await db.settings.put({ key: STORM_RULE_KEY, value: next.data });
    return true;
  });
}
