/** Adam on a quadratic in float64: the numbers of the Adam-spike setting, exactly (the arithmetic is deterministic). */
import { describe, expect, it } from 'vitest';
import { classify, REGIME_GRID, regimeGrid, spikeStarts, stabilityBound, startState, step, type AdamStep, type Regime } from '../../src/phenomena/adam-spike/dynamics';
import type { AdamSpikeConfig } from '../../src/phenomena/adam-spike/schema';

function config(train: Partial<AdamSpikeConfig['train']>, power: 2 | 4 = 2): AdamSpikeConfig {
  return {
    version: 1,
    name: 'test',
    phenomenon: 'adam-spike',
    seed: 1,
    backend: 'cpu',
    objective: { power, theta0: 1.2345 },
    train: { optimizer: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, steps: 10_000, snapshotEvery: 10, ...train },
  };
}

function trajectory(c: AdamSpikeConfig, steps: number): AdamStep[] {
  const state = startState(c);
  return Array.from({ length: steps }, () => step(c, state));
}

const firstAbove = (steps: AdamStep[], bound: number) => steps.find((s) => s.curvature > bound)?.step;

describe('Adam on f(θ) = θ²/2', () => {
  it('β₁ = 0.9, β₂ = 0.999, η = 0.1: the preconditioned curvature crosses the bound 380 at step 7083, then the loss climbs back from ~1e-320', () => {
    const c = config({});
    expect(stabilityBound(c)).toBeCloseTo(380, 10);
    const steps = trajectory(c, 8000);
    expect(firstAbove(steps, stabilityBound(c))).toBe(7083);
    const before = Math.min(...steps.slice(0, 7083).map((s) => s.loss));
    const after = Math.max(...steps.slice(7083, 7700).map((s) => s.loss));
    console.info(`Adam spike: loss down to ${before.toExponential(2)} before step 7083, back up to ${after.toExponential(2)} by step 7700`);
    expect(before).toBeLessThan(1e-300);
    expect(after).toBeGreaterThan(1e-6);
  });

  it('β₁ = 0, β₂ = 0.99: the bound 2/η is crossed at step 358, and the spikes follow', () => {
    const c = config({ beta1: 0, beta2: 0.99 });
    expect(stabilityBound(c)).toBeCloseTo(20, 12);
    const steps = trajectory(c, 1000);
    expect(firstAbove(steps, 20)).toBe(358);
    const starts = spikeStarts(steps, 1e-6);
    console.info(`β₁ = 0: spikes (loss back above 1e-6) start at steps ${starts.join(', ')}`);
    expect(starts.slice(0, 3)).toEqual([666, 852, 964]);
  });

  it('gradient descent stays monotone and below its bound', () => {
    const c = config({ optimizer: 'gd' });
    const steps = trajectory(c, 2000);
    expect(steps.every((s, i) => i === 0 || s.loss <= steps[i - 1].loss)).toBe(true);
    expect(firstAbove(steps, stabilityBound(c))).toBeUndefined();
  });

  it('finds where a loss climbs back above a threshold', () => {
    const losses = [1, 0.1, 2, 0.05, 0.01, 3, 4, 0.2].map((loss, i) => ({ step: i + 1, loss }));
    expect(spikeStarts(losses, 0.5)).toEqual([3, 6]);
  });
});

describe('the (β₁, β₂) regimes of Adam on θ⁴', () => {
  const run = (thetas: number[]) => ({ theta: thetas, loss: thetas.map((t) => t ** 4) });

  it('classifies known trajectories', () => {
    const decaying = Array.from({ length: 100 }, (_, i) => 0.8 ** i);
    expect(classify(1e-12, run(decaying))).toBe('stable');
    // Down to 1e-6 (loss 1e-24), then back up to 1e-3 (loss 1e-12): a spike.
    const spike = [...decaying.slice(0, 62), 1e-5, 1e-4, 1e-3, ...Array.from({ length: 38 }, (_, i) => 1e-3 * 0.5 ** i)];
    expect(classify(1e-12, run(spike))).toBe('spiking');
    // The same climb from a loss that never settled below the threshold is no spike.
    expect(classify(1e-30, run(spike))).toBe('stable');
    // θ passing through 0 gives one tiny loss, not a settled one.
    const overshoot = [1, 0.5, 0.1, 1e-9, -0.1, -0.3, -0.2, -0.1, -0.05, -0.01, -0.001, -1e-4];
    expect(classify(1e-12, run(overshoot))).toBe('stable');
    const bouncing = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? -0.01 : 0.005));
    expect(classify(1e-12, run(bouncing))).toBe('oscillating');
  });

  const grid = (epsilon: number) => regimeGrid(config({ lr: 0.01, epsilon }, 4), REGIME_GRID.beta1s, REGIME_GRID.beta2s, REGIME_GRID.steps);
  const cells = (regimes: Regime[][]) => regimes.flatMap((row, i) => row.map((regime, j) => ({ beta1: REGIME_GRID.beta1s[j], beta2: REGIME_GRID.beta2s[i], regime })));
  const show = (regimes: Regime[][]) => regimes.map((row, i) => `β₂ ${REGIME_GRID.beta2s[i]}: ${row.map((r) => r[0] + (r === 'spiking' ? 'p' : '')).join(' ')}`).join('\n');

  it('with ε → 0, stable exactly where the linearization says: β₁ < β₂', () => {
    const regimes = grid(1e-30);
    console.info(`θ⁴, η = 0.01, ε = 1e-30 (columns β₁ = ${REGIME_GRID.beta1s.join(', ')}):\n${show(regimes)}`);
    for (const { beta1, beta2, regime } of cells(regimes)) {
      if (beta1 < beta2) expect(regime, `β₁ = ${beta1}, β₂ = ${beta2}`).toBe('stable');
      if (beta1 > beta2) expect(regime, `β₁ = ${beta1}, β₂ = ${beta2}`).not.toBe('stable');
    }
  });

  it('with ε = 1e-8: stable below the diagonal, spikes just above it, sign-descent oscillation far above', () => {
    const regimes = grid(1e-8);
    console.info(`θ⁴, η = 0.01, ε = 1e-8:\n${show(regimes)}`);
    const all = cells(regimes);
    for (const { beta1, beta2, regime } of all) if (beta1 < beta2) expect(regime, `β₁ = ${beta1}, β₂ = ${beta2}`).toBe('stable');
    const spiking = all.filter((c) => c.regime === 'spiking');
    expect(spiking.length).toBeGreaterThan(5);
    expect(spiking.every((c) => c.beta1 >= c.beta2)).toBe(true);
    // Far above the diagonal, sign descent: β₁ = 0.99 with β₂ up to 0.95, β₁ ≥ 0.95 at β₂ ≤ 0.7.
    for (const { beta1, beta2, regime } of all) if ((beta1 === 0.99 && beta2 <= 0.95) || (beta1 >= 0.95 && beta2 <= 0.7)) expect(regime, `β₁ = ${beta1}, β₂ = ${beta2}`).toBe('oscillating');
  });
});
