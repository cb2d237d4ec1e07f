import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classify, coordinatesOf, initScales, NAMED_INITIALIZATIONS, regimeBoundary, slope, standing, sweepToCsv, type Cell } from '../../src/phenomena/phase-diagram/diagram';
import { TwoLayerBatch, type BatchSpec } from '../../src/core/models/twoLayerBatch';
import { applyAssignments } from '../../src/core/config/overrides';
import { parseFor } from '../../src/phenomena/engine';
import { phaseDiagram } from '../../src/phenomena/phase-diagram';
import { SweepRun } from '../../src/phenomena/phase-diagram/run';
import { experimentFile, useBackend } from '../support/engine';

describe('phase-diagram coordinates', () => {
  it('initScales inverts the definitions of γ and γ′ (α = 1)', () => {
    const m = 1000;
    const { beta1, beta2 } = initScales(1.5, -0.5, m);
    expect(-Math.log(beta1 * beta2) / Math.log(m)).toBeCloseTo(1.5, 12);
    expect(-Math.log(beta1 / beta2) / Math.log(m)).toBeCloseTo(-0.5, 12);
  });

  it('places the named initializations where their scalings put them', () => {
    const at = Object.fromEntries(NAMED_INITIALIZATIONS.map((p) => [p.name, [p.gamma, p.gammaPrime].map((v) => Number(v.toFixed(3)))]));
    expect(at).toEqual({ NTK: [0.5, 0], 'mean field': [1, 0], LeCun: [0.5, 0.5], Xavier: [1, 0] });
    expect(coordinatesOf((m) => ({ alpha: 1, beta1: m ** -2, beta2: m ** -1 }))).toEqual({ gamma: 3, gammaPrime: 1 });
  });

  it('draws the boundary at γ = 1, bending to γ = 1 + γ′ for γ′ > 0', () => {
    expect([-1, 0, 0.5, 1].map(regimeBoundary)).toEqual([1, 1, 1.5, 2]);
  });

  it('fits slopes and classifies them', () => {
    expect(slope([0, 1, 2], [1, 3, 5])).toBeCloseTo(2, 12);
    expect(slope([Math.log(10), Math.log(100)], [Math.log(0.1), Math.log(0.01)])).toBeCloseTo(-1, 12);
    expect([-0.5, -0.1, 0, 0.1, 0.5].map((s) => classify(s, 0.15))).toEqual(['linear', 'critical', 'critical', 'critical', 'condensed']);
    // The paper's rule: the sign alone.
    expect([-0.1, 0.01].map((s) => classify(s, 0))).toEqual(['linear', 'condensed']);
  });

  it('calls a regime provisional until every width of the sweep has trained', () => {
    const cell = (rd: number[], regime: Cell['regime']): Cell => ({ gamma: 1, gammaPrime: 0, rd, steps: rd.map(() => 10), converged: rd.map(() => true), slope: regime ? 0.3 : null, regime });
    const widths = [100, 200, 400, 800];
    expect(standing(cell([0.1], null), { widths, done: [100], cells: [] })).toBe('unclassified');
    expect(standing(cell([0.1, 0.2], 'condensed'), { widths, done: [100, 200], cells: [] })).toBe('provisional');
    expect(standing(cell([0.1, 0.2, 0.3], 'condensed'), { widths, done: [100, 200, 400], cells: [] })).toBe('provisional');
    expect(standing(cell([0.1, 0.2, 0.3, 0.4], 'condensed'), { widths, done: widths, cells: [] })).toBe('final');
  });
});

