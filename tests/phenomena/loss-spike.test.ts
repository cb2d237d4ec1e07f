/**
 * Loss spikes with real training (WASM backend): the canonical run of experiments/loss-spike.json, gradient
 * descent at η = 0.04, through its first two spikes. Each starts while λ_max of the Hessian is above 2/η with the
 * gradient aligned to the sharpest direction, and ends with λ_max back below 2/η.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { flatten, largestEigenvalue, lossGradient } from '../../src/core/analysis/hessian';
import { applyAssignments } from '../../src/core/config/overrides';
import { targetDataset, targetExpression } from '../../src/core/data/function1d';
import { initParams, layerSizes } from '../../src/core/models/mlpSpec';
import { normalSampler } from '../../src/core/random';
import { CONDENSATION } from '../../src/core/probes/condensation';
import { FREQUENCY } from '../../src/core/probes/frequency';
import { SHARPNESS } from '../../src/core/probes/sharpness';
import { runExperiment } from '../../src/engine/headless';
import { parseFor } from '../../src/phenomena/engine';
import { lossSpike, stabilityBound } from '../../src/phenomena/loss-spike';
import { lossSpikes } from '../../src/phenomena/loss-spike/spikes';
import { fitNetwork } from '../../src/phenomena/fit/network';
import { experimentFile, NODE_SOURCES, useBackend } from '../support/engine';

describe('loss spikes under gradient descent', () => {
  beforeAll(() => useBackend('wasm'));

  it('the loss spikes when λ_max is above 2/η and recovers as λ_max falls below it', async () => {
    const config = parseFor(lossSpike, applyAssignments(experimentFile('loss-spike.json'), ['train.steps=340']));
    const record = await runExperiment(config, 'wasm', undefined, NODE_SOURCES);
    const bound = stabilityBound(config.train.lr);
    const at = new Map(record.snapshots.map((s) => [s.step, s]));
    const sharpness = (step: number) => {
      const value = SHARPNESS.of(at.get(step) ?? record.snapshots[0]);
      if (!value) throw new Error(`no sharpness at step ${step}`);
      return value;
    };
    const spikes = lossSpikes(record.snapshots, 5);
    for (const spike of spikes) {
      const before = spike.start - config.train.snapshotEvery;
      const [pre, peak, end] = [before, spike.peak, spike.end ?? spike.peak].map((step) => at.get(step));
      const line = (label: string, step: number) =>
        `${label} ${step}: loss ${at.get(step)?.loss.toFixed(3)}, λ_max ${sharpness(step).lambdaMax.toFixed(1)}, gᵀHg/‖g‖² ${sharpness(step).gradientCurvature.toFixed(1)}, Δ_F ${FREQUENCY.of(at.get(step) ?? record.snapshots[0])?.relError.map((e) => e.toFixed(2)).join('/')}, directions ${CONDENSATION.of(at.get(step) ?? record.snapshots[0])?.directions}`;
      console.info(`spike ×${spike.ratio.toFixed(1)} (2/η = ${bound}):\n  ${line('before', before)}\n  ${line('peak', spike.peak)}\n  ${line('end', spike.end ?? spike.peak)}`);
      expect(pre && peak && end).toBeTruthy();
      // The rise began while the landscape was too sharp for η, along the sharpest direction…
      expect(sharpness(before).lambdaMax).toBeGreaterThan(bound);
      expect(sharpness(before).gradientCurvature).toBeGreaterThan(bound);
      // …and the spike is over once λ_max is back below 2/η.
      expect(spike.end).not.toBeNull();
      expect(sharpness(spike.end as number).lambdaMax).toBeLessThan(bound);
      // In frequency (the paper's reading): the low frequency is the one thrown off, and it is re-learned first.
      const relError = (step: number) => FREQUENCY.of(at.get(step) ?? record.snapshots[0])?.relError ?? [];
      const [low, high] = [(step: number) => relError(step)[0], (step: number) => relError(step)[relError(step).length - 1]];
      expect(low(spike.peak) - low(before)).toBeGreaterThan(high(spike.peak) - high(before));
      expect(low(spike.end as number)).toBeLessThan(0.5 * low(spike.peak));
    }
    expect(spikes.length).toBeGreaterThanOrEqual(2);
    // Between spikes the loss never rose 5× while λ_max stayed below the bound: every rise above 1.5× its running minimum came with λ_max > 2/η just before.
    const rises = lossSpikes(record.snapshots, 1.5, 1.2);
    for (const rise of rises) expect(sharpness(rise.start - config.train.snapshotEvery).lambdaMax, `rise at step ${rise.start}`).toBeGreaterThan(bound);
  });
});

describe('how long after λ_max crosses 2/η a spike starts', () => {
  // The same run replayed step by step (exact float64 gradients, the weights rounded to float32 after each update as the app keeps them),
  // with λ_max and its eigenvector v at every step: the "within a few steps after the crossing" does not hold,
  // and this says why. Along v, gradient descent multiplies the deviation by 1 − ηλ each step, so the gradient's
  // component g·v grows at ln|1 − ηλ| per step once λ > 2/η; λ passes 2/η slowly (≈ 0.16 a step here), and the
  // component starts from its rounding floor, so it takes tens of steps to reach the loss's scale.
  it('the component along the sharpest direction grows at ln|1 − ηλ| per step from the crossing; the spike comes once it has grown e^10 and more', () => {
    const config = parseFor(lossSpike, applyAssignments(experimentFile('loss-spike.json'), ['train.steps=230']));
    const { x, y } = targetDataset(targetExpression(config.data), config.data.domain, config.data.points, config.data.grid);
    const network = fitNetwork(config);
    const problem = { sizes: layerSizes(network), x, y };
    const theta = flatten(initParams(network, config.seed));
    const [lr, bound] = [config.train.lr, stabilityBound(config.train.lr)];
    const sample = normalSampler(1);
    let vector: ArrayLike<number> = Float64Array.from({ length: theta.length }, () => sample(1));
    const rows: { step: number; loss: number; lambda: number; along: number }[] = [];
    for (let step = 0; step <= config.train.steps; step++) {
      const { loss, gradient } = lossGradient(problem, theta);
      const found = largestEigenvalue(problem, theta, vector, 1e-6, 300);
      vector = found.vector;
      rows.push({ step, loss, lambda: found.value, along: Math.abs(gradient.reduce((sum, g, i) => sum + g * found.vector[i], 0)) });
      for (let i = 0; i < theta.length; i++) theta[i] = Math.fround(theta[i] - Math.fround(lr * gradient[i]));
    }
    const crossing = rows.findIndex((r) => r.lambda > bound);
    const spike = lossSpikes(rows, 5)[0];
    expect(crossing).toBeGreaterThan(0);
    expect(spike).toBeDefined();
    // λ stays above the bound from the crossing to the spike.
    expect(rows.slice(crossing, spike.start).every((r) => r.lambda > bound)).toBe(true);
    const rate = (from: number, to: number) => Math.log(rows[to].along / rows[from].along) / (to - from);
    const theory = (from: number, to: number) => rows.slice(from, to).reduce((sum, r) => sum + Math.log(Math.abs(1 - lr * r.lambda)), 0) / (to - from);
    // Forty steps on, the component is above its floor and still small: measured 0.321 a step against 0.317.
    const [from, to] = [crossing + 40, crossing + 60];
    const total = theory(crossing, spike.start) * (spike.start - crossing);
    console.info(
      `λ_max crosses 2/η = ${bound} at step ${crossing}; the first spike (×${spike.ratio.toFixed(1)}) starts at ${spike.start}, ${spike.start - crossing} steps later. ` +
        `g·v grows ${rate(from, to).toFixed(3)} a step over steps ${from}–${to}, theory ln|1 − ηλ| ${theory(from, to).toFixed(3)}; from the crossing to the spike Σ ln|1 − ηλ| = ${total.toFixed(1)} ` +
        `(|g·v| ${rows[crossing].along.toExponential(1)} at the crossing, loss ${rows[crossing].loss.toFixed(3)})`,
    );
    expect(Math.abs(rate(from, to) / theory(from, to) - 1)).toBeLessThan(0.1);
    expect(total).toBeGreaterThan(10);
    expect(spike.start - crossing).toBeGreaterThan(20);
  });
});
