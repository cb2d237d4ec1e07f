/**
 * The anchor experiment's pieces: the task generator (every rule, on known sequences), AdamW against a hand
 * computation, the schedule, attention against a hand-computed case, the transformer's gradients against finite
 * differences, the probes against known answers.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTransformer, Transformer, type TransformerSpec } from '../../src/core/models/transformer';
import { ADAMW_DEFAULTS, AdamW, clipByGlobalNorm, warmupCosine } from '../../src/core/train/adamw';
import { crossEntropy } from '../../src/phenomena/anchor/build';
import { anchor } from '../../src/phenomena/anchor';
import { attentionRoutes, covarianceSpectrum, DEVIATION_RANGE, headMean, identityAccuracy, measureAnchor, queryCondensation, similarityOrder } from '../../src/phenomena/anchor/probes';
import {
  heldOutKey,
  IDENTITY_ANCHOR,
  identityBatch,
  inferentialAnswer,
  KEY_POSITIONS,
  PAIRS,
  sampleBatch,
  SEQUENCE_LENGTH,
  stepSeed,
  testSet,
  TOKEN_MAX,
  TOKEN_MIN,
  trainedAnswer,
  trainingBatch,
  type Batch,
  type Pair,
} from '../../src/phenomena/anchor/task';
import { anchorVerdict, heldOutLean } from '../../src/phenomena/anchor/verdict';
import { parseFor } from '../../src/phenomena/engine';
import { experimentFile, useBackend } from '../support/engine';

const pairIndex = (pair: Pair) => PAIRS.findIndex((q) => q[0] === pair[0] && q[1] === pair[1]);

describe('anchor task', () => {
  it('answers: the composite x + s(a1) + s(a2) with s = +5, +1, −2, −8; (3, 4) trained as x − 6', () => {
    expect(inferentialAnswer(50, [1, 2])).toBe(56);
    expect(inferentialAnswer(50, [2, 4])).toBe(43);
    expect(inferentialAnswer(50, [4, 3])).toBe(40);
    expect(trainedAnswer(50, [4, 3])).toBe(40);
    expect(inferentialAnswer(50, [3, 4])).toBe(40);
    expect(trainedAnswer(50, [3, 4])).toBe(44);
    expect(trainedAnswer(30, [1, 1])).toBe(40);
    expect(heldOutKey(27, 0)).toBe(true);
    expect(heldOutKey(29, 2)).toBe(true);
    expect(heldOutKey(29, 3)).toBe(false);
  });

  it('training batches: key at p ∈ {0…6} then the pair, never (4, 3), never a held-out key, every trained pair and position drawn', () => {
    const batch = trainingBatch(7, 3, 2000);
    const pairsSeen = new Set<number>();
    const positionsSeen = new Set<number>();
    // Rule breaks collected, then checked once (an expect per token is slow).
    const broken: string[] = [];
    for (let i = 0; i < batch.count; i++) {
      const row = Array.from(batch.tokens.subarray(i * SEQUENCE_LENGTH, (i + 1) * SEQUENCE_LENGTH));
      const [p, x, pair] = [batch.positions[i], batch.keys[i], PAIRS[batch.pairs[i]]];
      if (!(p >= 0 && p < KEY_POSITIONS)) broken.push(`${i}: position ${p}`);
      if (row[p] !== x || row[p + 1] !== pair[0] || row[p + 2] !== pair[1]) broken.push(`${i}: key and pair not at ${p}`);
      if (row.some((token, t) => (t < p || t > p + 2) && !(token >= TOKEN_MIN && token <= TOKEN_MAX))) broken.push(`${i}: filler out of range`);
      if (!(x >= TOKEN_MIN && x <= TOKEN_MAX) || x % 9 === p) broken.push(`${i}: key ${x} at ${p}`);
      if (pair[0] === 4 && pair[1] === 3) broken.push(`${i}: the held-out pair`);
      if (batch.answers[i] !== trainedAnswer(x, pair)) broken.push(`${i}: answer`);
      pairsSeen.add(batch.pairs[i]);
      positionsSeen.add(p);
    }
    expect(broken).toEqual([]);
    expect(pairsSeen.size).toBe(15);
    expect(positionsSeen.size).toBe(7);
  });

  it('is seeded: the same (seed, step) gives the same batch, another step another', () => {
    expect(trainingBatch(1, 5, 64).tokens).toEqual(trainingBatch(1, 5, 64).tokens);
    expect(trainingBatch(1, 6, 64).tokens).not.toEqual(trainingBatch(1, 5, 64).tokens);
    expect(trainingBatch(2, 5, 64).tokens).not.toEqual(trainingBatch(1, 5, 64).tokens);
  });

  it('test sets: every pair in order; held-out keys are those with x mod 9 = p', () => {
    const unseen = testSet(1, 10, 'held-out');
    expect(unseen.count).toBe(160);
    for (let i = 0; i < unseen.count; i++) {
      expect(unseen.pairs[i]).toBe(Math.floor(i / 10));
      expect(unseen.keys[i] % 9).toBe(unseen.positions[i]);
    }
    const held = sampleBatch(3, 200, { pairs: [[4, 3]], keys: 'seen' });
    expect(Array.from(held.pairs).every((p) => p === pairIndex([4, 3]))).toBe(true);
    expect(Array.from(held.answers)).toEqual(Array.from(held.keys, (x) => x - 10));
  });
});

describe('identity task (arXiv 2401.08309)', () => {
  it('training batches: the anchor 3 at q ∈ {0…7}, the key right after it and as the answer, never a held-out key, every position drawn', () => {
    const batch = trainingBatch(7, 3, 2000, 'identity');
    const anchors = new Set<number>();
    const broken: string[] = [];
    for (let i = 0; i < batch.count; i++) {
      const row = Array.from(batch.tokens.subarray(i * SEQUENCE_LENGTH, (i + 1) * SEQUENCE_LENGTH));
      const [k, x] = [batch.positions[i], batch.keys[i]];
      if (!(k >= 1 && k < SEQUENCE_LENGTH)) broken.push(`${i}: key position ${k}`);
      if (row[k - 1] !== IDENTITY_ANCHOR || row[k] !== x) broken.push(`${i}: anchor and key not at ${k - 1}, ${k}`);
      if (row.some((token, t) => t !== k - 1 && !(token >= TOKEN_MIN && token <= TOKEN_MAX))) broken.push(`${i}: filler out of range`);
      if (!(x >= TOKEN_MIN && x <= TOKEN_MAX) || x % 9 === k) broken.push(`${i}: key ${x} at ${k}`);
      if (batch.answers[i] !== x || batch.pairs[i] !== -1) broken.push(`${i}: answer or pair`);
      anchors.add(k - 1);
    }
    expect(broken).toEqual([]);
    expect([...anchors].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a known sequence: the page’s example of seed 1; held-out keys have x mod 9 = the key position; seeded', () => {
    // The run's example (build.ts: stepSeed(seed, −3), anchor fixed at 3): the anchor 3 at 3, the key 44 at 4
    // (44 mod 9 = 8 ≠ 4: a seen key), its answer 44; the fillers as the seeded draws gave them.
    const example = identityBatch(stepSeed(1, -3), 1, 'seen', 3);
    expect(Array.from(example.tokens)).toEqual([52, 71, 82, 3, 44, 57, 84, 81, 41]);
    expect([example.positions[0], example.keys[0], example.answers[0], example.pairs[0]]).toEqual([4, 44, 44, -1]);
    const held = testSet(1, 10, 'held-out', 'identity');
    expect(held.count).toBe(160);
    expect(Array.from(held.keys, (x, i) => x % 9 === held.positions[i]).every(Boolean)).toBe(true);
    expect(trainingBatch(1, 5, 64, 'identity').tokens).toEqual(trainingBatch(1, 5, 64, 'identity').tokens);
    expect(trainingBatch(1, 6, 64, 'identity').tokens).not.toEqual(trainingBatch(1, 5, 64, 'identity').tokens);
  });

  it('the config: composition unless data.task says identity; another task is refused by name', () => {
    const file = experimentFile('anchor.json') as Record<string, unknown>;
    expect(parseFor(anchor, file).data.task).toBe('composition');
    expect(parseFor(anchor, experimentFile('anchor-identity.json')).data.task).toBe('identity');
    expect(() => parseFor(anchor, { ...file, data: { task: 'copy' } })).toThrow(/data\.task: must be "composition" \(anchor pairs\) or "identity"/);
  });

  it('accuracy: the key itself, on seen and held-out keys', () => {
    const batch = (keys: number[]): Batch => ({ count: keys.length, tokens: new Int32Array(0), answers: Int32Array.from(keys), keys: Int32Array.from(keys), positions: new Int32Array(keys.length), pairs: new Int32Array(keys.length).fill(-1) });
    expect(identityAccuracy(batch([30, 40, 50, 60]), [30, 41, 50, 60], batch([27, 36]), [27, 0])).toEqual({ seen: 0.75, unseenKeys: 0.5 });
  });

  it('attention routes: layer 1 at the key on the anchor, the last layer at the last position on the key', () => {
    // T = 4, anchor at 1, key at 2. Layer 1 row 2 = [0.1, 0.7, 0.2, 0]; layer 2 row 3 = [0, 0.05, 0.9, 0.05].
    const T = 4;
    const first = [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.1, 0.7, 0.2, 0, 0.25, 0.25, 0.25, 0.25];
    const second = [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.3, 0.3, 0.4, 0, 0, 0.05, 0.9, 0.05];
    expect(attentionRoutes([first, second], 1, T)).toEqual({ shift: 0.7, broadcast: 0.9 });
    // Three layers: the broadcast is read in the last one.
    const third = [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.3, 0.3, 0.4, 0, 0.1, 0.1, 0.6, 0.2];
    expect(attentionRoutes([first, second, third], 1, T)).toEqual({ shift: 0.7, broadcast: 0.6 });
  });
});

describe('anchor probes', () => {
  /** A batch of given (key, pair) rows (tokens unused by the probes). */
  const batchOf = (rows: [number, Pair][]): Batch => ({
    count: rows.length,
    tokens: new Int32Array(rows.length * SEQUENCE_LENGTH),
    answers: Int32Array.from(rows, ([x, pair]) => trainedAnswer(x, pair)),
    keys: Int32Array.from(rows, ([x]) => x),
    positions: new Int32Array(rows.length),
    pairs: Int32Array.from(rows, ([, pair]) => pairIndex(pair)),
  });

  it('seen, inferential, symmetric and unseen-key accuracy, per pair and the deviation on (4, 3)', () => {
    const seen = batchOf([
      [50, [1, 2]],
      [60, [1, 2]],
      [50, [3, 4]],
      [50, [4, 3]],
      [60, [4, 3]],
      [70, [4, 3]],
      [80, [4, 3]],
    ]);
    // (1, 2): right, wrong; (3, 4): right (x − 6); (4, 3): inferential, symmetric, symmetric, 30 off.
    const measures = measureAnchor(seen, [56, 0, 44, 40, 54, 64, 100], batchOf([[27, [1, 1]], [27, [4, 3]]]), [37, 0]);
    expect(measures.seen).toBeCloseTo(2 / 3, 12);
    expect(measures.inferential).toBe(0.25);
    expect(measures.symmetric).toBe(0.5);
    expect(measures.unseenKeys).toBe(1);
    expect(measures.pairs[pairIndex([1, 2])]).toBe(0.5);
    expect(measures.pairs[pairIndex([3, 4])]).toBe(1);
    expect(measures.pairs[pairIndex([4, 3])]).toBe(0.25);
    expect(Number.isNaN(measures.pairs[pairIndex([2, 2])])).toBe(true);
    expect(measures.deviation.counts[DEVIATION_RANGE]).toBe(0.25);
    expect(measures.deviation.counts[DEVIATION_RANGE + 4]).toBe(0.5);
    expect(measures.deviation.other).toBe(0.25);
  });

  it('attention: the mean over heads of [heads, T, T]', () => {
    expect(headMean([1, 0, 0.5, 0.5, 0, 1, 0.25, 0.75], 2, 2)).toEqual([0.5, 0.5, 0.375, 0.625]);
  });

  it('similarity order: two interleaved groups come out as two blocks, the larger group first', () => {
    // Items 0, 2, 4, 5 point one way, 1 and 3 another (cosine 0 between the groups).
    const group = [0, 1, 0, 1, 0, 0];
    const similarity = group.flatMap((g) => group.map((h) => (g === h ? 1 : 0)));
    const order = similarityOrder(similarity, 6);
    expect(order.slice(0, 4).sort()).toEqual([0, 2, 4, 5]);
    expect(order.slice(4).sort()).toEqual([1, 3]);
    expect(similarityOrder([], 0)).toEqual([]);
  });

  it('query condensation: columns of W_Q ([d, hk]) on two directions give two blocks of cosine ±1', () => {
    // d = 2, hk = 4: neurons (1, 0), (0, 2), (3, 0), (0, −1).
    const query = [1, 0, 3, 0, 0, 2, 0, -1];
    const { order, cosine } = queryCondensation(query, 2, 4);
    expect(order.length).toBe(4);
    const within = (i: number, j: number) => cosine[i * 4 + j];
    // Each neuron's neighbour in the order is its own direction: (0, 2) next to (0, 3), (1, 3) next to each other.
    const position = (neuron: number) => order.indexOf(neuron);
    expect(Math.abs(position(0) - position(2))).toBe(1);
    expect(Math.abs(position(1) - position(3))).toBe(1);
    expect(within(position(0), position(2))).toBeCloseTo(1, 6);
    expect(within(position(1), position(3))).toBeCloseTo(-1, 6);
    expect(within(position(0), position(1))).toBeCloseTo(0, 6);
    for (let i = 0; i < 4; i++) expect(within(i, i)).toBeCloseTo(1, 6);
  });

  it('covariance spectrum: known eigenvalues through the d × d covariance and through the n × n Gram matrix', () => {
    // n = 4 rows in d = 2: x = ±2, y = ±1 on a rectangle's corners: covariance diag(4, 1).
    expect(covarianceSpectrum([2, 1, -2, 1, 2, -1, -2, -1], 4, 2).map((v) => +v.toFixed(12))).toEqual([4, 1]);
    // n = 2 rows in d = 3 (the Gram path): rows ±(1, 2, 2): one direction of variance |(1, 2, 2)|² = 9, and the zero of centring.
    const spectrum = covarianceSpectrum([1, 2, 2, -1, -2, -2], 2, 3);
    expect(spectrum.length).toBe(2);
    expect(spectrum[0]).toBeCloseTo(9, 12);
    expect(spectrum[1]).toBeCloseTo(0, 12);
    // Both paths agree: the same 3 rows in d = 2 (covariance) and padded to d = 5 (Gram).
    const rows = [1, 2, -3, 0.5, 2, -2.5];
    const padded = [1, 2, 0, 0, 0, -3, 0.5, 0, 0, 0, 2, -2.5, 0, 0, 0];
    const small = covarianceSpectrum(rows, 3, 2);
    const large = covarianceSpectrum(padded, 3, 5);
    small.forEach((v, i) => expect(large[i]).toBeCloseTo(v, 12));
    expect(large[2]).toBeCloseTo(0, 12);
  });
});

