import path from 'node:path';
import { readJson, writeJson } from './jsonFile.js';

/** The host's own settings, kept in settings.json beside the accounts. */
export interface HostSettings {
  /** The person agreed to tokens stored unencrypted where no OS keychain exists. */
  plaintextAllowed: boolean;
  /** The local store the cursors describe (see Delivery.hello). */
  storeId?: string;
  /** Which embedded sandbox process issued the sandbox accounts' tokens. */
  sandboxInstance?: string;
  /** Team mode is on (the URL itself, a secret, is in the vault). */
  team?: boolean;
}

export class Settings {
  private value: HostSettings = { plaintextAllowed: false };
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
  }

  async load(): Promise<void> {
    this.value = await readJson(this.file, this.value);
  }

  get(): Readonly<HostSettings> {
    return this.value;
  }

  async update(change: Partial<HostSettings>): Promise<void> {
    this.value = { ...this.value, ...change };
    await writeJson(this.file, this.value);
  }
}
