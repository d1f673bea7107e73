import { useLiveQuery } from 'dexie-react-hooks';
import { z } from 'zod';
import type { VariableValues } from '../../../shared/canned.js';
import type { WebcareDb } from '../db/db';
import { useDb } from '../services';

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

export async function loadProfile(db: WebcareDb): Promise<AgentProfile> {
  const parsed = AgentProfileSchema.safeParse((await db.settings.get(AGENT_SETTING_KEY))?.value);
  return parsed.success ? parsed.data : DEFAULT_PROFILE;
}

export function saveProfile(db: WebcareDb, profile: AgentProfile): Promise<unknown> {
  return db.settings.put({ key: AGENT_SETTING_KEY, value: AgentProfileSchema.parse(profile) });
}

export function useAgentProfile(): AgentProfile {
  const db = useDb();
  return useLiveQuery(() => loadProfile(db), [db]) ?? DEFAULT_PROFILE;
}

export function agentValues(p: AgentProfile): VariableValues {
  return { 'agent.name': p.name, 'agent.initials': p.initials, department: p.department };
}

/** The signature template as used: empty when switched off. */
export function signatureTemplate(p: AgentProfile): string {
  return p.signatureOn ? p.signature : '';
}
