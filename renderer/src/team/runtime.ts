import type { HostApi } from '../api/host';
import type { StatusSource } from '../api/status';
import type { WebcareDb } from '../db/db';
import { TeamActionDrain } from './markSync';
import { PresenceReporter, type ReportedPresence } from './presence';
import { setTeamMarkSink } from './sink';
import { useTeamUi } from './teamUi';
import { startWorkflow } from '../workflow/store';
import { startWorkflowNotices } from '../workflow/notify';

/**
 * Team mode's background work for this window, started at boot: the drain that
 * shares mark actions (and replays those made while the database was away), and
 * presence. Both do nothing while the host reports no team (solo).
 */
let started: { drain: TeamActionDrain; presence: PresenceReporter } | null = null;

export function startTeam(host: HostApi, db: WebcareDb, status: StatusSource, target: EventTarget = window) {
  if (started) return started;
  const drain = new TeamActionDrain(host, db, status, { onLost: (races, offline) => useTeamUi.getState().addLost(races, offline) });
  setTeamMarkSink(drain);
  drain.start();

  const online = () => host.connection === 'open' && status.get()?.team?.state === 'online';
  const report = (presence: ReportedPresence) => {
    if (!online()) return;
    host.call('setPresence', { presence }).catch(() => undefined);
  };
  const presence = new PresenceReporter(report, { target });
  presence.start();
  // The team database learns "online" from the console's own heartbeat when it connects; an
  // agent who went away meanwhile says so again once it is reachable.
  let wasOnline = online();
  status.subscribe(() => {
    const now = online();
    if (now && !wasOnline && presence.current() === 'away') report('away');
    wasOnline = now;
  });
  startWorkflow(host, db, status);
  startWorkflowNotices(db, status);
  started = { drain, presence };
  return started;
}
