/**
 * An Adam spike through the engine, as the page and the headless runner run it: the loss falls to float64's
 * floor, the preconditioned curvature outgrows the stability bound, the loss climbs back by orders of magnitude.
 */
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/engine/headless';
import { adamSpike } from '../../src/phenomena/adam-spike';
import { ADAM, type AdamSpikeInfo } from '../../src/phenomena/adam-spike/run';
import { parseFor } from '../../src/phenomena/engine';
import { experimentFile, NODE_SOURCES } from '../support/engine';

describe('Adam spike', () => {
  it('the canonical run: curvature past the bound, then a spike of the loss', async () => {
    const record = await runExperiment(parseFor(adamSpike, experimentFile('adam-spike.json')), 'cpu', undefined, NODE_SOURCES);
    const { bound } = record.info as AdamSpikeInfo;
    const measured = record.snapshots.map((s) => ({ step: s.step, loss: s.loss, adam: ADAM.of(s) }));
    const crossed = measured.find((s) => (s.adam?.curvature ?? 0) > bound);
    const floor = Math.min(...measured.filter((s) => s.step < (crossed?.step ?? 0)).map((s) => s.loss));
    const spike = Math.max(...measured.filter((s) => s.step > (crossed?.step ?? Infinity)).map((s) => s.adam?.peakLoss ?? 0));
    console.info(`Adam spike run: curvature past ${bound.toFixed(0)} in the snapshot at step ${crossed?.step}; loss ${floor.toExponential(1)} before, up to ${spike.toExponential(2)} after`);
    expect(crossed?.step).toBe(7090);
    expect(floor).toBeLessThan(1e-300);
    expect(spike).toBeGreaterThan(1e-4);
  });
});
