import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Status } from '../../../shared/contract.js';
import type { Claim, TeamStatus } from '../../../shared/team.js';
import { stripBidiControls } from '../../../shared/text/bidi.js';
import { useHostStatus, useServices } from '../services';
import { ClaimKeeper } from './claims';

/** The team as the host reports it; null when this console works on its own. */
export function useTeam(): TeamStatus | null {
  return useHostStatus()?.team ?? null;
}

/** A colleague's name as text in a sentence: the database's, without direction controls. */
export function displayName(name: string): string {
  return stripBidiControls(name).trim();
}

const NO_CLAIMS: ReadonlyMap<string, string> = new Map();
let lastSignature = '';
let lastClaims: ReadonlyMap<string, string> = NO_CLAIMS;

/**
 * Conversations a colleague is replying in (conversationKey → their name); never
 * this login's own claims. The same Map while the claims stay the same, so the
 * board's cards redraw only when a claim changes, not on every status update.
 */
export function othersClaims(team: TeamStatus | null | undefined): ReadonlyMap<string, string> {
  const others = (team?.claims ?? []).filter((c) => !c.mine);
  if (others.length === 0) {
    lastSignature = '';
    lastClaims = NO_CLAIMS;
    return NO_CLAIMS;
  }
  const signature = others
    .map((c) => `${c.conversationKey}\u0000${c.name}`)
    .sort()
    .join('\u0001');
  if (signature !== lastSignature) {
    lastSignature = signature;
    lastClaims = new Map(others.map((c) => [c.conversationKey, displayName(c.name) || c.login]));
  }
  return lastClaims;
}

export function useOthersClaims(): ReadonlyMap<string, string> {
  const { status } = useServices();
  const get = () => othersClaims(status.get()?.team);
  return useSyncExternalStore(status.subscribe, get, get);
}

/** Who polls an account in team mode: this console, a colleague's (their name), or nobody now. */
export function pollerOf(team: TeamStatus, accountId: string): { by: 'me' } | { by: 'other'; name: string } | { by: 'none' } {
  if (team.leading.includes(accountId)) return { by: 'me' };
  const login = team.pollers[accountId];
  if (!login) return { by: 'none' };
  // The same login at another console (a second window, another computer) is not "this console".
  const member = team.members.find((m) => m.login === login);
  return { by: 'other', name: displayName(member?.name ?? '') || login };
}

/**
 * The composer's claim on its conversation (see ClaimKeeper). `lostTo` is the
 * colleague a claim was refused for, until the next status shows the claims as
 * the team has them (within a second), which is then the one to believe.
 */
export function useConversationClaim(conversationKey: string) {
  const { host, status } = useServices();
  const current = useHostStatus();
  const [lost, setLost] = useState<{ claim: Claim; seen: Status | null } | null>(null);
  const [keeper] = useState(
    () =>
      new ClaimKeeper(host, conversationKey, {
        active: () => status.get()?.team?.state === 'online',
        onResult: (won, claim) => setLost(!won && claim && !claim.mine ? { claim, seen: status.get() } : null),
      }),
  );
  // Leaving the conversation (this composer goes away) gives the claim up.
  useEffect(() => () => keeper.release(), [keeper]);
  const lostTo = lost && lost.seen === current ? displayName(lost.claim.name) || lost.claim.login : null;
  return { keeper, lostTo };
}
