/**
 * A map from 53-bit hashes (hash53) to row numbers, open addressing over typed
 * arrays. The reports fold and walk hundreds of thousands of hashed ids; a Map
 * keyed by such numbers (beyond the small integers V8 keeps unboxed) spends most
 * of its time boxing and hashing them, this spends none: the low 32 bits of a
 * hash53 are already well mixed, so they are the slot.
 */
const EMPTY = -2;

export class F64Index {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  /** Keys ever set (a removed key keeps its slot). */
  private used = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  private slot(key: number): number {
    const { keys, vals, mask } = this;
    // ToInt32 of the hash is its low 32 bits.
    let i = key & mask;
    while (vals[i] !== EMPTY && keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  /** The row of `key`, or -1 (never set, or removed). */
  get(key: number): number {
    const v = this.vals[this.slot(key)] as number;
    return v === EMPTY ? -1 : v;
  }

  /** Sets `key` to `value` (≥ 0); -1 removes it. */
  set(key: number, value: number): void {
    const i = this.slot(key);
    if (this.vals[i] === EMPTY) {
      if (value < 0) return;
      this.keys[i] = key;
      if (++this.used * 2 > this.vals.length) {
        this.vals[i] = value;
        this.grow();
        return;
      }
    }
    this.vals[i] = value;
  }

  private grow(): void {
    const { keys, vals } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.vals = new Int32Array(vals.length * 2).fill(EMPTY);
    this.mask = this.vals.length - 1;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] as number;
      if (v === EMPTY) continue;
      const j = this.slot(keys[i] as number);
      this.keys[j] = keys[i] as number;
      this.vals[j] = v;
    }
  }
}
