import { create } from 'zustand';
import type { LostRace } from '../../../shared/team.js';

/** A lost race this window learned from the host's answer to one of its mark actions. */
export interface LocalLostRace extends LostRace {
  /** The action was made or replayed after the team database was out of reach. */
  offline: boolean;
}

/** Kept in the window only: the newest this many. */
const LOST_KEEP = 100;

/** One race per action and message (an action over several messages can lose for some). */
export const raceId = (r: Pick<LostRace, 'id' | 'key'>) => `${r.id}|${r.key}`;

interface TeamUi {
  lost: LocalLostRace[];
  addLost(races: readonly LostRace[], offline: boolean): void;
  dismissLost(ids: readonly string[]): void;
  auditOpen: boolean;
  setAuditOpen(open: boolean): void;
}

/** UI state of team mode: what this window shows about lost races, and whether the audit trail is open. */
export const useTeamUi = create<TeamUi>()((set) => ({
  lost: [],
  addLost: (races, offline) =>
    set((s) => {
      const known = new Set(s.lost.map(raceId));
      const fresh = races.filter((r) => !known.has(raceId(r))).map((r) => ({ ...r, offline }));
      return fresh.length ? { lost: [...s.lost, ...fresh].slice(-LOST_KEEP) } : s;
    }),
  dismissLost: (ids) =>
    set((s) => {
      const gone = new Set(ids);
      return { lost: s.lost.filter((r) => !gone.has(raceId(r))) };
    }),
  auditOpen: false,
  setAuditOpen: (auditOpen) => set({ auditOpen }),
}));
