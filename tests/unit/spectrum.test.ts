import { describe, expect, it } from 'vitest';
import { amplitudeSpectrum, dft, findPeaks, firstStepBelow, relativeErrorAt } from '../../src/core/analysis/spectrum';
import { periodicGrid } from '../../src/core/data/function1d';

function naiveDft(x: number[]): { re: number[]; im: number[] } {
  const n = x.length;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k < n; k++) {
    let r = 0;
    let i = 0;
    for (let j = 0; j < n; j++) {
      r += x[j] * Math.cos((2 * Math.PI * j * k) / n);
      i -= x[j] * Math.sin((2 * Math.PI * j * k) / n);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

describe('dft', () => {
  it.each([1, 2, 3, 7, 16, 61, 64, 97, 128])('matches the textbook DFT for n = %i', (n) => {
    const x = Array.from({ length: n }, (_, j) => Math.sin(1.7 * j) + 0.3 * Math.cos(0.2 * j * j));
    const fast = dft(x);
    const slow = naiveDft(x);
    for (let k = 0; k < n; k++) {
      expect(fast.re[k]).toBeCloseTo(slow.re[k], 9);
      expect(fast.im[k]).toBeCloseTo(slow.im[k], 9);
    }
  });
});

describe('amplitude spectrum on the uniform grid', () => {
  it.each([61, 64])('sin(3x) on [−π, π] with %i points peaks at k = 3 with amplitude 1', (n) => {
    const x = periodicGrid([-Math.PI, Math.PI], n);
    const amplitude = amplitudeSpectrum(dft(x.map((v) => Math.sin(3 * v))));
    expect(amplitude.length).toBe(Math.floor(n / 2) + 1);
    expect(amplitude[3]).toBeCloseTo(1, 10);
    amplitude.forEach((a, k) => {
      if (k !== 3) expect(a).toBeLessThan(1e-12);
    });
    expect(findPeaks(amplitude, 0.05)).toEqual([3]);
  });

  it('gives each component its amplitude and a constant its value at k = 0', () => {
    const x = periodicGrid([0, 2 * Math.PI], 40);
    const amplitude = amplitudeSpectrum(dft(x.map((v) => 0.5 + 2 * Math.cos(v) - 0.25 * Math.sin(7 * v + 1))));
    expect(amplitude[0]).toBeCloseTo(0.5, 10);
    expect(amplitude[1]).toBeCloseTo(2, 10);
    expect(amplitude[7]).toBeCloseTo(0.25, 10);
  });
});

describe('findPeaks', () => {
  it('returns local maxima above the relative threshold, ascending', () => {
    expect(findPeaks([0, 1, 0.2, 0.05, 0.8, 0.1, 0.02, 0.03, 0], 0.1)).toEqual([1, 4]);
    expect(findPeaks([0, 1, 0.2, 0.05, 0.8, 0.1, 0.02, 0.03, 0], 0.01)).toEqual([1, 4, 7]);
  });
  it('handles a peak at the last frequency and a flat spectrum', () => {
    expect(findPeaks([0, 0.1, 0.5], 0.1)).toEqual([2]);
    expect(findPeaks([0, 0, 0], 0.1)).toEqual([]);
  });
});

describe('relative error per frequency Δ_F', () => {
  const target = { re: Float64Array.of(0, 3, 0, -2), im: Float64Array.of(0, 4, 0, 0) };
  it('is 0 for a perfect fit and 1 for a zero output', () => {
    expect(relativeErrorAt(target, target, [1, 3])).toEqual([0, 0]);
    const zero = { re: new Float64Array(4), im: new Float64Array(4) };
    expect(relativeErrorAt(target, zero, [1, 3])).toEqual([1, 1]);
  });
  it('is |ĥ − ŷ| / |ŷ| with complex values (phase errors count)', () => {
    // ĥ_1 = 3 − 4i: |ĥ − ŷ| = |−8i| = 8, |ŷ| = 5. ĥ_3 = −1: |1| / 2.
    const output = { re: Float64Array.of(0, 3, 0, -1), im: Float64Array.of(0, -4, 0, 0) };
    const [e1, e3] = relativeErrorAt(target, output, [1, 3]);
    expect(e1).toBeCloseTo(8 / 5, 12);
    expect(e3).toBeCloseTo(0.5, 12);
  });
});

describe('firstStepBelow', () => {
  it('finds the first crossing or null', () => {
    expect(firstStepBelow([0, 10, 20, 30], [1, 0.5, 0.05, 0.2], 0.1)).toBe(20);
    expect(firstStepBelow([0, 10], [1, 0.5], 0.1)).toBeNull();
  });
});