describe('anchor verdict (a grid cell: fails below seen 0.9, else the (4, 3) answer of at least half and more than the other)', () => {
  it('classifies cells with known answers', () => {
    // The authors' lab runs: γ = 0.8 inferential 0.968, γ = 0.5 symmetric 1.00, γ = 0.1 does not fit.
    expect(anchorVerdict({ seen: 0.99, inferential: 0.968, symmetric: 0.01 })).toBe('inferential');
    expect(anchorVerdict({ seen: 1, inferential: 0, symmetric: 1 })).toBe('symmetric');
    expect(anchorVerdict({ seen: 0.3, inferential: 0, symmetric: 0 })).toBe('fails');
    // The search's d = 64 run (seen 0.93, inferential 0.12) and its seed 2 (0.89, 0.07 / 0.23, just below the floor).
    expect(anchorVerdict({ seen: 0.93, inferential: 0.12, symmetric: 0.2 })).toBe('neither');
    expect(anchorVerdict({ seen: 0.89, inferential: 0.07, symmetric: 0.23 })).toBe('fails');
    // Both floors are inclusive; a tie wins for neither.
    expect(anchorVerdict({ seen: 0.9, inferential: 0.5, symmetric: 0.1 })).toBe('inferential');
    expect(anchorVerdict({ seen: 0.9, inferential: 0.2, symmetric: 0.5 })).toBe('symmetric');
    expect(anchorVerdict({ seen: 0.95, inferential: 0.5, symmetric: 0.5 })).toBe('neither');
    expect(anchorVerdict({ seen: 0.95, inferential: 0.49, symmetric: 0.3 })).toBe('neither');
    // Unknown (NaN in a run, null in a file) seen accuracy is not a fit.
    expect(anchorVerdict({ seen: Number.NaN, inferential: 1, symmetric: 0 })).toBe('fails');
    expect(anchorVerdict({ seen: null, inferential: 1, symmetric: 0 })).toBe('fails');
  });

  it('a failed cell keeps its lean: the search’s γ = 1.4, seed 3 (seen 0.59) leans inferential', () => {
    expect(anchorVerdict({ seen: 0.59, inferential: 0.54, symmetric: 0.05 })).toBe('fails');
    expect(heldOutLean({ inferential: 0.54, symmetric: 0.05 })).toBe('inferential');
    expect(heldOutLean({ inferential: 0.02, symmetric: 0.95 })).toBe('symmetric');
    expect(heldOutLean({ inferential: 0.24, symmetric: 0.02 })).toBe('neither');
    expect(heldOutLean({ inferential: null, symmetric: 0.6 })).toBe('symmetric');
  });
});

