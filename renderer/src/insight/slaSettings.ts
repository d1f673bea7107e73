import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { ColumnFilter } from '../../../shared/filter.js';
import { ALL_CHANNELS } from '../../../shared/model.js';
import { ALWAYS_OPEN, BusinessHoursSchema, countedMs, DEFAULT_TARGETS, HoursRangeSchema, TargetsSchema, type BusinessHours, type HoursRange, type Targets } from '../../../shared/sla.js';
import type { Measure } from '../../../shared/workflowState.js';
import { RESPONSE_TARGET_KEY } from '../board/boardSettings';
import type { WebcareDb } from '../db/db';
import { saveTeamSetting, teamSettingNow, useTeamSetting, type SettingsScope } from './teamSettings';

/**
 * The team's business hours and response targets per channel: settings of this
 * console on its own, the team's (set by leads) in a team.
 */
export const BUSINESS_HOURS_KEY = 'businessHours';
export const TARGETS_KEY = 'responseTargets';

export interface Sla {
  hours: BusinessHours;
  targets: Targets;
  /** Business time between two instants (every minute when no hours are set). */
  measure: Measure;
}

/**
 * `legacy`: the one response target earlier versions kept for every column
 * (Settings, in minutes); it stands for every channel until targets are saved.
 */
export function parseSla(hours: unknown, targets: unknown, legacy?: unknown): Sla {
  const h = BusinessHoursSchema.safeParse(hours ?? {});
  const old = typeof legacy === 'number' && Number.isInteger(legacy) && legacy >= 1 && legacy <= 10_080 ? legacy : undefined;
  const t = TargetsSchema.safeParse(targets ?? (old ? Object.fromEntries(ALL_CHANNELS.map((c) => [c, old])) : {}));
  const parsedHours = h.success ? h.data : ALWAYS_OPEN;
  return { hours: parsedHours, targets: t.success ? t.data : DEFAULT_TARGETS, measure: (from, to) => countedMs(from, to, parsedHours) };
}

/** The hours and targets in force: the team's where a lead set them, else this console's own. */
export function useSla(db: WebcareDb): Sla {
  const rows = useLiveQuery(() => db.settings.bulkGet([BUSINESS_HOURS_KEY, TARGETS_KEY, RESPONSE_TARGET_KEY]), [db]);
  const teamHours = useTeamSetting('businessHours');
  const teamTargets = useTeamSetting('targets');
  const hours = teamHours?.value ?? rows?.[0]?.value;
  const targets = teamTargets?.value ?? rows?.[1]?.value;
  const legacy = rows?.[2]?.value;
  return useMemo(() => parseSla(hours, targets, legacy), [hours, targets, legacy]);
}

/**
 * A column's target: its own when set, else the strictest of its channels'
 * (a column of mentions and DMs answers within the DMs' hour, not Messenger's four).
 */
export function columnTargetMin(filter: Pick<ColumnFilter, 'channels'>, own: number | undefined, targets: Targets): number {
  if (own !== undefined) return own;
  const channels = filter.channels.length > 0 ? filter.channels : ALL_CHANNELS;
  return Math.min(...channels.map((c) => targets[c]));
}

/** "09:00-17:00, 22:00-02:00" → ranges; an empty text is a closed day; anything else unreadable is null. */
export function parseRanges(text: string): HoursRange[] | null {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const out: HoursRange[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})$/.exec(p);
    if (!m) return null;
    const r = HoursRangeSchema.safeParse({ start: `${m[1]!.padStart(2, '0')}:${m[2]}`, end: `${m[3]!.padStart(2, '0')}:${m[4]}` });
    if (!r.success) return null;
    out.push(r.data);
  }
  return out.length > 4 ? null : out;
}

export function formatRanges(ranges: readonly HoursRange[]): string {
  return ranges.map((r) => `${r.start}-${r.end}`).join(', ');
}

/** In a team (`scope` not solo) the change is the team's, recorded as a lead's action. */
export async function saveBusinessHours(db: WebcareDb, hours: BusinessHours, scope: SettingsScope = 'solo'): Promise<void> {
  const value = BusinessHoursSchema.parse(hours);
  if (scope !== 'solo') return teamSaved(await saveTeamSetting('businessHours', value));
  await db.settings.put({ key: BUSINESS_HOURS_KEY, value });
}

/** Changes some channels' targets over what is stored, in one transaction (two fields left in quick succession never undo each other). */
export async function saveTargets(db: WebcareDb, patch: Partial<Targets>, scope: SettingsScope = 'solo'): Promise<void> {
  if (scope !== 'solo') {
    // Over the team's targets (this console's own until a lead first set them).
    const rows = await db.settings.bulkGet([TARGETS_KEY, RESPONSE_TARGET_KEY]);
    const current = parseSla(undefined, teamSettingNow('targets') ?? rows[0]?.value, rows[1]?.value).targets;
    return teamSaved(await saveTeamSetting('targets', TargetsSchema.parse({ ...current, ...patch })));
  }
  await db.transaction('rw', db.settings, async () => {
    const rows = await db.settings.bulkGet([TARGETS_KEY, RESPONSE_TARGET_KEY]);
    const current = parseSla(undefined, rows[0]?.value, rows[1]?.value).targets;
    await db.settings.put({ key: TARGETS_KEY, value: TargetsSchema.parse({ ...current, ...patch }) });
  });
}

function teamSaved(ok: boolean): void {
  if (!ok) throw new Error('not in a team: the setting was not recorded');
}
