/**
 * What a snapshot measures, as pure functions of the network's predictions on fixed test sequences: accuracy on
 * the seen pairs, the held-out pair (4, 3) answered inferentially (x − 10) or symmetrically (x − 6, the trained
 * answer of (3, 4)), accuracy on held-out keys, per-pair accuracy, and where (4, 3)'s answers fall around x − 10.
 */
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

const HELD_OUT_INDEX = PAIRS.findIndex((pair) => samePair(pair, HELD_OUT_PAIR));

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
