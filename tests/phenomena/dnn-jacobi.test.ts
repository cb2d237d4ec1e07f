/**
 * DNN against Jacobi through the engine: on −u″ = g, the network's Δ_F at the lowest peak of the exact solution's
 * spectrum falls below 0.1 before the highest peak's does, and Jacobi iteration's the other way round.
 */
import { describe, expect, it } from 'vitest';
import { firstStepBelow } from '../../src/core/analysis/spectrum';
import { runExperiment } from '../../src/engine/headless';
import { parseRunFile } from '../../src/engine/runFile';
import { dnnJacobi } from '../../src/phenomena/dnn-jacobi';
import { SOLVERS, type DnnJacobiInfo } from '../../src/phenomena/dnn-jacobi/run';
import { parseFor } from '../../src/phenomena/engine';
import { experimentFile, NODE_SOURCES } from '../support/engine';

describe('DNN against Jacobi', () => {
  it('the quick run: the network converges the lowest peak first, Jacobi the highest', async () => {
    const config = parseFor(dnnJacobi, experimentFile('dnn-jacobi.json'));
    const record = await runExperiment(config, 'cpu', undefined, NODE_SOURCES);
    // The record opens as a run file (the app's import checks it against the phenomenon's record schema).
    expect(parseRunFile(JSON.parse(JSON.stringify(record)))).toHaveLength(1);
    const { peaks } = record.info as DnnJacobiInfo;
    expect(peaks.length).toBeGreaterThanOrEqual(2);
    const steps = record.snapshots.map((s) => s.step);
    const at = (solver: 'network' | 'jacobi', peak: number) => firstStepBelow(steps, record.snapshots.map((s) => SOLVERS.of(s)![solver].relError[peak]), 0.1);
    const [low, high] = [0, peaks.length - 1];
    const found = { network: [at('network', low), at('network', high)], jacobi: [at('jacobi', low), at('jacobi', high)] };
    console.info(`DNN vs Jacobi, peaks k = ${peaks.join(', ')}: Δ_F < 0.1 first at step (lowest, highest) network ${found.network.join(', ')}; Jacobi ${found.jacobi.join(', ')}`);
    // Each converges one end within the run and that end before the other (never, for the other, counts as later).
    expect(found.network[0]).not.toBeNull();
    expect(found.network[0]!).toBeLessThan(found.network[1] ?? Infinity);
    expect(found.jacobi[1]).not.toBeNull();
    expect(found.jacobi[1]!).toBeLessThan(found.jacobi[0] ?? Infinity);
  });
});
