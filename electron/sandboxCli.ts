import { startSandbox } from './sandbox/server.js';

/**
 * `npm run sandbox`: the sandbox on its own, for consoles started elsewhere
 * (several consoles of one team sharing one sandbox world, or a test rig).
 */
const port = process.env.WEBCARE_SANDBOX_PORT ? Number(process.env.WEBCARE_SANDBOX_PORT) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('WEBCARE_SANDBOX_PORT must be a port number (0 to 65535; 0 picks a free one).');
  process.exit(1);
}
const rate = Number(process.env.WEBCARE_SANDBOX_RATE);
const sandbox = await startSandbox({
  port,
  ratePerMinute: Number.isFinite(rate) && process.env.WEBCARE_SANDBOX_RATE !== undefined ? rate : undefined,
});
console.log(`Sandbox: ${sandbox.url} (inspection API under /__sandbox)

Start each console with
  WEBCARE_SANDBOX_URL=${sandbox.url}
(and a WEBCARE_DATA_DIR of its own): the first signs the sandbox's X account and
Facebook Page in, as the team's, through the real OAuth code. A console that should only
talk to it as it would to X and Graph takes instead
  WEBCARE_X_API_URL=${sandbox.xApiUrl}
  WEBCARE_GRAPH_API_URL=${sandbox.graphApiUrl}

Ctrl-C stops it.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
