import { describe, expect, it } from 'vitest';
import { formatValue, lastAtOrBefore, nearestIndex } from '../../src/ui/charts/hover';

describe('chart hover', () => {
  it('finds the sample nearest a position, unsorted and with non-finite values', () => {
    expect(nearestIndex([0, 10, 20, 30], 14)).toBe(1);
    expect(nearestIndex([0, 10, 20, 30], 16)).toBe(2);
    expect(nearestIndex([0, 10, 20, 30], 99)).toBe(3);
    expect(nearestIndex([5, Number.NaN, 1], 2)).toBe(2);
    expect(nearestIndex([], 2)).toBe(-1);
  });

  it('finds the snapshot at or before a step', () => {
    expect(lastAtOrBefore([0, 10, 20], 15)).toBe(1);
    expect(lastAtOrBefore([0, 10, 20], 20)).toBe(2);
    expect(lastAtOrBefore([5, 10], 2)).toBe(-1);
  });

  it('shows four significant digits, exponent form beyond them', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(1234.5)).toBe('1235');
    expect(formatValue(2.5e-5)).toBe('2.500e-5');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(Number.NaN)).toBe('NaN');
  });
});
