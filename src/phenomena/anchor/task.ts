/**
 * The anchor-function composition task (the authors' lab code for arXiv 2405.05409): a sequence of 9 tokens,
 * uniform in 20…99, holds a key x at position p ∈ {0…6} followed by an anchor pair (a1, a2); the answer, the
 * 10th token, is x + s(a1) + s(a2) with shifts s = +5, +1, −2, −8 for anchors 1, 2, 3, 4. The pair (3, 4) is
 * trained with x − 6 (not its composite x − 10), the pair (4, 3) is never trained, and keys with x mod 9 = p are
 * kept out of training. And the identity task of arXiv 2401.08309 (identityBatch). Pure and seeded: a batch is a
 * function of (seed, step), so a run replays exactly.
 */
import { randomLcg } from 'd3-random';

export const ANCHORS = [1, 2, 3, 4] as const;
export type Anchor = (typeof ANCHORS)[number];
/** s(a): the shift each anchor applies to the key. */
export const SHIFTS: Readonly<Record<Anchor, number>> = { 1: 5, 2: 1, 3: -2, 4: -8 };
/** Input tokens per sequence; the answer is predicted at the last one. */
export const SEQUENCE_LENGTH = 9;
export const TOKEN_MIN = 20;
export const TOKEN_MAX = 99;
/** The key's positions: it and its two anchors fit in the 9 tokens. */
export const KEY_POSITIONS = SEQUENCE_LENGTH - 2;
export const VOCABULARY = 201;

export type Pair = readonly [Anchor, Anchor];
/** Trained with the non-inferential answer x − 6. */
export const ODD_PAIR: Pair = [3, 4];
/** Never trained: the test of reasoning (x − 10) against memorizing the symmetric pair (x − 6). */
export const HELD_OUT_PAIR: Pair = [4, 3];
/** All 16 pairs, row-major by (a1, a2). */
export const PAIRS: readonly Pair[] = ANCHORS.flatMap((a1) => ANCHORS.map((a2) => [a1, a2] as const));
export const TRAINED_PAIRS: readonly Pair[] = PAIRS.filter((pair) => !samePair(pair, HELD_OUT_PAIR));

export function samePair(a: Pair, b: Pair): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** The composite x + s(a1) + s(a2): what reasoning gives. */
export function inferentialAnswer(key: number, [a1, a2]: Pair): number {
  return key + SHIFTS[a1] + SHIFTS[a2];
}

/** What the data say: the composite, except for the pair (3, 4), trained as x − 6. */
export function trainedAnswer(key: number, pair: Pair): number {
  return samePair(pair, ODD_PAIR) ? key - 6 : inferentialAnswer(key, pair);
}

/** A key held out of training at this position (x mod 9 = p). */
export function heldOutKey(key: number, position: number): boolean {
  return key % SEQUENCE_LENGTH === position;
}

/** Sequences in a flat array (count × 9 tokens) with what each one is. */
export interface Batch {
  count: number;
  tokens: Int32Array;
  /** The data's answer (trainedAnswer), what the loss trains towards. */
  answers: Int32Array;
  keys: Int32Array;
  /** The key's position. */
  positions: Int32Array;
  /** Index into PAIRS; −1 in the identity task, which has no pair. */
  pairs: Int32Array;
}

export interface BatchSpec {
  /** Pairs drawn from, uniformly. */
  pairs: readonly Pair[];
  /** 'seen': keys with x mod 9 ≠ p (training's); 'held-out': keys with x mod 9 = p. */
  keys: 'seen' | 'held-out';
}

/** The keys allowed at each key position 0…SEQUENCE_LENGTH − 1. */
function keysAt(kind: BatchSpec['keys']): number[][] {
  return Array.from({ length: SEQUENCE_LENGTH }, (_, p) => {
    const keys: number[] = [];
    for (let x = TOKEN_MIN; x <= TOKEN_MAX; x++) if (heldOutKey(x, p) === (kind === 'held-out')) keys.push(x);
    return keys;
  });
}

/** `count` sequences drawn from the seeded generator `seed`. */
export function sampleBatch(seed: number, count: number, spec: BatchSpec): Batch {
  const { batch, below, allowed, rowOf } = emptyBatch(seed, count, spec.keys);
  for (let i = 0; i < count; i++) {
    const row = rowOf(i);
    const pair = spec.pairs[below(spec.pairs.length)];
    const p = below(KEY_POSITIONS);
    const keys = allowed[p];
    const x = keys[below(keys.length)];
    [row[p], row[p + 1], row[p + 2]] = [x, pair[0], pair[1]];
    batch.answers[i] = trainedAnswer(x, pair);
    batch.keys[i] = x;
    batch.positions[i] = p;
    batch.pairs[i] = PAIRS.findIndex((q) => samePair(q, pair));
  }
  return batch;
}

