import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalConfig, measures, startRun, useBackend } from '../support/engine';

const small = ['model.widths=[16,16]', 'train.steps=200', 'train.snapshotEvery=20'];

describe('training session', () => {
  beforeAll(() => useBackend('wasm'));

  it('keeps the tensor count flat over training, snapshots and reset', async () => {
    const before = tf.memory().numTensors;
    const session = await startRun(canonicalConfig(...small));
    await session.advance(5);
    const running = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await session.advance(20);
    expect(tf.memory().numTensors).toBe(running);
    session.reset();
    await session.advance(20);
    expect(tf.memory().numTensors).toBe(running);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  // A long run leaks nothing: the tensor count after many snapshots is the count after the first, on both training
  // paths (the CPU step keeps its weights in WebAssembly memory; the tape makes and frees tensors every step).
  // The memory over 10⁵ steps is in `npm run bench`.
  for (const [path, steps] of [['cpu-step', 40_000], ['tape', 400]] as const) {
    it(`keeps the tensor count flat over ${steps} steps on the ${path} path`, async () => {
      const every = steps / 20;
      const session = await startRun(canonicalConfig('model.widths=[8,8]', `train.steps=${steps}`, `train.snapshotEvery=${every}`), { tape: path === 'tape' });
      expect(session.trainingPath).toBe(path);
      await session.advance(every);
      const running = tf.memory().numTensors;
      const counts: number[] = [];
      while (!session.finished) {
        await session.advance(every);
        counts.push(tf.memory().numTensors);
      }
      expect(session.step).toBe(steps);
      expect(counts).toEqual(counts.map(() => running));
      session.dispose();
    });
  }

  it('gives the same run for the same seed and the same start after reset', async () => {
    const a = await startRun(canonicalConfig(...small));
    const b = await startRun(canonicalConfig(...small));
    const first = await a.snapshot();
    const ra = await a.advance(30);
    const rb = await b.advance(30);
    expect(ra).toEqual(rb);
    a.reset();
    expect(a.step).toBe(0);
    expect(await a.snapshot()).toEqual(first);
    expect(await a.advance(30)).toEqual(ra);
    a.dispose();
    b.dispose();
  });

  it('stops at train.steps and reports done', async () => {
    const session = await startRun(canonicalConfig(...small, 'train.steps=50'));
    expect((await session.advance(40)).status).toBe('running');
    const last = await session.advance(40);
    expect(last.status).toBe('done');
    expect(session.step).toBe(50);
    session.dispose();
  });

  it('stops a diverging run with a message and refuses to go on until reset', async () => {
    const session = await startRun(canonicalConfig(...small, 'train.optimizer="sgd"', 'train.lr=10', 'model.init.scale=10'));
    let result = await session.advance(20);
    for (let i = 0; i < 5 && result.status !== 'diverged'; i++) result = await session.advance(20);
    expect(result.status).toBe('diverged');
    if (result.status !== 'diverged') return;
    expect(result.message).toMatch(/loss became (NaN|Infinity|-Infinity) between step \d+ and step \d+/);
    expect((await session.advance(20)).status).toBe('diverged');
    session.reset();
    expect(Number.isFinite((await session.snapshot()).loss)).toBe(true);
    session.dispose();
  });

  it('reports Δ_F at the target peaks k = 1, 3, 5', async () => {
    const session = await startRun(canonicalConfig(...small));
    expect(session.info.peaks).toEqual([1, 3, 5]);
    const { frequency } = measures(await session.snapshot());
    expect(frequency.k).toEqual([1, 3, 5]);
    expect(frequency.relError).toHaveLength(3);
    session.dispose();
  });
});
