/**
 * The phenomena's events and headlines: pure functions of a run's snapshots, with known answers on made-up
 * snapshots, stable as snapshots arrive, and on two real runs cheap enough for a unit test.
 */
import { describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import type { Snapshot } from '../../src/core/run/types';
import { runExperiment } from '../../src/engine/headless';
import { adamSpike } from '../../src/phenomena/adam-spike';
import { condensation } from '../../src/phenomena/condensation';
import { settledValues } from '../../src/phenomena/condensation/events';
import { parseFor, type AnyConfig } from '../../src/phenomena/engine';
import { fitEvents, fitHeadline, switchJump } from '../../src/phenomena/fit/events';
import type { FitInfo } from '../../src/phenomena/fit/info';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { fprinciple2d } from '../../src/phenomena/fprinciple-2d';
import { fprincipleMnist } from '../../src/phenomena/fprinciple-mnist';
import { lossSpike } from '../../src/phenomena/loss-spike';
import { neuralCollapse } from '../../src/phenomena/neural-collapse';
import { phaseDiagram } from '../../src/phenomena/phase-diagram';
import type { RunEvent } from '../../src/phenomena/types';
import { experimentFile, NODE_SOURCES, useBackend } from '../support/engine';

const snapshot = (step: number, loss: number, metrics: Record<string, unknown> = {}): Snapshot => ({ step, loss, metrics });
const fitInfo = (peaks: number[]): FitInfo => ({ parameterCount: 1, inputs: 1, x: [], target: [], curveX: [], curveTarget: [], frequencies: [], targetAmplitude: [], peaks });

/** Events of every prefix of the snapshots are among the events of the whole run, at the same steps with the same words. */
function expectStable(events: (snapshots: readonly Snapshot[]) => RunEvent[], snapshots: readonly Snapshot[]): void {
  const all = events(snapshots).map((e) => JSON.stringify(e));
  for (let n = 1; n <= snapshots.length; n++) for (const event of events(snapshots.slice(0, n))) expect(all).toContain(JSON.stringify(event));
}

describe('function-fit events', () => {
  const config = parseFor(fprinciple1d, experimentFile('fprinciple-1d.json'));
  const info = fitInfo([1, 3, 5]);
  // Δ_F at k = 1, 3, 5: k = 1 below 0.1 at step 20, k = 3 at 40 (after a wiggle above at 50, not a new event), k = 5 never.
  const errors = [
    [0.9, 1, 1],
    [0.3, 0.9, 1],
    [0.05, 0.5, 1],
    [0.02, 0.2, 0.9],
    [0.01, 0.08, 0.8],
    [0.01, 0.12, 0.7],
  ];
  const snapshots = errors.map((relError, i) => snapshot(10 * i, 1, { frequency: { k: [1, 3, 5], relError } }));

  it('a peak is learned where Δ_F first falls below 0.1', () => {
    expect(fitEvents({ config, info, snapshots })).toEqual([
      { step: 20, label: 'k = 1 learned' },
      { step: 40, label: 'k = 3 learned' },
    ]);
    expectStable((s) => fitEvents({ config, info, snapshots: s }), snapshots);
  });

  it('2-D: a band is fitted where its error first falls below 0.5; the headline is the highest band', () => {
    const image = parseFor(fprinciple2d, experimentFile('fprinciple-image.json'));
    const bands: FitInfo = { ...fitInfo([0, 1, 2]), inputs: 2, bandEdges: [0, 4, 8, Infinity] };
    const run = [
      [0.9, 1, 1],
      [0.45, 0.8, 1],
      [0.2, 0.49, 0.9],
    ].map((relError, i) => snapshot(20 * i, 1, { frequency: { k: [0, 1, 2], relError } }));
    expect(fitEvents({ config: image, info: bands, snapshots: run })).toEqual([
      { step: 20, label: '|k| 0–4: error below 0.5' },
      { step: 40, label: '|k| 4–8: error below 0.5' },
    ]);
    expect(fitHeadline(run[2], { config: image, info: bands })).toEqual({ label: 'Δ_F(|k| ≥ 8)', value: '0.900' });
  });

  it('MNIST: each δ\'s low- and high-frequency part fitted where its error first falls below 0.1', () => {
    const mnist = parseFor(fprincipleMnist, applyAssignments(experimentFile('fprinciple-mnist.json'), ['analysis.deltas=[10, 20]']));
    const run = [
      { low: [0.5, 0.4], high: [0.9, 0.9] },
      { low: [0.09, 0.05], high: [0.6, 0.5] },
      { low: [0.05, 0.03], high: [0.3, 0.08] },
    ].map((filtering, i) => snapshot(10 * i, 1, { filtering }));
    const view = { config: mnist, info: fitInfo([]), snapshots: run };
    expect(fprincipleMnist.events?.(view)).toEqual([
      { step: 10, label: 'low-frequency part fitted (δ = 10)' },
      { step: 10, label: 'low-frequency part fitted (δ = 20)' },
      { step: 20, label: 'high-frequency part fitted (δ = 20)' },
    ]);
    expect(fprincipleMnist.headline(run[2], view)).toEqual({ label: 'e_low · e_high (δ = 10)', value: '0.05 · 0.30' });
  });

  it('the headline is Δ_F at the highest peak', () => {
    expect(fitHeadline(snapshots[5], { config, info })).toEqual({ label: 'Δ_F(k = 5)', value: '0.700' });
  });

  it("a loss switch: the switch at its step, the error's jump once the 100 steps after it have passed", () => {
    const switching = parseFor(fprinciple1d, applyAssignments(experimentFile('loss-switch.json'), ['train.lossSwitchAt=200']));
    // The error 1e-4 at the switch, 1.45e-2 ten steps later (145×), falling back after.
    const losses = [1e-3, 2e-4, 1e-4, 1.45e-2, 5e-3, 1e-3, 5e-4];
    const run = losses.map((loss, i) => snapshot([0, 100, 200, 210, 250, 300, 320][i], loss));
    const at = (n: number) => fitEvents({ config: switching, info: fitInfo([]), snapshots: run.slice(0, n) });
    expect(at(2)).toEqual([]);
    expect(at(5)).toEqual([{ step: 200, label: 'switch to the model loss' }]);
    expect(switchJump(run.slice(0, 5), 200)).toEqual({ factor: 145, step: 210, complete: false });
    expect(at(6)).toEqual([
      { step: 200, label: 'switch to the model loss' },
      { step: 210, label: 'error grew 145×' },
    ]);
    expectStable((s) => fitEvents({ config: switching, info: fitInfo([]), snapshots: s }), run);
    expect(fitHeadline(run[3], { config: switching, info: fitInfo([]) })).toEqual({ label: 'error to u*', value: '1.45e-2' });
  });
});

describe('condensation events', () => {
  it('a count settles once it has held for the given number of entries in a row, dated where it began', () => {
    expect(settledValues([12, 12, 13, 6, 5, 6, 5, 4, 4, 4, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3], 5)).toEqual([
      { index: 11, value: 2 },
      { index: 17, value: 3 },
    ]);
    expect(settledValues([2, 2, 2, 3, 2, 2, 2], 3)).toEqual([{ index: 0, value: 2 }]);
    expect(settledValues([NaN, NaN, NaN], 2)).toEqual([]);
  });

  it("the condensation page's run A: 2 directions found at step 240, then 3 at 1490 (real training)", async () => {
    await useBackend('wasm');
    const record = await runExperiment(parseFor(condensation, experimentFile('condensation.json')), 'wasm', undefined, NODE_SOURCES);
    const run = { config: record.config as never, info: record.info as never, snapshots: record.snapshots };
    const events = condensation.events?.(run) ?? [];
    console.info(`condensation, small initialization: ${events.map((e) => `${e.label} at ${e.step}`).join('; ')}`);
    expect(events).toEqual([
      { step: 240, label: '2 directions found' },
      { step: 1490, label: '3 directions found' },
    ]);
    expect(condensation.headline(record.snapshots.at(-1) as Snapshot, run)).toEqual({ label: 'directions', value: '3' });
    expectStable((snapshots) => condensation.events?.({ ...run, snapshots }) ?? [], record.snapshots.filter((_, i) => i % 5 === 0));
  });
});

describe('Adam-spike events', () => {
  it('without momentum: the bound 2/η crossed at step 358, spikes from step 666 on, the loss back above f(η/100) = 5e-7 (real float64 run)', async () => {
    const config = parseFor(adamSpike, applyAssignments(experimentFile('adam-spike.json'), ['train.beta1=0', 'train.beta2=0.99', 'train.steps=1000', 'train.snapshotEvery=1']));
    const record = await runExperiment(config, 'cpu', undefined, NODE_SOURCES);
    const run = { config, info: record.info as never, snapshots: record.snapshots };
    const events = adamSpike.events?.(run) ?? [];
    console.info(`Adam, β₁ = 0: ${events.map((e) => `${e.label} at ${e.step}`).join('; ')}`);
    expect(events.slice(0, 4)).toEqual([
      { step: 358, label: 'curvature passed the bound' },
      { step: 666, label: 'loss spike' },
      { step: 851, label: 'loss spike' },
      { step: 963, label: 'loss spike' },
    ]);
    expect(adamSpike.headline(record.snapshots[358], run)?.label).toBe('curvature / bound');
    // Just past the bound at the crossing, far below it before.
    expect(record.snapshots[358].step).toBe(358);
    expect(adamSpike.headline(record.snapshots[358], run)?.value).toBe('1.00');
    expect(Number(adamSpike.headline(record.snapshots[100], run)?.value)).toBeLessThan(0.5);
  });
});

describe('other phenomena', () => {
  const phenomenonRun = <C extends AnyConfig>(config: C, snapshots: Snapshot[]) => ({ config, info: { parameterCount: 1 } as never, snapshots });

  it('loss spikes: λ_max past 2/η, each spike (loss above 5× its running minimum); the headline λ_max/(2/η)', () => {
    const config = parseFor(lossSpike, experimentFile('loss-spike.json'));
    const bound = 2 / config.train.lr;
    const curve: [number, number][] = [[1, 10], [0.5, 30], [0.1, 0.9 * bound], [0.05, 1.2 * bound], [0.4, 1.3 * bound], [0.06, 0.8 * bound], [0.04, bound]];
    const snapshots = curve.map(([loss, lambdaMax], i) => snapshot(2 * i, loss, { sharpness: { lambdaMax, gradientCurvature: 0 } }));
    const run = phenomenonRun(config, snapshots);
    expect(lossSpike.events?.(run)).toEqual([
      { step: 6, label: 'λ_max passed 2/η' },
      { step: 8, label: 'loss spike 1' },
    ]);
    expect(lossSpike.headline(snapshots[4], run)).toEqual({ label: 'λ_max / (2/η)', value: '1.30' });
  });

  it('neural collapse: zero training error; the headline NC1', () => {
    const config = parseFor(neuralCollapse, experimentFile('neural-collapse.json'));
    const snapshots = [0.5, 0.1, 0, 0.01, 0].map((trainError, i) => snapshot(100 * i, 1, { collapse: { trainError, nc1: 1 / (i + 1) } }));
    const run = phenomenonRun(config, snapshots);
    expect(neuralCollapse.events?.(run)).toEqual([{ step: 200, label: 'zero training error' }]);
    expect(neuralCollapse.headline(snapshots[3], run)).toEqual({ label: 'NC1', value: '2.50e-1' });
  });

  it('phase diagram: each width when done, and the regimes once the last one is', () => {
    const config = parseFor(phaseDiagram, experimentFile('phase-diagram.json'));
    const cells = [{ regime: 'linear' }, { regime: 'condensed' }, { regime: 'condensed' }];
    const sweep = (done: number[]) => ({ sweep: { widths: [100, 200], done, cells }, sweepProgress: null });
    const snapshots = [snapshot(0, NaN, sweep([])), snapshot(50, NaN, sweep([100])), snapshot(90, NaN, sweep([100, 200]))];
    const run = phenomenonRun(config, snapshots);
    expect(phaseDiagram.events?.(run)).toEqual([
      { step: 50, label: 'width 100 done' },
      { step: 90, label: 'width 200 done' },
      { step: 90, label: 'regimes decided: 2 condensed · 0 critical · 1 linear' },
    ]);
    expect(phaseDiagram.headline(snapshots[2], run)).toEqual({ label: 'cells', value: '2 condensed · 0 critical · 1 linear' });
  });
});