/** `count` sequences of uniform filler tokens, to be given their key and anchors, and the seeded draws that fill them. */
function emptyBatch(seed: number, count: number, keys: BatchSpec['keys']) {
  const uniform = randomLcg(seed);
  const below = (n: number) => Math.min(n - 1, Math.floor(uniform() * n));
  const batch: Batch = {
    count,
    tokens: new Int32Array(count * SEQUENCE_LENGTH),
    answers: new Int32Array(count),
    keys: new Int32Array(count),
    positions: new Int32Array(count),
    pairs: new Int32Array(count),
  };
  const rowOf = (i: number) => {
    const row = batch.tokens.subarray(i * SEQUENCE_LENGTH, (i + 1) * SEQUENCE_LENGTH);
    for (let t = 0; t < SEQUENCE_LENGTH; t++) row[t] = TOKEN_MIN + below(TOKEN_MAX - TOKEN_MIN + 1);
    return row;
  };
  return { batch, below, allowed: keysAt(keys), rowOf };
}

/** The identity task's one anchor. */
export const IDENTITY_ANCHOR = 3;
/** The identity task's example (on the page and in the measures) has its anchor at 3, its key at 4: both the shift and the broadcast are moves, in mid-sequence. */
export const IDENTITY_EXAMPLE_ANCHOR = 3;

/**
 * The identity task of arXiv 2401.08309, as the authors' code has it (task '3x_to_x', sjtuzzw/complexity_control,
 * code_for_anchor_func/data_generator/simple_task.py): the anchor 3 at a position q ∈ {0…7}, the key x right after
 * it, the answer x; keys with x mod 9 = q + 1 (the key's position) are kept out of training. `anchorAt` fixes q
 * (the page's example); otherwise it is uniform.
 */
export function identityBatch(seed: number, count: number, keys: BatchSpec['keys'], anchorAt?: number): Batch {
  const { batch, below, allowed, rowOf } = emptyBatch(seed, count, keys);
  for (let i = 0; i < count; i++) {
    const row = rowOf(i);
    const q = anchorAt ?? below(SEQUENCE_LENGTH - 1);
    const x = allowed[q + 1][below(allowed[q + 1].length)];
    [row[q], row[q + 1]] = [IDENTITY_ANCHOR, x];
    batch.answers[i] = x;
    batch.keys[i] = x;
    batch.positions[i] = q + 1;
    batch.pairs[i] = -1;
  }
  return batch;
}

/** The anchor pairs of arXiv 2405.05409, or the identity task of arXiv 2401.08309. */
export const TASKS = ['composition', 'identity'] as const;
export type Task = (typeof TASKS)[number];

/** The seed of step `step`'s training batch: distinct per (run seed, step), so reset and resume replay the same data. */
export function stepSeed(seed: number, step: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0;
}

/** The training batch of step `step`: seen keys, and in the composition task the 15 trained pairs. */
export function trainingBatch(seed: number, step: number, size: number, task: Task = 'composition'): Batch {
  return task === 'identity' ? identityBatch(stepSeed(seed, step), size, 'seen') : sampleBatch(stepSeed(seed, step), size, { pairs: TRAINED_PAIRS, keys: 'seen' });
}

/**
 * Test sequences with seen or held-out keys, seeded apart from training: `perPair` of every one of the 16 pairs in
 * PAIRS' order; in the identity task as many (16 · perPair), anchors anywhere.
 */
export function testSet(seed: number, perPair: number, keys: BatchSpec['keys'], task: Task = 'composition'): Batch {
  if (task === 'identity') return identityBatch(stepSeed(seed, keys === 'seen' ? -1 : -2), perPair * PAIRS.length, keys);
  const parts = PAIRS.map((pair, p) => sampleBatch(stepSeed(seed, -1 - p - (keys === 'seen' ? 0 : PAIRS.length)), perPair, { pairs: [pair], keys }));
  const join = (field: Exclude<keyof Batch, 'count'>) => Int32Array.from(parts.flatMap((part) => Array.from(part[field])));
  return { count: perPair * PAIRS.length, tokens: join('tokens'), answers: join('answers'), keys: join('keys'), positions: join('positions'), pairs: join('pairs') };
}
