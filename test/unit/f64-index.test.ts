import { describe, expect, it } from 'vitest';
import { F64Index } from '../../shared/f64Index';
import { hash53 } from '../../shared/reportFacts';

/** The reports' map from 53-bit hashes to rows, checked against a Map. */
describe('F64Index', () => {
  it('answers as a Map does through growth, overwrites and removals, for hashes sharing their low bits', () => {
    const index = new F64Index(4);
    const map = new Map<number, number>();
    // Hashes, and numbers that differ only above bit 32 (the same slot): probing must tell them apart.
    const keys = [...Array.from({ length: 3000 }, (_, i) => hash53(`k${i}`)), ...Array.from({ length: 50 }, (_, i) => (i + 1) * 4294967296 + 7)];
    keys.forEach((k, i) => {
      index.set(k, i);
      map.set(k, i);
    });
    for (let i = 0; i < keys.length; i += 3) {
      index.set(keys[i]!, -1);
      map.delete(keys[i]!);
    }
    for (let i = 0; i < keys.length; i += 6) {
      index.set(keys[i]!, 7);
      map.set(keys[i]!, 7);
    }
    for (const k of keys) expect(index.get(k)).toBe(map.get(k) ?? -1);
    expect(index.get(hash53('never set'))).toBe(-1);
    expect(index.get(7)).toBe(-1);
  });
});
