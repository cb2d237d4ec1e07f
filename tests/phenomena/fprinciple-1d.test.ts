/**
 * The frequency principle in numbers, with real training of the canonical network (1-200-200-100-1 tanh,
 * Adam, 61 points of sin(x) + sin(3x) + sin(5x)) on the WASM backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFor } from '../../src/phenomena/engine';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { canonicalConfig, experimentFile, trainUntilLearned, useBackend } from '../support/engine';

describe('F-Principle 1-D', () => {
  beforeAll(() => useBackend('wasm'));

  it('learns the peaks from low to high frequency', async () => {
    const { peaks, steps, errors, learned } = await trainUntilLearned(canonicalConfig());
    expect(peaks).toEqual([1, 3, 5]);
    const low = errors.map((e) => e[0]);
    const high = errors.map((e) => e[peaks.length - 1]);

    // SCIENCE.md check 1: at some snapshot the lowest peak is learned while the highest is far off.
    const witness = errors.findIndex((e) => e[0] < 0.1 && e[peaks.length - 1] > 0.5);
    expect(witness, 'no snapshot with Δ_F(lowest) < 0.1 and Δ_F(highest) > 0.5').toBeGreaterThanOrEqual(0);

    // SCIENCE.md check 2: the step at which each peak first drops below 0.1 increases with frequency.
    console.info(`F-Principle 1-D: Δ_F < 0.1 first at steps ${peaks.map((k, i) => `k=${k}: ${learned[i]}`).join(', ')}; witness at step ${steps[witness]} (Δ_F low ${low[witness].toFixed(3)}, high ${high[witness].toFixed(3)})`);
    expect(learned.every((s) => s !== null), `not every peak was learned: ${learned}`).toBe(true);
    for (let i = 1; i < learned.length; i++) expect(learned[i] as number).toBeGreaterThan(learned[i - 1] as number);
  });

  it("in the authors' setting (1-200-200-200-100-1, 101 points, std 200^−½) learns the peaks from low to high frequency", async () => {
    const { peaks, learned } = await trainUntilLearned(parseFor(fprinciple1d, experimentFile('fprinciple-1d-paper.json')));
    console.info(`F-Principle 1-D, authors' setting: Δ_F < 0.1 first at steps ${peaks.map((k, i) => `k=${k}: ${learned[i]}`).join(', ')}`);
    expect(peaks).toEqual([1, 3, 5]);
    expect(learned.every((s) => s !== null), `not every peak was learned: ${learned}`).toBe(true);
    for (let i = 1; i < learned.length; i++) expect(learned[i] as number).toBeGreaterThan(learned[i - 1] as number);
  });
});