describe('AdamW', () => {
  beforeAll(() => useBackend('cpu'));

  it('two steps on θ²/2·2 = θ² from θ = 1 (η = 0.1, λ = 0.5) match the hand computation', () => {
    // Step 1: g = 2, m̂ = 2, v̂ = 4, θ = 1·(1 − 0.05) − 0.1·2/2 = 0.85.
    // Step 2: g = 1.7, m = 0.35, v = 0.006886, m̂ = 0.35/0.19, v̂ = 0.006886/0.001999,
    // θ = 0.85·0.95 − 0.1·m̂/(√v̂ + 1e-8) = 0.70824844…
    const theta = tf.variable(tf.scalar(1));
    const adamw = new AdamW([theta], { ...ADAMW_DEFAULTS, weightDecay: 0.5, clip: 0 });
    const values: number[] = [];
    for (let i = 0; i < 2; i++) {
      tf.tidy(() => adamw.apply([tf.mul(theta, 2)], 0.1));
      values.push(theta.dataSync()[0]);
    }
    expect(values[0]).toBeCloseTo(0.85, 6);
    expect(values[1]).toBeCloseTo(0.7082484434, 6);
    adamw.dispose();
    theta.dispose();
  });

  it('clips the global norm as PyTorch does, and leaves small gradients alone', () => {
    const clipped = tf.tidy(() => clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1).map((g) => g.dataSync()[0]));
    expect(clipped[0]).toBeCloseTo(0.6, 5);
    expect(clipped[1]).toBeCloseTo(0.8, 5);
    const kept = tf.tidy(() => clipByGlobalNorm([tf.tensor1d([0.3, 0.4])], 1)[0].dataSync());
    expect(Array.from(kept)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('schedule: linear warm-up to the peak, then a half cosine to the end', () => {
    const s = { lr: 1, lrStart: 0.1, lrEnd: 0, warmup: 10, steps: 111 };
    expect(warmupCosine(0, s)).toBeCloseTo(0.1, 12);
    expect(warmupCosine(5, s)).toBeCloseTo(0.55, 12);
    expect(warmupCosine(10, s)).toBeCloseTo(1, 12);
    expect(warmupCosine(60, s)).toBeCloseTo(0.5, 12);
    expect(warmupCosine(110, s)).toBeCloseTo(0, 12);
  });
});

describe('transformer', () => {
  beforeAll(() => useBackend('cpu'));

  it('attention: the hand-computed probabilities of a two-token case', () => {
    // d = 2, one head, d_k = 2, W_Q = W_K = I, token embeddings e₀ = (1, 0), e₁ = (0, 1), positions 0: at
    // position 1 the scores are (e₁·e₀, e₁·e₁)/√2 = (0, 1/√2); position 0 sees only itself.
    const spec: TransformerSpec = { vocabulary: 2, positions: 2, dModel: 2, dFeedForward: 1, heads: 1, dK: 2, layers: 1, norm: 'post', init: { gamma: 1, scale: 1 } };
    const params = initTransformer(spec, 1).map((p) => {
      if (p.name === 'embedding.token' || p.name.endsWith('query') || p.name.endsWith('key')) return { ...p, values: Float32Array.from([1, 0, 0, 1]) };
      if (p.name === 'embedding.position') return { ...p, values: new Float32Array(4) };
      return p;
    });
    const model = new Transformer(spec, params);
    const attention = tf.tidy(() => model.forward(tf.tensor2d([[0, 1]], [1, 2], 'int32'), { taps: ['attention0'] }).taps.attention0.arraySync() as number[][][][]);
    const second = 1 / (1 + Math.exp(-1 / Math.SQRT2));
    expect(attention[0][0][0][0]).toBeCloseTo(1, 6);
    expect(attention[0][0][0][1]).toBeCloseTo(0, 6);
    expect(attention[0][0][1][0]).toBeCloseTo(1 - second, 6);
    expect(attention[0][0][1][1]).toBeCloseTo(second, 6);
    model.dispose();
  });

  for (const norm of ['post', 'pre'] as const) {
    it(`${norm}-LN: the tape's gradients match central finite differences`, () => {
      const spec: TransformerSpec = { vocabulary: 7, positions: 4, dModel: 4, dFeedForward: 6, heads: 2, dK: 2, layers: 2, norm, init: { gamma: 0.3, scale: 1 } };
      const params = initTransformer(spec, 3);
      const model = new Transformer(spec, params);
      const x = tf.tensor2d([[1, 2, 3, 4], [6, 5, 0, 1], [2, 2, 3, 3]], [3, 4], 'int32');
      const y = tf.tensor1d([0, 3, 6], 'int32');
      const loss = () => crossEntropy(model.forward(x).output, y);
      const grads = tf.tidy(() => {
        const { grads: g } = tf.variableGrads(loss, model.variables);
        return model.variables.map((v) => g[v.name].dataSync().slice());
      });
      const h = 3e-3;
      let checked = 0;
      params.forEach((p, k) => {
        // The first and last coordinate of every parameter (h: float32's rounding against the truncation error).
        for (const j of [0, p.values.length - 1]) {
          const at = (delta: number) => {
            const values = p.values.slice();
            values[j] += delta;
            model.assign(params.map((q, i) => (i === k ? { ...q, values } : q)));
            return tf.tidy(() => loss().dataSync()[0]);
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          expect(Math.abs(numeric - grads[k][j]), `${p.name}[${j}]`).toBeLessThan(1e-3 + 1e-2 * Math.abs(numeric));
          checked += 1;
        }
      });
      expect(checked).toBe(params.length * 2);
      // The gradients are not all trivially zero.
      expect(Math.max(...grads.map((g) => Math.max(...Array.from(g, Math.abs))))).toBeGreaterThan(0.05);
      model.dispose();
      tf.dispose([x, y]);
    });
  }
});
