/**
 * What a snapshot measures, as pure functions of the network's predictions on fixed test sequences: accuracy on
 * the seen pairs, the held-out pair (4, 3) answered inferentially (x − 10) or symmetrically (x − 6, the trained
 * answer of (3, 4)), accuracy on held-out keys, per-pair accuracy, and where (4, 3)'s answers fall around x − 10.
 * And of its weights (the views inside): attention on an example, condensation of the first layer's query
 * neurons, the spectrum of the number tokens' embedding.
 */
import { cosineSimilarityMatrix, neuronVectors } from '../../core/analysis/condensation';
import { symmetricEigenvalues } from '../../core/analysis/symmetricEigen';
import { metricKey } from '../../core/probes/probe';
import { HELD_OUT_PAIR, inferentialAnswer, ODD_PAIR, PAIRS, samePair, trainedAnswer, type Batch } from './task';

/** The histogram of prediction − inferential answer on (4, 3) covers these offsets; the rest are counted as `other`. */
export const DEVIATION_RANGE = 12;

export interface AnchorMeasures {
  /** Trained pairs, seen keys: the data's answer. */
  seen: number;
  /** (4, 3), seen keys: x + s(4) + s(3) = x − 10. */
  inferential: number;
  /** (4, 3), seen keys: x − 6, the answer of the symmetric pair (3, 4). */
  symmetric: number;
  /** Trained pairs, keys with x mod 9 = p: the data's answer. */
  unseenKeys: number;
  /** Per pair (row-major (a1, a2), as PAIRS), seen keys: the data's answer, and the inferential one for (4, 3). */
  pairs: number[];
  /** Fractions of (4, 3)'s answers at prediction − (x − 10) = −DEVIATION_RANGE … DEVIATION_RANGE, and beyond. */
  deviation: { counts: number[]; other: number };
}

export const ANCHOR = metricKey<AnchorMeasures>('anchor');

export const HELD_OUT_INDEX = PAIRS.findIndex((pair) => samePair(pair, HELD_OUT_PAIR));

/** What a pair's test counts as right: the trained answer, the composite for the held-out pair. */
function expected(batch: Batch, i: number): number {
  const pair = PAIRS[batch.pairs[i]];
  return batch.pairs[i] === HELD_OUT_INDEX ? inferentialAnswer(batch.keys[i], pair) : trainedAnswer(batch.keys[i], pair);
}

