import { launchHost } from './host';

/** One host for the whole e2e run, started as a user would with `npm start` (after `npm run build`). */
export default async function globalSetup() {
  const host = await launchHost({ WEBCARE_SANDBOX_RATE: '30' });
  process.env.WEBCARE_CONSOLE_URL = host.consoleUrl;
  process.env.WEBCARE_SANDBOX_URL = host.sandboxUrl;
  return async () => {
    await host.stop();
  };
}
