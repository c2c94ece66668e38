import { describe, expect, it } from 'vitest';
import { allPositions, fitsLayout, parsePosition } from '../../src/domain/wells.js';

describe('well positions', () => {
  it('parses A1…P24, case-insensitively', () => {
    expect(parsePosition('a1')).toEqual({ position: 'A1', row: 1, column: 1 });
    expect(parsePosition('P24')).toEqual({ position: 'P24', row: 16, column: 24 });
    expect(parsePosition(' h12 ')).toEqual({ position: 'H12', row: 8, column: 12 });
  });

  it.each(['Q1', 'A0', 'A25', 'A01', '1A', 'AA1', '', 'A'])('rejects %s', (p) => {
    expect(parsePosition(p)).toBeUndefined();
  });

  it('checks a well against a layout', () => {
    const plate96 = { rows: 8, columns: 12 };
    expect(fitsLayout(parsePosition('H12')!, plate96)).toBe(true);
    expect(fitsLayout(parsePosition('I1')!, plate96)).toBe(false);
    expect(fitsLayout(parsePosition('A13')!, plate96)).toBe(false);
    expect(allPositions(plate96)).toHaveLength(96);
    expect(allPositions({ rows: 16, columns: 24 }).at(-1)).toBe('P24');
  });
});
