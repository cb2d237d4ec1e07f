/** Adam on a quadratic in float64: the numbers of the Adam-spike setting, exactly (the arithmetic is deterministic). */
import { describe, expect, it } from 'vitest';
import { spikeStarts, stabilityBound, startState, step, type AdamStep } from '../../src/phenomena/adam-spike/dynamics';
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
