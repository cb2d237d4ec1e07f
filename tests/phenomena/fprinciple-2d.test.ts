/**
 * The frequency principle on an image (SCIENCE.md, 2-D): fitting (x, y) → intensity, the lowest radial band's
 * relative error halves before the highest band's does (real training of the canonical network, WASM).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { firstStepBelow } from '../../src/core/analysis/spectrum';
import { parseExperiment } from '../../src/core/config/validate';
import { Session } from '../../src/core/train/session';
import { experimentFile, useBackend } from '../support/engine';

describe('F-Principle 2-D', () => {
  beforeAll(() => useBackend('wasm'));

  it('halves the error of the radial frequency bands from low to high', async () => {
    const config = parseExperiment(experimentFile('fprinciple-2d.json'));
    const session = new Session(config);
    const steps: number[] = [];
    const errors: number[][] = [];
    let start: number[] = [];
    try {
      start = (await session.snapshot()).metrics.frequency.relError;
      while (!session.finished) {
        const result = await session.advance(config.train.snapshotEvery);
        if (result.status === 'diverged') throw new Error(result.message);
        steps.push(result.snapshot.step);
        errors.push(result.snapshot.metrics.frequency.relError);
        if (errors.at(-1)?.every((e, b) => e < start[b] / 2)) break;
      }
    } finally {
      session.dispose();
    }
    expect(session.info.bandEdges).toEqual([0, 2, 4, 6, Infinity]);
    const halved = start.map((e0, b) => firstStepBelow(steps, errors.map((e) => e[b]), e0 / 2));
    console.info(`F-Principle 2-D: band errors start at ${start.map((e) => e.toFixed(2)).join(', ')}; halved at steps ${halved.join(', ')}`);
    const [lowest, highest] = [halved[0], halved[halved.length - 1]];
    expect(lowest).not.toBeNull();
    expect(highest).not.toBeNull();
    expect(lowest as number).toBeLessThan(highest as number);
    // And band by band, in order of frequency.
    for (let b = 1; b < halved.length; b++) expect(halved[b] as number).toBeGreaterThan(halved[b - 1] as number);
  });
});
