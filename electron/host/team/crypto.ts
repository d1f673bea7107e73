import { createCipheriv, createDecipheriv, randomBytes, scrypt, type BinaryLike } from 'node:crypto';

/**
 * The team key: the platform tokens in the team database are sealed with it, so
 * the database (its backups, its operators, a login that may read the tokens
 * table by mistake) never holds a usable token. An admin enters the key once per
 * console; it stays in that console's vault.
 *
 * scrypt(key, salt) gives a 256-bit key for AES-256-GCM; each sealed value is
 * base64(iv | tag | ciphertext), bound to what it is (the account id) by the
 * additional data, so a sealed token cannot be moved to another account's row.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** scrypt's defaults in Node (N = 16384, r = 8, p = 1): about 50 ms and 16 MB, once per console start. */
const SCRYPT = { N: 16384, r: 8, p: 1 };
/** The known text sealed into team_key.check_value: opening it proves the key is the team's. */
const CHECK_TEXT = 'webcare team key check v1';
const CHECK_AAD = 'webcare:check';

export class WrongTeamKey extends Error {
  constructor() {
    super('the team key does not open what the team sealed');
  }
}

function derive(key: string, salt: BinaryLike): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(key.normalize('NFC'), salt, 32, SCRYPT, (e, k) => (e ? reject(e) : resolve(k))));
}

/** A derived team key: seals and opens values. */
export class TeamCipher {
  private constructor(private readonly key: Buffer) {}

  static async derive(key: string, saltB64: string): Promise<TeamCipher> {
    return new TeamCipher(await derive(key, Buffer.from(saltB64, 'base64')));
  }

  /** A new team key's row: a fresh salt, and the check value sealed with the derived key. */
  static async create(key: string): Promise<{ cipher: TeamCipher; salt: string; checkValue: string }> {
    const salt = randomBytes(16).toString('base64');
    const cipher = await TeamCipher.derive(key, salt);
    return { cipher, salt, checkValue: cipher.seal(CHECK_TEXT, CHECK_AAD) };
  }

  /** Whether this key is the one that sealed `checkValue`. */
  verifies(checkValue: string): boolean {
    try {
      return this.open(checkValue, CHECK_AAD) === CHECK_TEXT;
    } catch {
      return false;
    }
  }

  seal(plain: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  /** Throws WrongTeamKey when the value was sealed with another key, for another subject, or altered. */
  open(sealed: string, aad: string): string {
    const raw = Buffer.from(sealed, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new WrongTeamKey();
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      d.setAAD(Buffer.from(aad, 'utf8'));
      d.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([d.update(raw.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
    } catch {
      throw new WrongTeamKey();
    }
  }
}

/** The additional data of an account's sealed token. */
export const tokenAad = (accountId: string) => `webcare:token:${accountId}`;
