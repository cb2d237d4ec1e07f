/**
 * The frequency principle on MNIST (SCIENCE.md, high-dimensional data): by the filtering method the error of the
 * low-frequency part falls below 0.1 well before the high-frequency part's, for every δ of the experiment; by
 * the projection method the lowest band is fitted before the highest (real training, WASM).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { firstStepBelow } from '../../src/core/analysis/spectrum';
import { parseFor } from '../../src/phenomena/engine';
import { fprincipleMnist } from '../../src/phenomena/fprinciple-mnist';
import { experimentFile, LEARNED, measures, startRun, useBackend } from '../support/engine';

describe('F-Principle on MNIST', () => {
  beforeAll(() => useBackend('wasm'));

  it('fits the low-frequency part first (filtering), and the low projection band first (projection)', async () => {
    const config = parseFor(fprincipleMnist, experimentFile('fprinciple-mnist.json'));
    const session = await startRun(config);
    const steps: number[] = [];
    const low: number[][] = [];
    const high: number[][] = [];
    const bands: number[][] = [];
    try {
      while (!session.finished) {
        const result = await session.advance(config.train.snapshotEvery);
        if (result.status === 'diverged') throw new Error(result.message);
        const { filtering, frequency } = measures(result.snapshot);
        steps.push(result.snapshot.step);
        low.push(filtering?.low ?? []);
        high.push(filtering?.high ?? []);
        bands.push(frequency.relError);
        // Enough once every low part and the lowest band are fitted.
        if (low.at(-1)?.every((e) => e < LEARNED) && (bands.at(-1)?.[0] ?? 1) < LEARNED) break;
      }
    } finally {
      session.dispose();
    }
    const last = steps.length - 1;
    config.analysis.deltas.forEach((delta, i) => {
      const lowAt = firstStepBelow(steps, low.map((e) => e[i]), LEARNED);
      const highThen = high[steps.indexOf(lowAt as number)][i];
      console.info(`MNIST δ = ${delta}: e_low < ${LEARNED} at step ${lowAt}, when e_high = ${highThen.toFixed(3)}; at step ${steps[last]}: e_low ${low[last][i].toFixed(3)}, e_high ${high[last][i].toFixed(3)}`);
      expect(lowAt).not.toBeNull();
      expect(highThen).toBeGreaterThan(3 * LEARNED);
    });
    const lowestBand = firstStepBelow(steps, bands.map((e) => e[0]), LEARNED) as number;
    const highestThen = bands[steps.indexOf(lowestBand)].at(-1) as number;
    console.info(`MNIST projection: lowest band < ${LEARNED} at step ${lowestBand}, when the highest band's error is ${highestThen.toFixed(3)}`);
    expect(highestThen).toBeGreaterThan(2 * LEARNED);
  });
});
