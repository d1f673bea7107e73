import path from 'node:path';
import { readJson, writeJson } from './jsonFile.js';

/**
 * Encrypts secrets at rest. In Electron this is safeStorage (OS keychain,
 * DPAPI, libsecret/kwallet); in the browser host there is only plaintext, and a
 * real account's tokens are then only stored after the person agreed.
 */
export interface Cipher {
  kind: 'os' | 'plaintext';
  encrypt(plain: string): Promise<string>;
  decrypt(stored: string): Promise<string>;
}

export const plaintextCipher: Cipher = {
  kind: 'plaintext',
  encrypt: async (s) => Buffer.from(s, 'utf8').toString('base64'),
  decrypt: async (s) => Buffer.from(s, 'base64').toString('utf8'),
};

interface VaultFile {
  version: 1;
  cipher: Cipher['kind'];
  entries: Record<string, string>;
}

export class PlaintextRefused extends Error {
  constructor() {
    super('refusing to store a real account token without encryption');
  }
}

/**
 * Tokens live here and only here: in the main process, never in the renderer,
 * IndexedDB or a log. An entry that cannot be decrypted (keyring changed,
 * profile copied to another machine) is dropped and its account asks for a
 * reconnect; the app still starts.
 */
export class Vault {
  private entries = new Map<string, string>();
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly cipher: Cipher,
    /** The person agreed to plaintext storage (browser host, or no OS keychain). */
    private readonly plaintextAllowed: () => boolean = () => false,
  ) {
    this.file = path.join(dataDir, 'vault.json');
  }

  get encrypted(): boolean {
    return this.cipher.kind === 'os';
  }

  async load(): Promise<void> {
    const raw = await readJson<VaultFile | null>(this.file, null);
    this.entries.clear();
    if (!raw || raw.version !== 1 || raw.cipher !== this.cipher.kind) return;
    for (const [id, stored] of Object.entries(raw.entries ?? {})) {
      try {
        this.entries.set(id, await this.cipher.decrypt(stored));
      } catch {
        // undecryptable: the account will show "reconnect"
      }
    }
  }

  get<T>(id: string): T | undefined {
    const s = this.entries.get(id);
    if (s === undefined) return undefined;
    try {
      return JSON.parse(s) as T;
    } catch {
      return undefined;
    }
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  async set(id: string, secret: unknown, opts: { sandbox: boolean }): Promise<void> {
    if (this.cipher.kind === 'plaintext' && !opts.sandbox && !this.plaintextAllowed()) throw new PlaintextRefused();
    this.entries.set(id, JSON.stringify(secret));
    await this.persist();
  }

  async delete(id: string): Promise<void> {
    if (this.entries.delete(id)) await this.persist();
  }

  private async persist(): Promise<void> {
    const out: VaultFile = { version: 1, cipher: this.cipher.kind, entries: {} };
    for (const [id, s] of this.entries) out.entries[id] = await this.cipher.encrypt(s);
    await writeJson(this.file, out);
  }
}
