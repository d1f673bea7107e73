import os from 'node:os';
import path from 'node:path';

/** Everything the host reads from the environment, in one place (documented in the README). */
export interface HostConfig {
  dataDir: string;
  /** Replaces https://api.x.com, https://upload.x.com and https://x.com when set. */
  xApiUrl?: string;
  /** Replaces https://graph.facebook.com when set. */
  graphApiUrl?: string;
  graphVersion: string;
  xClientId?: string;
  /** Facebook Login for Devices: the Meta app id and its client token (meant to ship in apps; not the app secret). */
  fbAppId?: string;
  fbClientToken?: string;
  /** Fixed loopback ports registered as X callback URLs (X matches them exactly). */
  xCallbackPorts: number[];
  /**
   * Team mode for scripted starts: the team database URL (WEBCARE_TEAM_DB; it holds a
   * password, so it is never logged or shown) and the team key (WEBCARE_TEAM_KEY). They
   * win over what the settings screen stored.
   */
  teamDb?: string;
  teamKey?: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.WEBCARE_DATA_DIR) return path.resolve(env.WEBCARE_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'webcare-console');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'webcare-console');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'webcare-console');
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): HostConfig {
  const ports = (env.WEBCARE_X_CALLBACK_PORTS ?? '53682,53683,53684')
    .split(',')
    .map((p) => Number(p.trim()))
    .filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
  return {
    dataDir: defaultDataDir(env),
    xApiUrl: env.WEBCARE_X_API_URL || undefined,
    graphApiUrl: env.WEBCARE_GRAPH_API_URL || undefined,
    graphVersion: env.WEBCARE_GRAPH_VERSION || 'v25.0',
    xClientId: env.WEBCARE_X_CLIENT_ID || undefined,
    fbAppId: env.WEBCARE_FB_APP_ID || undefined,
    fbClientToken: env.WEBCARE_FB_CLIENT_TOKEN || undefined,
    xCallbackPorts: ports,
    teamDb: env.WEBCARE_TEAM_DB?.trim() || undefined,
    teamKey: env.WEBCARE_TEAM_KEY || undefined,
  };
}
