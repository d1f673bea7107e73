import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { z } from 'zod';
import type { VariableValues } from '../../../shared/canned.js';
import type { WebcareDb } from '../db/db';
import { useDb } from '../services';
import { AGENT_NAME_KEY, saveAgentName, storedAgentName, useTeamLoginName } from '../settings/agentName';

/**
 * Who is answering, kept in this window's settings: the agent's name and
 * initials, the department, and the team's signature template (`^{{agent.initials}}`
 * gives `^GvA`), appended to every reply and counted inside the limit.
 */
export const AgentProfileSchema = z.object({
  name: z.string().max(100),
  initials: z.string().max(10),
  department: z.string().max(100),
  signature: z.string().max(60),
  signatureOn: z.boolean(),
});
export type AgentProfile = z.infer<typeof AgentProfileSchema>;

export const AGENT_SETTING_KEY = 'composer.agent';

export const DEFAULT_PROFILE: AgentProfile = { name: '', initials: '', department: '', signature: '^{{agent.initials}}', signatureOn: true };

/** The profile with "Your name", which is one setting shared with the settings dialog (`settings/agentName.ts`). */
export async function loadProfile(db: WebcareDb): Promise<AgentProfile> {
  const [stored, name] = await db.settings.bulkGet([AGENT_SETTING_KEY, AGENT_NAME_KEY]);
  const parsed = AgentProfileSchema.safeParse(stored?.value);
  const profile = parsed.success ? parsed.data : DEFAULT_PROFILE;
  return { ...profile, name: storedAgentName(name?.value, profile.name) };
}

/** Saves the profile; its name goes into the one name setting (left alone with `withName` false, as in a team, where the login names you). */
export function saveProfile(db: WebcareDb, profile: AgentProfile, withName = true): Promise<unknown> {
  const p = AgentProfileSchema.parse(profile);
  return db.transaction('rw', db.settings, async () => {
    await db.settings.put({ key: AGENT_SETTING_KEY, value: { ...p, name: '' } });
    if (withName) await saveAgentName(db, p.name);
  });
}

export function useAgentProfile(): AgentProfile {
  const db = useDb();
  const team = useTeamLoginName();
  const profile = useLiveQuery(() => loadProfile(db), [db]) ?? DEFAULT_PROFILE;
  return useMemo(() => (team ? { ...profile, name: team } : profile), [profile, team]);
}

export function agentValues(p: AgentProfile): VariableValues {
  return { 'agent.name': p.name, 'agent.initials': p.initials, department: p.department };
}

/** The signature template as used: empty when switched off. */
export function signatureTemplate(p: AgentProfile): string {
  return p.signatureOn ? p.signature : '';
}
