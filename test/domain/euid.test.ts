import { describe, expect, it } from 'vitest';
import { formatEuid, isValidEuid, toBase32 } from '../../src/domain/euid.js';

describe('EUIDs (bloom-api.md §0.2)', () => {
  it.each(['BCN-16', 'BCN-13C', 'BCT-11', 'BGT-1R', 'EDG-16', 'Z:BCN-17'])('accepts the documented valid id %s', (euid) => {
    expect(isValidEuid(euid)).toBe(true);
  });

  it.each(['BGT-123', 'BCN-RT', 'BCN-1', 'bcn-16', 'BCN-06', 'BI-16', 'BCNX-16', 'BCN16', ''])('rejects %s', (euid) => {
    expect(isValidEuid(euid)).toBe(false);
  });

  it('mints the documented ids from sequence values', () => {
    expect(formatEuid('BCN', 1)).toBe('BCN-16');
    expect(formatEuid('BCN', 35)).toBe('BCN-13C'); // 35 = 0x23 → "13" in base 32
    expect(formatEuid('BCT', 1)).toBe('BCT-11');
    expect(formatEuid('BGT', 1)).toBe('BGT-1R');
    expect(formatEuid('BCN', 1, 'Z')).toBe('Z:BCN-17');
  });

  it('round-trips: every minted id validates and a one-character change is caught', () => {
    for (let n = 1; n < 5000; n += 7) {
      const euid = formatEuid('BCT', n);
      expect(isValidEuid(euid)).toBe(true);
      const last = euid.at(-1);
      const tampered = euid.slice(0, -1) + (last === '0' ? '1' : '0');
      expect(isValidEuid(tampered)).toBe(false);
    }
  });

  it('writes bodies in Crockford base 32 without leading zeros', () => {
    expect(toBase32(31)).toBe('Z');
    expect(toBase32(32)).toBe('10');
    expect(() => toBase32(0)).toThrow();
  });
});
