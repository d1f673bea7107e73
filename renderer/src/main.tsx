// First: zod's settings must be in place before any module below builds a schema.
import './zodJitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getHost } from './api/host';
import { watchStatus } from './api/status';
import { App } from './App';
import { openDb } from './db/db';
import { recoverDraftJournal } from './composer/drafts';
import { startOutbox } from './outbox/runtime';
import { startHello } from './db/ingest';
import { startIngestWorker } from './db/ingestWorker';
import { applyLanguage, initI18n, systemLanguage } from './i18n';
import { LangProvider } from './i18n/useLang';
import { startTeam } from './team/runtime';
import type { Services } from './services';
import { startAppearance } from './settings/appearance';
import { registerShell } from './connection/shell';
import { adoptProfileName } from './settings/agentName';
import { AGENT_SETTING_KEY } from './composer/agent';
import { loadLanguageChoice } from './settings/language';
import './app.css';

// Listen before anything else is awaited: the host hands over pending batches
// as soon as the window connects, and a batch nobody hears waits for the next connect.
const host = getHost();
const db = openDb();
let services: Services | null = null;
function ingestInPage(): boolean {
  try {
    return localStorage.getItem('webcare.ingest') === 'page';
  } catch {
    return false;
  }
}

if (host) {
  // In a worker (off the board's thread): the batches stored and acknowledged, indexed for search, and the
  // reports' facts (the ingest's small chunks) merged into large ones.
  // `webcare.ingest` = `page` in localStorage keeps it in the page (to tell the two apart when something is slow).
  startIngestWorker(host, db, ingestInPage() ? () => { throw new Error('webcare.ingest is set to page'); } : undefined);
  startHello(host, db);
  services = { host, db, status: watchStatus(host) };
  // Replies queued before a restart (or while offline) go out from here.
  startOutbox(host, db, services.status);
  // Team mode (only while the host reports a team): marks shared and replayed, presence reported.
  startTeam(host, db, services.status);
}

// Drafts whose write was still due when the page was last left (a reload right after typing).
recoverDraftJournal(db).catch((e: unknown) => console.warn('drafts of the last session not recovered', e));
startAppearance(db);
// "Your name" is one setting; a name kept only in the old canned-reply profile moves into it.
adoptProfileName(db, AGENT_SETTING_KEY).catch((e: unknown) => console.warn('name setting not migrated', e));
initI18n(systemLanguage());
// The stored choice is one small read; applying it before the first render avoids a flash of
// the other language. A store that does not answer (blocked by another tab) must not keep the
// console from starting, hence the time limit.
const choice = loadLanguageChoice(db).catch((e: unknown) => {
  console.warn('language setting not read; using the system language', e);
  return 'system' as const;
});
const early = await Promise.race([choice, new Promise<null>((resolve) => setTimeout(() => resolve(null), 500))]);
if (early) await applyLanguage(early);
else void choice.then(applyLanguage);

// Keeps a copy of this page so a reload while the browser host is down still opens the console.
registerShell();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LangProvider>
        <App services={services} />
      </LangProvider>
    </StrictMode>,
  );
}
