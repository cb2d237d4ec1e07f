import { describe, expect, it } from 'vitest';
import { amplitudeSpectrum, bandEdges, belowHistory, centeredAmplitude2, describeBelowHistory, dft, dft2, findPeaks, firstStepBelow, radialFrequency, relativeErrorAt, relativeErrorByBand } from '../../src/core/analysis/spectrum';
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

describe('belowHistory', () => {
  const steps = [0, 20, 40, 400, 420, 440, 500, 520];
  const words = { reached: 'learned', lost: 'lost', never: 'not yet learned' };
  it('says when a value fell below, rose back and fell again, from the snapshots alone', () => {
    expect(belowHistory(steps, [1, 0.5, 0.3, 0.2, 0.2, 0.15, 0.12, 0.11], 0.1)).toEqual({ first: null, lost: null, regained: null });
    expect(belowHistory(steps, [1, 0.05, 0.01, 0.001, 0.001, 0.001, 0.001, 0.001], 0.1)).toEqual({ first: 20, lost: null, regained: null });
    // The loss switch: learned at 20, lost at 420, still lost.
    expect(belowHistory(steps, [1, 0.05, 0.01, 0.001, 0.16, 0.24, 0.2, 0.15], 0.1)).toEqual({ first: 20, lost: 420, regained: null });
    // ... then learned again at 500.
    expect(belowHistory(steps, [1, 0.05, 0.01, 0.001, 0.16, 0.24, 0.09, 0.06], 0.1)).toEqual({ first: 20, lost: 420, regained: 500 });
    // Two losses: the last one is named; a value that is not a number is not below.
    expect(belowHistory(steps, [1, 0.05, 0.5, 0.05, Number.NaN, 0.2, 0.09, 0.06], 0.1)).toEqual({ first: 20, lost: 420, regained: 500 });
    expect(belowHistory(steps, [1, 0.05, 0.5, 0.05, 0.05, 0.05, 0.05, 0.2], 0.1)).toEqual({ first: 20, lost: 520, regained: null });
    expect(belowHistory(steps, [1, 0.05, 0.5, 0.05, 0.05, 0.05, 0.05, 0.05], 0.1)).toEqual({ first: 20, lost: 40, regained: 400 });
    // Exactly at the threshold is not below.
    expect(belowHistory([0, 10], [0.05, 0.1], 0.1)).toEqual({ first: 0, lost: 10, regained: null });
  });

  it('puts it in words', () => {
    expect(describeBelowHistory({ first: null, lost: null, regained: null }, words)).toBe('not yet learned');
    expect(describeBelowHistory({ first: 20, lost: null, regained: null }, words)).toBe('learned at step 20');
    expect(describeBelowHistory({ first: 20, lost: 420, regained: null }, words)).toBe('learned at step 20, lost again at step 420');
    expect(describeBelowHistory({ first: 20, lost: 420, regained: 500 }, words)).toBe('learned at step 20, lost at step 420, learned again at step 500');
  });
});

describe('2-D spectrum and radial bands', () => {
  it('dft2 of a separable image is the product of the 1-D transforms', () => {
    const [rows, cols] = [6, 8];
    const u = Array.from({ length: rows }, (_, r) => Math.cos(0.7 * r) + r / 5);
    const v = Array.from({ length: cols }, (_, c) => Math.sin(1.3 * c) - 0.2);
    const image = Array.from({ length: rows * cols }, (_, i) => u[Math.floor(i / cols)] * v[i % cols]);
    const [U, V, F] = [dft(u), dft(v), dft2(image, rows, cols)];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        expect(F.re[r * cols + c]).toBeCloseTo(U.re[r] * V.re[c] - U.im[r] * V.im[c], 9);
        expect(F.im[r * cols + c]).toBeCloseTo(U.re[r] * V.im[c] + U.im[r] * V.re[c], 9);
      }
    }
  });

  it('puts cos(2πkx/n) at radius k, reading high indices as negative frequencies', () => {
    const n = 8;
    const radius = radialFrequency(n, n);
    expect(radius[0 * n + 3]).toBe(3);
    expect(radius[0 * n + 5]).toBe(3); // index 5 of 8 is frequency −3
    expect(radius[3 * n + 4]).toBe(5);
    const image = Array.from({ length: n * n }, (_, i) => Math.cos((2 * Math.PI * 3 * (i % n)) / n));
    const F = dft2(image, n, n);
    const energetic = Array.from(F.re, (re, i) => [Math.hypot(re, F.im[i]), radius[i]] as const).filter(([a]) => a > 1e-9);
    expect(energetic.map(([, r]) => r)).toEqual([3, 3]);
  });

  it('relative error by band: exact in one band, zero elsewhere', () => {
    const n = 8;
    const radius = radialFrequency(n, n);
    const edges = bandEdges(n, n, 2); // [0, 2), [2, ∞)
    expect(edges).toEqual([0, 2, Infinity]);
    const low = Array.from({ length: n * n }, (_, i) => Math.cos((2 * Math.PI * (i % n)) / n));
    const high = Array.from({ length: n * n }, (_, i) => Math.cos((2 * Math.PI * 3 * Math.floor(i / n)) / n));
    const target = dft2(low.map((v, i) => v + high[i]), n, n);
    // Output has the low part right and half of the high part.
    const output = dft2(low.map((v, i) => v + 0.5 * high[i]), n, n);
    const [lowError, highError] = relativeErrorByBand(target, output, radius, edges);
    expect(lowError).toBeCloseTo(0, 12);
    expect(highError).toBeCloseTo(0.5, 12);
  });

  it('centres the amplitude of a separable cosine image: a quarter at (±k_y, ±k_x) around the middle', () => {
    const n = 8;
    const image = Array.from({ length: n * n }, (_, i) => Math.cos((2 * Math.PI * 2 * (i % n)) / n) * Math.cos((2 * Math.PI * 1 * Math.floor(i / n)) / n));
    const amplitude = centeredAmplitude2(dft2(image, n, n), n, n);
    const at = (ky: number, kx: number) => amplitude[(ky + n / 2) * n + (kx + n / 2)];
    for (const [ky, kx] of [[1, 2], [1, -2], [-1, 2], [-1, -2]]) expect(at(ky, kx)).toBeCloseTo(0.25, 12);
    expect(amplitude.reduce((sum, a) => sum + a, 0)).toBeCloseTo(1, 12);
    const constant = centeredAmplitude2(dft2(new Array(n * n).fill(0.7), n, n), n, n);
    expect(constant[(n / 2) * n + n / 2]).toBeCloseTo(0.7, 12);
  });
});
