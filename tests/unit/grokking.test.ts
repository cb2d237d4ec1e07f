/** Modular addition's table and its error seen in the Fourier basis of Z_p, on cases with known answers. */
import { describe, expect, it } from 'vitest';
import { frequencyError, offDiagonalShare, softmaxRows } from '../../src/core/analysis/modularFrequency';
import { modularAddition } from '../../src/core/data/modular';
import type { Snapshot } from '../../src/core/run/types';
import { parseFor } from '../../src/phenomena/engine';
import { grokking } from '../../src/phenomena/grokking';
import type { GrokkingInfo } from '../../src/phenomena/grokking/measures';

describe('modular addition', () => {
  it('encodes a and b one-hot and answers (a + b) mod p', () => {
    const p = 5;
    const { inputs, answers } = modularAddition(p);
    const row = 3 * p + 4;
    expect(Array.from(inputs.subarray(row * 2 * p, (row + 1) * 2 * p))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    expect(answers[row]).toBe(2);
    expect(inputs.reduce((sum, v) => sum + v, 0)).toBe(2 * p * p);
  });
});

describe('the error by frequency over the residues', () => {
  const p = 7;
  const { answers } = modularAddition(p);
  const all = Array.from({ length: p * p }, (_, i) => i);
  const table = (probability: (pair: number, c: number) => number) => Float64Array.from({ length: p * p * p }, (_, i) => probability(Math.floor(i / p), i % p));

  it('is 0 for the right answers and, for a uniform guess, 0 at k = 0 and 1 elsewhere', () => {
    expect(frequencyError(table((pair, c) => (c === answers[pair] ? 1 : 0)), answers, p, all)).toEqual([0, 0, 0, 0]);
    const uniform = frequencyError(table(() => 1 / p), answers, p, all);
    expect(uniform[0]).toBeCloseTo(0, 12);
    for (const e of uniform.slice(1)) expect(e).toBeCloseTo(1, 12);
  });

  it('is 2ε|sin(πks/p)| when a share ε of the probability sits s residues off', () => {
    const [epsilon, s] = [0.3, 2];
    const shifted = table((pair, c) => (c === answers[pair] ? 1 - epsilon : c === (answers[pair] + s) % p ? epsilon : 0));
    const error = frequencyError(shifted, answers, p, [0, 10, 33]);
    error.forEach((e, k) => expect(e).toBeCloseTo(2 * epsilon * Math.abs(Math.sin((Math.PI * k * s) / p)), 12));
  });

  it('averages |ê(k)|² over the pairs asked for', () => {
    // Pair 0 right, pair 1 uniform: √((0 + 1)/2) at k ≠ 0.
    const mixed = table((pair, c) => (pair === 1 ? 1 / p : c === answers[pair] ? 1 : 0));
    for (const e of frequencyError(mixed, answers, p, [0, 1]).slice(1)) expect(e).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('takes softmax row by row, stable for large logits', () => {
    const probabilities = softmaxRows([1000, 1000, 0, Math.log(3)], 2);
    [0.5, 0.5, 0.25, 0.75].forEach((v, i) => expect(probabilities[i]).toBeCloseTo(v, 15));
  });
});

describe('the share of the spectrum over (a, b) off the diagonal', () => {
  const p = 7;
  const { answers } = modularAddition(p);
  const table = (value: (pair: number, c: number) => number) => Float64Array.from({ length: p * p * p }, (_, i) => value(Math.floor(i / p), i % p));

  it('is 0 for modular addition, 1 for a function of a alone, and between for a sample of the table', () => {
    const answer = table((pair, c) => (c === answers[pair] ? 1 : 0));
    expect(offDiagonalShare(answer, p)).toBeCloseTo(0, 12);
    expect(offDiagonalShare(table((pair, c) => (Math.floor(pair / p) === c ? 1 : 0)), p)).toBeCloseTo(1, 12);
    // Half the pairs kept (even rows): the sample aliases energy off the diagonal.
    const sampled = offDiagonalShare(table((pair, c) => (pair % 2 === 0 && c === answers[pair] ? 1 : 0)), p);
    expect(sampled).toBeGreaterThan(0.1);
    expect(sampled).toBeLessThan(1);
  });
});

describe('the grokking events', () => {
  it('marks the fit of the training pairs and, later, the test accuracy passing 0.9 with the delay', () => {
    const config = parseFor(grokking, { version: 1, name: 't', phenomenon: 'grokking', seed: 1, backend: 'auto', data: { modulus: 5, trainFraction: 0.5 }, model: { widths: [8], activation: 'relu', init: { gamma: 0.5, scale: 1 } }, train: { optimizer: 'adam', lr: 0.01, steps: 100, snapshotEvery: 10 } });
    const info: GrokkingInfo = { parameterCount: 1, modulus: 5, trainPairs: 12, testPairs: 13, sampledOffDiagonal: 0.3 };
    const at = (step: number, trainAccuracy: number, testAccuracy: number): Snapshot => ({ step, loss: 1, metrics: { generalization: { trainAccuracy, testAccuracy, testLoss: 1 } } });
    const snapshots = [at(0, 0.1, 0.1), at(10, 0.995, 0.02), at(20, 1, 0.5), at(40, 1, 0.9), at(50, 1, 0.95)];
    expect(grokking.events!({ config, info, snapshots })).toEqual([
      { step: 10, label: 'training pairs fitted; test accuracy 0.02' },
      { step: 40, label: 'grokked: test accuracy 0.9 at 4.0× the fitting step' },
    ]);
    expect(grokking.events!({ config, info, snapshots: snapshots.slice(0, 3) })).toHaveLength(1);
  });
});
