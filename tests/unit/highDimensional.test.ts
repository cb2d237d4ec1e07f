import { describe, expect, it } from 'vitest';
import { dft } from '../../src/core/analysis/spectrum';
import { allOnesCoordinate, hypercube, parity, paritySpectrum, sampleIndices } from '../../src/core/data/parity';
import { amplitudeOverOutputs, firstPrincipalDirection, gaussianSmoother, lowHighErrors, lowPart, nudft, project, relativeErrorOverOutputs, squaredDistances } from '../../src/core/analysis/highDimensional';

/** 30 points in 3-D, and 2 outputs per point. */
const n = 30;
const d = 3;
const x = Float64Array.from({ length: n * d }, (_, i) => Math.sin(1.3 * i) + 0.1 * (i % 7));
const y = Float64Array.from({ length: n * 2 }, (_, i) => Math.cos(0.7 * i));

describe('filtering method', () => {
  const distances = squaredDistances(x, n, d);

  it('measures squared distances', () => {
    expect(distances[0]).toBe(0);
    const direct = (x[0] - x[3]) ** 2 + (x[1] - x[4]) ** 2 + (x[2] - x[5]) ** 2;
    expect(distances[1]).toBeCloseTo(direct, 12);
    expect(distances[n]).toBe(distances[1]);
  });

  it('splits a signal into low and high parts that sum back to it', () => {
    const weights = gaussianSmoother(distances, n, 0.8);
    const low = lowPart(weights, n, y, 2);
    const high = y.map((v, i) => v - low[i]);
    low.forEach((v, i) => expect(v + high[i]).toBeCloseTo(y[i], 12));
    // The smoother is an average: each row of weights sums to 1, so a constant passes unchanged.
    const constant = lowPart(weights, n, new Float64Array(n * 2).fill(3), 2);
    constant.forEach((v) => expect(v).toBeCloseTo(3, 12));
  });

  it('keeps everything low for a huge δ (the mean) and nothing smoothed for a tiny δ (the signal)', () => {
    const tiny = lowPart(gaussianSmoother(distances, n, 1e-6), n, y, 2);
    tiny.forEach((v, i) => expect(v).toBeCloseTo(y[i], 12));
    const huge = lowPart(gaussianSmoother(distances, n, 1e12), n, y, 2);
    const mean0 = y.filter((_, i) => i % 2 === 0).reduce((s, v) => s + v, 0) / n;
    expect(huge[0]).toBeCloseTo(mean0, 9);
    expect(huge[2 * (n - 1)]).toBeCloseTo(mean0, 9);
  });

  it('gives zero errors for a perfect output, and separates low from high errors', () => {
    const weights = gaussianSmoother(distances, n, 0.8);
    expect(lowHighErrors(weights, n, 2, y, y)).toEqual({ low: 0, high: 0 });
    const low = lowPart(weights, n, y, 2);
    // An output equal to the target's low part: no low-frequency error… almost; the smoother is not a projection.
    const { low: eLow, high: eHigh } = lowHighErrors(weights, n, 2, y, low);
    expect(eHigh).toBeGreaterThan(0.5);
    expect(eLow).toBeLessThan(eHigh);
  });
});

