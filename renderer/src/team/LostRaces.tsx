import { useLiveQuery } from 'dexie-react-hooks';
import { useTeamT, type TeamT } from '../i18n/team';
import type { LostRace } from '../../../shared/team.js';
import { previewText } from '../../../shared/text/preview.js';
import type { WebcareDb } from '../db/db';
import { useServices } from '../services';
import { useUi } from '../store';
import { raceId, useTeamUi, type LocalLostRace } from './teamUi';
import { displayName, useTeam } from './useTeam';
import './team.css';

const WHAT = ['open', 'done', 'archived', 'answered', 'tagged', 'assigned', 'hidden', 'changed'] as const;

/** "Anna already marked this done while you were offline." */
export function lostRaceText(t: TeamT, race: LocalLostRace): string {
  const by = (race.by && displayName(race.by)) || t('colleague');
  const what = (WHAT as readonly string[]).includes(race.what) ? t(`lost.what.${race.what as (typeof WHAT)[number]}`) : race.what;
  if (race.kind === 'reply') return t(race.offline ? 'lost.replyOffline' : 'lost.reply', { by, what });
  return t(race.offline ? 'lost.markOffline' : 'lost.mark', { by, what });
}

/**
 * This window's lost races and the host's (replayed after a reconnect), one list; the
 * host's were all made while the team database was out of reach.
 */
export function mergeLostRaces(local: readonly LocalLostRace[], host: readonly LostRace[]): LocalLostRace[] {
  const seen = new Set<string>();
  const all: LocalLostRace[] = [];
  for (const r of [...local, ...host.map((h) => ({ ...h, offline: true }))]) {
    const id = raceId(r);
    if (seen.has(id)) continue;
    seen.add(id);
    all.push(r);
  }
  return all.sort((a, b) => a.at - b.at);
}

/** Of the races the agent dismissed, the ids the host reported (it forgets them when told). */
export function hostRacesToDismiss(gone: readonly LostRace[], fromHost: readonly LostRace[]): string[] {
  const known = new Set(fromHost.map((r) => r.id));
  return [...new Set(gone.map((r) => r.id).filter((id) => known.has(id)))];
}

/** The newest message of a conversation (`${channel}:${conversationId}`), to open it. */
async function messageOfConversation(db: WebcareDb, conversationKey: string): Promise<string | null> {
  const at = conversationKey.indexOf(':');
  if (at < 0) return null;
  const channel = conversationKey.slice(0, at);
  const id = conversationKey.slice(at + 1);
  const msgs = await db.messages.where('conversationId').equals(id).filter((m) => m.channel === channel).toArray();
  const newest = msgs.sort((a, b) => b.createdAt - a.createdAt)[0];
  return newest?.key ?? null;
}

/** The lost races, as a dismissible notice in a corner (it does not move the board). */
export function LostRaces() {
  const { host, db } = useServices();
  const team = useTeam();
  const local = useTeamUi((s) => s.lost);
  const dismissLocal = useTeamUi((s) => s.dismissLost);
  const select = useUi((s) => s.select);
  const races = mergeLostRaces(local, team?.lostRaces ?? []);
  // The message each mark race was about, in a few words (keys joined: a stable dependency).
  const markKeys = races
    .filter((r) => r.kind === 'mark')
    .map((r) => r.key)
    .join('\u0000');
  const previews = useLiveQuery(async () => {
    const msgs = await db.messages.bulkGet(markKeys ? markKeys.split('\u0000') : []);
    return new Map(msgs.flatMap((m) => (m ? [[m.key, previewText(m.text, 80)] as const] : [])));
  }, [db, markKeys]);

  const dismiss = (gone: readonly LocalLostRace[]) => {
    dismissLocal(gone.map(raceId));
    const ids = hostRacesToDismiss(gone, team?.lostRaces ?? []);
    if (ids.length) host.call('dismissLostRaces', { ids }).catch(() => undefined);
  };
  const show = (race: LocalLostRace) => {
    if (race.kind === 'mark') return select(race.key);
    void messageOfConversation(db, race.key).then((key) => key && select(key));
  };
  return <LostRacesView races={races} previews={previews} onDismiss={dismiss} onShow={show} />;
}

export function LostRacesView({
  races,
  previews,
  onDismiss,
  onShow,
}: {
  races: readonly LocalLostRace[];
  previews?: ReadonlyMap<string, string>;
  onDismiss(races: readonly LocalLostRace[]): void;
  onShow(race: LocalLostRace): void;
}) {
  const t = useTeamT();
  if (races.length === 0) return null;
  return (
    <section className="lost-races" role="status" aria-labelledby="lost-races-title" data-testid="lost-races">
      <h2 id="lost-races-title" className="lost-races-title">
        {t('lost.title')}
      </h2>
      <ul className="lost-races-list">
        {races.map((r) => {
          const preview = previews?.get(r.key);
          return (
            <li key={raceId(r)} className="lost-race" data-testid="lost-race" data-id={r.id}>
              <p>{lostRaceText(t, r)}</p>
              {preview && <p className="lost-race-preview">“{preview}”</p>}
              <div className="lost-race-actions">
                <button type="button" className="link-button" onClick={() => onShow(r)}>
                  {t('lost.show')}
                </button>
                <button type="button" className="link-button" onClick={() => onDismiss([r])} data-testid="lost-race-dismiss">
                  {t('lost.dismiss')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {races.length > 1 && (
        <button type="button" className="button button--small" onClick={() => onDismiss(races)} data-testid="lost-races-dismiss-all">
          {t('lost.dismissAll')}
        </button>
      )}
    </section>
  );
}
