/**
 * DNN against Jacobi through the engine: on −u″ = g, the network's Δ_F at the lowest peak of the exact solution's
 * spectrum falls below 0.1 before the highest peak's does, and Jacobi iteration's the other way round; the hybrid
 * (Jacobi from the network's output at step M) ends the run closer to the exact solution than either.
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

    // The hybrid starts at step M from the network's output and, at the run's budget, beats both pure runs.
    const last = SOLVERS.of(record.snapshots.at(-1)!)!;
    const atSwitch = record.snapshots.find((s) => s.step === config.train.switchAt)!;
    expect(SOLVERS.of(atSwitch)!.hybrid!.error).toBeCloseTo(SOLVERS.of(atSwitch)!.network.error, 2);
    console.info(`DNN vs Jacobi, relative L2 error at step ${last.sweeps}: network ${last.network.error.toFixed(4)}, Jacobi ${last.jacobi.error.toFixed(4)}, hybrid (switch at ${config.train.switchAt}) ${last.hybrid!.error.toFixed(4)}`);
    expect(last.hybrid!.error).toBeLessThan(0.75 * last.network.error);
    expect(last.hybrid!.error).toBeLessThan(0.75 * last.jacobi.error);
  });
});