describe('batched two-layer trainer', () => {
  beforeAll(() => useBackend('wasm'));

  const x = [-4, -2, 0, 2, 4];
  const y = x.map(Math.sin);
  const spec = (scales: BatchSpec['scales']): BatchSpec => ({ x, y, width: 64, scales, seed: 3, eta0: 0.5, lossTarget: 1e-6 });
  const cells = [0.5, 1, 1.75].map((g) => initScales(g, 0, 64));

  it('computes the gradients that autodiff computes', () => {
    const batch = new TwoLayerBatch(spec(cells));
    const { gradW, gradA, loss } = batch.gradients();
    // Autodiff of the same loss with tf.grads, from the batch's own weights.
    const { w, a } = batch;
    const inputs = tf.tile(tf.tensor3d(x.flatMap((v) => [v, 1]), [1, 5, 2]), [3, 1, 1]);
    const targets = tf.tile(tf.tensor3d(y, [1, 5, 1]), [3, 1, 1]);
    const lossOf = (wv: tf.Tensor, av: tf.Tensor) => tf.div(tf.sum(tf.square(tf.sub(tf.matMul(tf.relu(tf.matMul(inputs, wv as tf.Tensor3D)), av as tf.Tensor3D), targets))), 2 * 5) as tf.Scalar;
    const [autoW, autoA] = tf.grads(lossOf)([w, a]);
    // Summing the per-network losses gives each network's own gradient.
    expect(tf.max(tf.abs(tf.sub(autoW, gradW))).dataSync()[0]).toBeLessThan(1e-5 * (tf.max(tf.abs(autoW)).dataSync()[0] + 1e-12));
    expect(tf.max(tf.abs(tf.sub(autoA, gradA))).dataSync()[0]).toBeLessThan(1e-5 * (tf.max(tf.abs(autoA)).dataSync()[0] + 1e-12));
    expect(tf.sum(loss).dataSync()[0]).toBeCloseTo(lossOf(w, a).dataSync()[0], 5);
    tf.dispose([gradW, gradA, loss, inputs, targets, autoW, autoA]);
    batch.dispose();
  });

  it('is a model like any other: its forward pass gives the losses it trains on, its parameters go by name', async () => {
    const batch = new TwoLayerBatch(spec(cells));
    batch.train(50);
    const { loss } = await batch.state();
    const output = batch.forward(tf.tensor2d(x, [5, 1])).output;
    const mine = tf.div(tf.sum(tf.square(tf.sub(output, tf.tensor3d(y, [1, 5, 1]))), [1, 2]), 2 * 5).dataSync();
    cells.forEach((_, b) => expect(mine[b]).toBeCloseTo(loss[b], 6));
    const params = await batch.read();
    expect(params.map((p) => [p.name, p.shape])).toEqual([['w', [3, 2, 64]], ['a', [3, 64, 1]]]);
    expect(batch.parameterCount).toBe(3 * 3 * 64);
    batch.assign(params.map((p) => ({ ...p, values: p.values.map(() => 0) })));
    expect(tf.sum(batch.forward(tf.tensor2d(x, [5, 1])).output).dataSync()[0]).toBe(0);
    batch.dispose();
  });

  it('trains each network as if it were alone', async () => {
    const together = new TwoLayerBatch(spec(cells));
    together.train(300);
    const batched = await together.state();
    together.dispose();
    for (const [b, scale] of cells.entries()) {
      const alone = new TwoLayerBatch(spec([scale]));
      alone.train(300);
      const single = await alone.state();
      alone.dispose();
      expect(single.loss[0]).toBeCloseTo(batched.loss[b], 6);
      expect(Math.abs(single.rd[0] / batched.rd[b] - 1)).toBeLessThan(1e-4);
      expect(single.stoppedAt[0]).toBe(batched.stoppedAt[b]);
    }
  });

  it('starts every network from output zero under antisymmetric initialization, and needs an even width', async () => {
    const batch = new TwoLayerBatch({ ...spec(cells), antisymmetric: true });
    const { loss } = batch.gradients();
    // The loss at output zero is (1/2n) Σ y².
    const atZero = y.reduce((s, v) => s + v * v, 0) / (2 * x.length);
    for (const value of await loss.data()) expect(value).toBeCloseTo(atZero, 6);
    loss.dispose();
    batch.dispose();
    expect(() => new TwoLayerBatch({ ...spec(cells), width: 63, antisymmetric: true })).toThrow(/even width/);
  });

  it('keeps the tensor count flat', async () => {
    const before = tf.memory().numTensors;
    const batch = new TwoLayerBatch(spec(cells));
    batch.train(5);
    await batch.state();
    const running = tf.memory().numTensors;
    batch.train(20);
    await batch.state();
    expect(tf.memory().numTensors).toBe(running);
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a sweep as a run', () => {
  beforeAll(() => useBackend('wasm'));

  it('stops inside a chunk when interrupted, holds there, and goes on as without the stop; a reset there starts over', async () => {
    const config = parseFor(phaseDiagram, applyAssignments(experimentFile('phase-diagram.json'), ['backend="wasm"', 'sweep.gamma=[1.75]', 'sweep.gammaPrime=[0]', 'sweep.widths=[100,200]', 'train.chunk=50']));
    // A turn after every step, so that the interruption lands inside the first chunk.
    const interrupted = new SweepRun(config, undefined, undefined, 0);
    const straight = new SweepRun(config);
    try {
      let asked = 0;
      expect(await interrupted.advance(50, () => ++asked === 3)).toEqual({ status: 'interrupted', step: 0 });
      // Held there: the next advance completes the interrupted chunk, as if it had not stopped.
      const first = await straight.advance(50);
      expect(first).toMatchObject({ status: 'running', snapshot: { step: 50 } });
      expect(await interrupted.advance(50)).toEqual(first);
      expect(await interrupted.advance(50, () => true)).toEqual({ status: 'interrupted', step: 50 });
      interrupted.reset();
      expect(await interrupted.advance(50)).toEqual(first);
    } finally {
      interrupted.dispose();
      straight.dispose();
    }
  });
});

describe('sweep export', () => {
  it('writes one CSV row per cell with RD and steps per finished width, its regime marked provisional until every width is done', () => {
    const cells: Cell[] = [
      { gamma: 0.5, gammaPrime: 0, rd: [0.2, 0.1], steps: [30, 40], converged: [true, true], slope: -1, regime: 'linear' },
      { gamma: 2, gammaPrime: -1, rd: [5, 10], steps: [50, 60], converged: [true, true], slope: 1, regime: 'condensed' },
    ];
    const csv = sweepToCsv({ widths: [100, 200, 400], done: [100, 200], cells });
    expect(csv).toBe('gamma,gamma_prime,regime,standing,rd_slope,rd_m100,rd_m200,steps_m100,steps_m200\n0.5,0,linear,provisional,-1,0.2,0.1,30,40\n2,-1,condensed,provisional,1,5,10,50,60\n');
    expect(sweepToCsv({ widths: [100, 200], done: [100, 200], cells }).split('\n')[1]).toBe('0.5,0,linear,final,-1,0.2,0.1,30,40');
  });
});
