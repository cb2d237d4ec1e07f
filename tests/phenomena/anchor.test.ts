/**
 * The anchor experiment with real training, in what the suite can afford: the transformer and AdamW fit
 * sequences of the task exactly; the engine follows PyTorch's loss curve from the same initial weights and batches
 * (tests/bench/anchor_reference.py); a run through the engine learns (the test loss falls well below a uniform
 * guess), replays from reset, keeps its tensor count flat, and continues exactly when resumed with AdamW's state.
 * The γ comparison itself (reasoning against memorizing) takes thousands of steps: anchor-split.test.ts trains the
 * settings found where it decides (the page's key 5, the paper's direction, on 3 seeds; key 4, the other way); the PyTorch search
 * (tests/bench/anchor_search.jsonl) and `npm run experiment` on experiments/anchor.json give the rest, whose measured
 * results the README states. The identity task (arXiv 2401.08309, experiments/anchor-identity.json) is quick enough to show in full:
 * the network learns it, held-out keys included, through a shift in layer 1 and a broadcast in layer 2.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAssignments } from '../../src/core/config/overrides';
import { initTransformer, Transformer } from '../../src/core/models/transformer';
import { ADAMW_DEFAULTS, AdamW, warmupCosine } from '../../src/core/train/adamw';
import { anchor } from '../../src/phenomena/anchor';
import { anchorSpec, crossEntropy } from '../../src/phenomena/anchor/build';
import { ANCHOR, IDENTITY, INSIDE } from '../../src/phenomena/anchor/probes';
import { IDENTITY_EXAMPLE_ANCHOR, SEQUENCE_LENGTH, TOKEN_MAX, TOKEN_MIN, trainingBatch, VOCABULARY } from '../../src/phenomena/anchor/task';
import { parseFor } from '../../src/phenomena/engine';
import { advanceTo, experimentFile, startRun, useBackend } from '../support/engine';

describe('anchor functions', () => {
  beforeAll(() => useBackend('wasm'));

  it('the transformer with AdamW fits 32 sequences of the task exactly in 25 steps', () => {
    const spec = { vocabulary: VOCABULARY, positions: SEQUENCE_LENGTH, dModel: 16, dFeedForward: 32, heads: 1, dK: 16, layers: 2, norm: 'post' as const, init: { gamma: 0.5, scale: 1 } };
    const model = new Transformer(spec, initTransformer(spec, 1));
    const adamw = new AdamW(model.variables, { ...ADAMW_DEFAULTS, weightDecay: 0.01, clip: 1 });
    const batch = trainingBatch(1, 0, 32);
    const [x, y] = [tf.tensor2d(batch.tokens, [32, SEQUENCE_LENGTH], 'int32'), tf.tensor1d(batch.answers, 'int32')];
    const accuracy = () => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.forward(x).output, -1), y), 'float32')).dataSync()[0]);
    const before = accuracy();
    for (let step = 0; step < 25; step++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => crossEntropy(model.forward(x).output, y), model.variables);
        adamw.apply(
          model.variables.map((v) => grads[v.name]),
          1e-2,
        );
      });
    }
    const after = accuracy();
    console.info(`anchor: accuracy on 32 fixed sequences ${before.toFixed(3)} → ${after.toFixed(3)} in 25 AdamW steps`);
    expect(before).toBeLessThan(0.1);
    expect(after).toBe(1);
    adamw.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it.each([
    { file: 'anchor_torch_curve.json', setting: 'the quick setting (post-LN, d = 32)', within: 3e-6 },
    { file: 'anchor_torch_curve_wide.json', setting: 'key 5 (pre-LN, d = 128)', within: 1e-4 },
  ])("follows PyTorch's recorded loss curve from the same initial weights and batches: $setting (tests/bench/$file)", ({ file, within }) => {
    // Recorded by the command in the file: anchor_reference.py rebuilds the engine's seeded initial weights (d3's
    // LCG and normal draws) and its batches token for token, and trains them with torch.optim.AdamW, clip_grad_norm_
    // and the same schedule. The loss before each step at batch 32 (a cheaper check), over 100 steps, relative:
    // measured 2.9e-7 at most on the quick setting (batch 128: 6.1e-7 over 150, 7.9e-6 over 300); on key 5 9e-8 at
    // step 0 and 2.1e-5 at most, growing after step 60, where PyTorch's own float64 run departs from its float32 one
    // by 4.7e-5: float32 rounding (the products' order of sums, OpenBLAS' fused multiply-adds) amplified by training.
    const recorded = JSON.parse(readFileSync(new URL(`../bench/${file}`, import.meta.url), 'utf8')) as { config: unknown; loss: number[] };
    const config = parseFor(anchor, recorded.config);
    const spec = anchorSpec(config);
    const model = new Transformer(spec, initTransformer(spec, config.seed));
    const adamw = new AdamW(model.variables, { ...ADAMW_DEFAULTS, weightDecay: config.train.weightDecay, clip: config.train.clip });
    let worst = 0;
    for (const [step, expected] of recorded.loss.entries()) {
      const batch = trainingBatch(config.seed, step, config.train.batch);
      tf.tidy(() => {
        const [x, y] = [tf.tensor2d(batch.tokens, [batch.count, SEQUENCE_LENGTH], 'int32'), tf.tensor1d(batch.answers, 'int32')];
        const { value, grads } = tf.variableGrads(() => crossEntropy(model.forward(x).output, y), model.variables);
        worst = Math.max(worst, Math.abs(value.dataSync()[0] - expected) / expected);
        adamw.apply(
          model.variables.map((v) => grads[v.name]),
          warmupCosine(step, config.train),
        );
      });
    }
    console.info(`anchor against PyTorch, ${file}: largest relative loss difference ${worst.toExponential(2)} over ${recorded.loss.length} steps (${recorded.loss[0].toFixed(3)} → ${recorded.loss.at(-1)?.toFixed(3)})`);
    expect(worst).toBeLessThan(within);
    adamw.dispose();
    model.dispose();
  });

  it('the identity task: learned with held-out keys, the key marked by the anchor in layer 1 and carried to the last position in layer 2', async () => {
    // The preset (d = 16, 400 steps: ~15 s of CPU). Measured on seeds 1, 2, 3: seen keys 1.00, 1.00, 0.996, held-out
    // keys 1.00 on all three; on the example (anchor at 3, key at 4) layer 1's weight at the key on the anchor
    // 0.56, 0.34, 0.40 (the largest in its row every time; 0.20 at step 0, an even share of 5), the last layer's
    // weight at the last position on the key 1.00 (0.04 at step 0).
    const config = parseFor(anchor, experimentFile('anchor-identity.json'));
    const run = await startRun(config);
    const start = IDENTITY.of(await run.snapshot());
    const end = await advanceTo(run, config.train.steps);
    const [measures, inside] = [IDENTITY.of(end), INSIDE.of(end)];
    const T = SEQUENCE_LENGTH;
    const key = IDENTITY_EXAMPLE_ANCHOR + 1;
    const keyRow = inside?.attention[0].slice(key * T, (key + 1) * T) ?? [];
    console.info(
      `anchor identity: seen keys ${measures?.seen.toFixed(3)}, held-out keys ${measures?.unseenKeys.toFixed(3)}; layer 1 key → anchor ${start?.shift.toFixed(2)} → ${measures?.shift.toFixed(2)} (row ${keyRow.map((w) => w.toFixed(2)).join(' ')}), last → key ${start?.broadcast.toFixed(2)} → ${measures?.broadcast.toFixed(2)}`,
    );
    expect(start?.seen).toBeLessThan(0.05);
    expect(measures?.seen).toBeGreaterThanOrEqual(0.95);
    expect(measures?.unseenKeys).toBeGreaterThanOrEqual(0.95);
    // The broadcast: from a spread row to all on the key.
    expect(start?.broadcast).toBeLessThan(0.2);
    expect(measures?.broadcast).toBeGreaterThanOrEqual(0.9);
    // The shift: the key's row looks most at the anchor, at least 1.5 times an even share.
    expect(Math.max(...keyRow)).toBe(keyRow[IDENTITY_EXAMPLE_ANCHOR]);
    expect(measures?.shift).toBeGreaterThanOrEqual(1.5 / (key + 1));
    expect(ANCHOR.of(end)).toBeUndefined();
    expect(() => anchor.record.metrics.parse(end.metrics)).not.toThrow();
    run.dispose();
  });

  /** A run small enough for the suite. */
  const tiny = () =>
    parseFor(
      anchor,
      applyAssignments(experimentFile('anchor.json'), ['model.dModel=16', 'model.dFeedForward=32', 'model.dK=16', 'train.batch=32', 'train.warmup=5', 'train.lr=0.01', 'train.steps=30', 'analysis.perPair=8']),
    );

  it('a short run through the engine learns, replays from reset, and leaks no tensors', async () => {
    const run = await startRun(tiny());
    const start = await run.snapshot();
    await advanceTo(run, 5);
    const tensors = tf.memory().numTensors;
    const end = await advanceTo(run, 25);
    expect(tf.memory().numTensors).toBe(tensors);
    // ln 201: a uniform guess over the vocabulary, about where the initial network is (measured 5.31 → 4.66).
    console.info(`anchor: test loss ${start.loss.toFixed(3)} → ${end.loss.toFixed(3)} in 30 steps (ln ${VOCABULARY} = ${Math.log(VOCABULARY).toFixed(3)})`);
    expect(start.loss).toBeGreaterThan(Math.log(VOCABULARY) - 0.1);
    expect(end.loss).toBeLessThan(Math.log(VOCABULARY) - 0.3);
    // The views inside: causal attention rows of the example that sum to 1, the 16 query neurons' cosines, the
    // embedding spectrum (min(80 number tokens, d = 16) eigenvalues, largest first); the record's schema takes them.
    const inside = INSIDE.of(end);
    expect(inside?.example.length).toBe(SEQUENCE_LENGTH);
    expect(inside?.attention.length).toBe(2);
    for (const weights of inside?.attention ?? []) {
      for (let t = 0; t < SEQUENCE_LENGTH; t++) {
        const row = weights.slice(t * SEQUENCE_LENGTH, (t + 1) * SEQUENCE_LENGTH);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(row.slice(t + 1).every((w) => w === 0)).toBe(true);
      }
    }
    expect([...(inside?.queryOrder ?? [])].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    for (let i = 0; i < 16; i++) expect(inside?.queryCosine[i * 17]).toBeCloseTo(1, 5);
    expect(inside?.embeddingSpectrum.length).toBe(Math.min(TOKEN_MAX - TOKEN_MIN + 1, 16));
    expect(inside?.embeddingSpectrum.every((v, k, all) => v > 0 && (k === 0 || v <= all[k - 1]))).toBe(true);
    expect(() => anchor.record.metrics.parse(end.metrics)).not.toThrow();
    run.reset();
    const replayed = await advanceTo(run, 30);
    expect(ANCHOR.of(replayed)).toEqual(ANCHOR.of(end));
    expect(INSIDE.of(replayed)).toEqual(inside);
    run.dispose();
  });

  it("resumed from a step with the weights and AdamW's state, a run continues exactly; with fresh moments it does not", async () => {
    const config = tiny();
    const whole = await startRun(config);
    await advanceTo(whole, 15);
    const at15 = { step: 15, params: await whole.readParams(), optimizer: await whole.readOptimizer?.() };
    expect(at15.optimizer?.steps).toBe(15);
    const end = await advanceTo(whole, 15);
    const resumed = await startRun(config, { resumeFrom: at15 });
    const fresh = await startRun(config, { resumeFrom: { step: 15, params: at15.params } });
    const [resumedEnd, freshEnd] = [await advanceTo(resumed, 15), await advanceTo(fresh, 15)];
    console.info(`anchor resumed at step 15: loss at 30 ${end.loss.toFixed(5)} whole, ${resumedEnd.loss.toFixed(5)} with AdamW's state, ${freshEnd.loss.toFixed(5)} with fresh moments`);
    expect(resumedEnd.loss).toBe(end.loss);
    expect(ANCHOR.of(resumedEnd)).toEqual(ANCHOR.of(end));
    expect(freshEnd.loss).not.toBe(end.loss);
    [whole, resumed, fresh].forEach((run) => run.dispose());
  });
});
