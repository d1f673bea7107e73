import { cliText } from './cliText.js';
import { startSandbox } from './sandbox/server.js';

/**
 * `npm run sandbox`: the sandbox on its own, for consoles started elsewhere
 * (several consoles of one team sharing one sandbox world, or a test rig).
 */
const text = cliText();
const port = process.env.WEBCARE_SANDBOX_PORT ? Number(process.env.WEBCARE_SANDBOX_PORT) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(text.sandboxPort);
  process.exit(1);
}
const rate = Number(process.env.WEBCARE_SANDBOX_RATE);
const sandbox = await startSandbox({
  port,
  ratePerMinute: Number.isFinite(rate) && process.env.WEBCARE_SANDBOX_RATE !== undefined ? rate : undefined,
});
console.log(text.sandboxReady(sandbox.url, sandbox.xApiUrl, sandbox.graphApiUrl));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
