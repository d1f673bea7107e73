import { launchHost } from './host';

/** One host for the whole e2e run, started as a user would with `npm start` (after `npm run build`). */
export default async function globalSetup() {
  const host = await launchHost({ WEBCARE_SANDBOX_RATE: '30' });
  process.env.WEBCARE_CONSOLE_URL = host.consoleUrl;
  process.env.WEBCARE_SANDBOX_URL = host.sandboxUrl;
  // Every test opens a fresh browser profile: a new local store, so the host
  // fetches history again for each (cursors start over). Twenty such stores in
  // three minutes would spend X's real DM budget (15 requests per 15 minutes)
  // and leave later tests waiting on a rate-limit reset, so the shared sandbox
  // gets ten times the real limits. Rate-limit behaviour is tested where it is
  // the subject (the integration suite), at scale 1.
  const res = await fetch(`${host.sandboxUrl}/__sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scale: 10 }) });
  if (!res.ok) throw new Error(`sandbox limits: ${res.status} ${await res.text()}`);
  return async () => {
    await host.stop();
  };
}
