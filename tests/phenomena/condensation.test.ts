/**
 * Condensation in numbers, with real training of two-layer networks of width 100 on the WASM backend: the app's
 * gradient-descent demo (five points of sin(x)) and the paper's 1-D setting (Adam). The configs are the
 * canonical files in experiments/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import type { CondensationMetrics } from '../../src/core/probes/condensation';
import { parseFor } from '../../src/phenomena/engine';
import { fprinciple1d } from '../../src/phenomena/fprinciple-1d';
import { experimentFile, measures, startRun, useBackend } from '../support/engine';

async function condensationAt(file: string, step: number, ...assignments: string[]): Promise<CondensationMetrics> {
  const config = parseFor(fprinciple1d, applyAssignments(experimentFile(file), [`train.steps=${step}`, ...assignments]));
  const session = await startRun(config);
  try {
    const result = await session.advance(step);
    if (result.status === 'diverged') throw new Error(result.message);
    const metrics = measures(result.snapshot).condensation;
    if (!metrics) throw new Error('no condensation metrics');
    console.info(`${file} ${assignments.join(' ')} at step ${step}: ${metrics.directions}${metrics.directionsCapped ? '+' : ''} directions at ${metrics.directionAngles.map((a) => a.toFixed(0)).join('°, ')}°, RD ${metrics.rd.toFixed(2)}`);
    return metrics;
  } finally {
    session.dispose();
  }
}

/** Smallest angle between two directions given in degrees. */
function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

describe('condensation at initial training', () => {
  beforeAll(() => useBackend('wasm'));

  it('ReLU from small initialization: ≥ 90 % of the amplitude within 10° of at most two, nearly opposite, directions', async () => {
    const small = await condensationAt('condensation.json', 500);
    expect(small.directions).toBeLessThanOrEqual(2);
    expect(small.directionsCapped).toBe(false);
    expect(small.directions).toBe(2);
    expect(angleBetween(small.directionAngles[0], small.directionAngles[1])).toBeGreaterThan(150);
  });

  it('ReLU from standard initialization (γ = 0.25): no condensation, and the weights barely move', async () => {
    const standard = await condensationAt('condensation.json', 500, 'model.init.gamma=0.25');
    expect(standard.directions).toBeGreaterThan(4);
    expect(standard.rd).toBeLessThan(0.5);
  });

  it('tanh from small initialization: exactly opposite directions (multiplicity 1)', async () => {
    const tanh = await condensationAt('condensation.json', 500, 'model.activation="tanh"');
    expect(tanh.directions).toBe(2);
    expect(angleBetween(tanh.directionAngles[0], tanh.directionAngles[1])).toBeGreaterThan(170);
  });

  it('x·tanh(x) from small initialization: more than two and at most four directions (multiplicity 2)', async () => {
    const xtanh = await condensationAt('condensation-xtanh.json', 3000);
    expect(xtanh.directions).toBeGreaterThan(2);
    expect(xtanh.directions).toBeLessThanOrEqual(4);
  });

  it('2-D input, tanh from small initialization: two opposite directions in (w₁, w₂, b); standard initialization: spread out', async () => {
    const small = await condensationAt('condensation-2d.json', 1000);
    expect(small.directions).toBe(2);
    expect(small.directionPolar).toHaveLength(2);
    // Opposite unit vectors: azimuths 180° apart and polar angles mirrored about 90°.
    expect(angleBetween(small.directionAngles[0], small.directionAngles[1])).toBeGreaterThan(170);
    expect(Math.abs((small.directionPolar as number[])[0] + (small.directionPolar as number[])[1] - 180)).toBeLessThan(10);
    const standard = await condensationAt('condensation-2d.json', 1000, 'model.init.gamma=0.25');
    expect(standard.directions).toBeGreaterThan(8);
  });

  // The paper's 1-D setting (Zhou et al. 2022: 40 points, width 100, N(0, 0.005²), Adam 5e-4), directions at its epoch 200.
  it.each([
    ['tanh', 1],
    ['xtanh', 2],
    ['x2tanh', 3],
  ])("the paper's setting, %s (multiplicity %i): at most 2p directions at epoch 200", async (activation, p) => {
    const paper = await condensationAt('condensation-paper.json', 200, `model.activation="${activation}"`);
    expect(paper.directionsCapped).toBe(false);
    expect(paper.directions).toBeLessThanOrEqual(2 * p);
  });

  it('dropout condenses the neurons even from standard initialization', async () => {
    const plain = await condensationAt('condensation-dropout.json', 4000, 'model.dropout=0');
    const dropout = await condensationAt('condensation-dropout.json', 4000);
    expect(plain.directions).toBeGreaterThan(8);
    expect(dropout.directions).toBeLessThanOrEqual(plain.directions / 2);
  });
});