/** `seen`: sequences of every pair with seen keys; `unseen`: with held-out keys; the predictions in the same order. */
export function measureAnchor(seen: Batch, seenPredictions: ArrayLike<number>, unseen: Batch, unseenPredictions: ArrayLike<number>): AnchorMeasures {
  const right = new Array<number>(PAIRS.length).fill(0);
  const total = new Array<number>(PAIRS.length).fill(0);
  const counts = new Array<number>(2 * DEVIATION_RANGE + 1).fill(0);
  let [symmetric, other] = [0, 0];
  for (let i = 0; i < seen.count; i++) {
    const pair = seen.pairs[i];
    total[pair] += 1;
    if (seenPredictions[i] === expected(seen, i)) right[pair] += 1;
    if (pair !== HELD_OUT_INDEX) continue;
    if (seenPredictions[i] === trainedAnswer(seen.keys[i], ODD_PAIR)) symmetric += 1;
    const offset = seenPredictions[i] - inferentialAnswer(seen.keys[i], HELD_OUT_PAIR);
    if (Math.abs(offset) <= DEVIATION_RANGE) counts[offset + DEVIATION_RANGE] += 1;
    else other += 1;
  }
  const heldOut = total[HELD_OUT_INDEX];
  const trained = PAIRS.map((_, p) => p).filter((p) => p !== HELD_OUT_INDEX);
  let [unseenRight, unseenTotal] = [0, 0];
  for (let i = 0; i < unseen.count; i++) {
    if (unseen.pairs[i] === HELD_OUT_INDEX) continue;
    unseenTotal += 1;
    if (unseenPredictions[i] === expected(unseen, i)) unseenRight += 1;
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  return {
    seen: ratio(
      trained.reduce((s, p) => s + right[p], 0),
      trained.reduce((s, p) => s + total[p], 0),
    ),
    inferential: ratio(right[HELD_OUT_INDEX], heldOut),
    symmetric: ratio(symmetric, heldOut),
    unseenKeys: ratio(unseenRight, unseenTotal),
    pairs: right.map((r, p) => ratio(r, total[p])),
    deviation: { counts: counts.map((c) => ratio(c, heldOut)), other: ratio(other, heldOut) },
  };
}

/** The identity task's measures: accuracy (the answer is the key) and where the example's attention goes. */
export interface IdentityMeasures {
  /** Seen keys: the key predicted. */
  seen: number;
  /** Keys with x mod 9 = the key's position, never trained. */
  unseenKeys: number;
  /** attentionRoutes' shift and broadcast on the example. */
  shift: number;
  broadcast: number;
}

export const IDENTITY = metricKey<IdentityMeasures>('identity');

/** Accuracy of predicting the key itself, on seen and on held-out keys. */
export function identityAccuracy(seen: Batch, seenPredictions: ArrayLike<number>, unseen: Batch, unseenPredictions: ArrayLike<number>): { seen: number; unseenKeys: number } {
  const accuracy = (batch: Batch, predictions: ArrayLike<number>) => {
    let right = 0;
    for (let i = 0; i < batch.count; i++) if (predictions[i] === batch.keys[i]) right += 1;
    return batch.count > 0 ? right / batch.count : Number.NaN;
  };
  return { seen: accuracy(seen, seenPredictions), unseenKeys: accuracy(unseen, unseenPredictions) };
}

/**
 * Where the attention goes in the identity task, from the attention maps of one sequence (per layer T × T,
 * row t: where position t looks) with the anchor at `anchor` and the key at anchor + 1. shift: the first layer's
 * weight at the key's position on the anchor, its previous token (the anchor's mark moves one step on, onto the
 * key). broadcast: the last layer's weight at the last position, where the answer is read, on the key.
 */
export function attentionRoutes(attention: readonly ArrayLike<number>[], anchor: number, T: number): { shift: number; broadcast: number } {
  const key = anchor + 1;
  return { shift: attention[0][key * T + anchor], broadcast: attention[attention.length - 1][(T - 1) * T + key] };
}

export interface AnchorInside {
  /** The example sequence (a (4, 3) test sequence with a seen key; in the identity task the anchor 3 at position 3). */
  example: number[];
  /** Per layer: the example's causal attention weights, T × T row-major (row t: where position t looks), mean over heads. */
  attention: number[][];
  /** The first layer's query neurons (columns of W_Q): their cosine similarities, row-major, rows and columns in `queryOrder`. */
  queryCosine: number[];
  queryOrder: number[];
  /** Eigenvalues of the covariance of the number tokens' (20…99) embeddings, largest first. */
  embeddingSpectrum: number[];
}

export const INSIDE = metricKey<AnchorInside>('inside');

/** [heads, T, T] attention probabilities of one sequence to the heads' mean, T × T. */
export function headMean(probabilities: ArrayLike<number>, heads: number, T: number): number[] {
  return Array.from({ length: T * T }, (_, k) => {
    let sum = 0;
    for (let h = 0; h < heads; h++) sum += probabilities[h * T * T + k];
    return sum / heads;
  });
}

/**
 * An order of m items by their similarity matrix (m × m) in which similar items sit together: a greedy chain from
 * the item most similar to all others (the centre of the largest group), each next the unvisited item most similar
 * to the last one. Condensed neurons then show as blocks.
 */
export function similarityOrder(similarity: ArrayLike<number>, m: number): number[] {
  if (m === 0) return [];
  const sums = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => similarity[i * m + j]).reduce((a, b) => a + b, 0));
  let last = 0;
  for (let i = 1; i < m; i++) if (sums[i] > sums[last]) last = i;
  const order = [last];
  const visited = new Uint8Array(m);
  visited[last] = 1;
  while (order.length < m) {
    let next = -1;
    for (let j = 0; j < m; j++) if (!visited[j] && (next < 0 || similarity[last * m + j] > similarity[last * m + next])) next = j;
    visited[next] = 1;
    order.push(next);
    last = next;
  }
  return order;
}

/** W_Q stored [d, hk] (x · W_Q): the hk query neurons' cosine similarities in similarityOrder. */
export function queryCondensation(query: ArrayLike<number>, d: number, hk: number): { order: number[]; cosine: number[] } {
  // The bias slot neuronVectors appends is 0 here and leaves the cosines as they are.
  const neurons = neuronVectors({ inputDim: d, weights: query, bias: new Float32Array(hk) });
  const similarity = cosineSimilarityMatrix(neurons);
  const order = similarityOrder(similarity, hk);
  return { order, cosine: order.flatMap((i) => order.map((j) => similarity[i * hk + j])) };
}

/**
 * Eigenvalues (largest first) of the covariance (1/n, mean removed) of n row vectors of dimension d, row-major.
 * Through the smaller of the d × d covariance and the n × n Gram matrix of the centred rows: both have the same
 * non-zero eigenvalues, so min(n, d) values come back.
 */
export function covarianceSpectrum(rows: ArrayLike<number>, n: number, d: number): number[] {
  const mean = Array.from({ length: d }, (_, k) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rows[i * d + k];
    return sum / n;
  });
  const centred = Float64Array.from({ length: n * d }, (_, i) => rows[i] - mean[i % d]);
  const [size, entry] =
    d <= n
      ? [d, (a: number, b: number) => Array.from({ length: n }, (_, i) => centred[i * d + a] * centred[i * d + b])]
      : [n, (a: number, b: number) => Array.from({ length: d }, (_, k) => centred[a * d + k] * centred[b * d + k])];
  const matrix = Float64Array.from({ length: size * size }, (_, i) => entry(Math.floor(i / size), i % size).reduce((s, v) => s + v, 0) / n);
  return symmetricEigenvalues(matrix, size).reverse();
}
