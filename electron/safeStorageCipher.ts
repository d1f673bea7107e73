import type { Cipher } from './host/vault.js';

/** The slice of Electron's safeStorage the vault needs (injected, so tests need no binary). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * OS-backed encryption when there is a real keychain. Linux without a secret
 * service falls back to `basic_text`, a hard-coded key: that is plaintext in
 * all but name, so it is reported as such and storing needs consent.
 */
export function safeStorageCipher(safeStorage: SafeStorageLike, platform = process.platform): Cipher {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    return {
      kind: 'plaintext',
      encrypt: async (s) => Buffer.from(s, 'utf8').toString('base64'),
      decrypt: async (s) => Buffer.from(s, 'base64').toString('utf8'),
    };
  }
  return {
    kind: 'os',
    encrypt: async (s) => safeStorage.encryptString(s).toString('base64'),
    decrypt: async (s) => safeStorage.decryptString(Buffer.from(s, 'base64')),
  };
}