describe('projection method', () => {
  it('finds the direction of largest spread', () => {
    const points = Float64Array.from({ length: 200 * 2 }, (_, i) => (i % 2 === 0 ? 5 * Math.sin(i) : 0.5 * Math.cos(3 * i)));
    // Rotate by 30°: the principal direction is (cos 30°, sin 30°) up to sign.
    const angle = Math.PI / 6;
    const rotated = points.map((_, i) => {
      const [a, b] = [points[i - (i % 2)], points[i - (i % 2) + 1]];
      return i % 2 === 0 ? a * Math.cos(angle) - b * Math.sin(angle) : a * Math.sin(angle) + b * Math.cos(angle);
    });
    const { direction } = firstPrincipalDirection(rotated, 200, 2);
    expect(Math.abs(direction[0] * Math.cos(angle) + direction[1] * Math.sin(angle))).toBeCloseTo(1, 6);
  });

  it('the non-uniform DFT on a uniform grid is the FFT divided by n', () => {
    const m = 16;
    const t = Float64Array.from({ length: m }, (_, j) => j / m);
    const signal = Float64Array.from({ length: m }, (_, j) => Math.sin(0.9 * j) + j / 10);
    const slow = nudft(t, signal, 1, Array.from({ length: m }, (_, k) => k));
    const fast = dft(signal);
    for (let k = 0; k < m; k++) {
      expect(slow.re[k]).toBeCloseTo(fast.re[k] / m, 12);
      expect(slow.im[k]).toBeCloseTo(fast.im[k] / m, 12);
    }
  });

  it('measures amplitude and relative error over all outputs', () => {
    const t = project(x, n, d, Float64Array.of(1, 0, 0), new Float64Array(3));
    expect(t[1]).toBe(x[3]);
    const target = nudft(t, y, 2, [0, 0.5, 1]);
    const half = nudft(t, y.map((v) => v / 2), 2, [0, 0.5, 1]);
    expect(relativeErrorOverOutputs(target, half, 2, [[0], [1, 2]]).map((e) => +e.toFixed(12))).toEqual([0.5, 0.5]);
    const amplitude = amplitudeOverOutputs(target, 2);
    expect(amplitude[0]).toBeCloseTo(Math.hypot(y.filter((_, i) => i % 2 === 0).reduce((s, v) => s + v, 0) / n, y.filter((_, i) => i % 2 === 1).reduce((s, v) => s + v, 0) / n), 12);
  });
});

describe('parity along the all-ones direction (1901.06523 §7)', () => {
  it('the whole cube has the spectrum (−i sin 2πk)^d exactly: amplitude |sin 2πk|^d, peaks at k = ±¼', () => {
    const frequencies = [0, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, -0.25, 0.137];
    for (const dimension of [10, 3]) {
      const cube = hypercube(dimension);
      const spectrum = nudft(allOnesCoordinate(cube, dimension), parity(cube, dimension), 1, frequencies);
      frequencies.forEach((k, f) => {
        const exact = paritySpectrum(k, dimension);
        expect(spectrum.re[f]).toBeCloseTo(exact.re, 13);
        expect(spectrum.im[f]).toBeCloseTo(exact.im, 13);
        expect(Math.hypot(exact.re, exact.im)).toBeCloseTo(Math.abs(Math.sin(2 * Math.PI * k)) ** dimension, 15);
      });
    }
    // d = 10: 1 at the peaks, |sin 0.2π|^10 = 0.0049 at k = 0.1, and nothing at k = 0.
    expect(Math.abs(paritySpectrum(0.25, 10).re)).toBeCloseTo(1, 15);
    expect(Math.abs(paritySpectrum(0.1, 10).re)).toBeCloseTo(0.0049, 4);
    expect(Math.abs(paritySpectrum(0, 10).re)).toBe(0);
  });

  it('200 seeded points of the 1024 show artificial low frequencies (aliasing)', () => {
    const cube = hypercube(10);
    const indices = sampleIndices(1024, 200, 1);
    expect(new Set(indices).size).toBe(200);
    expect(sampleIndices(1024, 200, 1)).toEqual(indices);
    expect(indices.every((i) => i >= 0 && i < 1024)).toBe(true);
    const rows = Float64Array.from(indices.flatMap((i) => Array.from(cube.subarray(i * 10, (i + 1) * 10))));
    const [low] = amplitudeOverOutputs(nudft(allOnesCoordinate(rows, 10), parity(rows, 10), 1, [0.1]), 1);
    // Measured for seed 1: 0.042 against the whole cube's 0.0049.
    expect(low).toBeGreaterThan(5 * Math.abs(Math.sin(0.2 * Math.PI)) ** 10);
  });
});
