/**
 * Which solution a finished anchor run found, from its last measures: a grid cell's verdict (the phase diagram of
 * γ against depth or weight decay). The rule is the app's: a run that has not fitted the seen pairs (seen < 0.9)
 * fails; one that has is judged by the held-out pair (4, 3), where the answer given by at least half of its test
 * sequences, and by more of them than the other answer, wins; where neither does, the verdict is "neither".
 */

/** Seen-pair accuracy below this: the run has not fitted its training data (the 0.9). */
export const SEEN_FLOOR = 0.9;
/** The share of (4, 3)'s answers an answer needs to win: a majority of the test sequences. */
export const WIN_FLOOR = 0.5;

/** What (4, 3) is answered with: x − 10 (inferential), x − 6 (symmetric), or neither by a majority. */
export type Lean = 'inferential' | 'symmetric' | 'neither';
export type Verdict = 'fails' | Lean;

/** The verdicts in the order a legend shows them. */
export const VERDICTS: readonly Verdict[] = ['inferential', 'symmetric', 'neither', 'fails'];

export interface HeldOutAnswers {
  /** Seen-pair accuracy (NaN or null where unknown: counted as not fitted). */
  seen: number | null;
  inferential: number | null;
  symmetric: number | null;
}

/** (4, 3)'s winning answer, whether or not the seen pairs are fitted (a failed cell's lean). */
export function heldOutLean({ inferential, symmetric }: Pick<HeldOutAnswers, 'inferential' | 'symmetric'>): Lean {
  const [i, s] = [inferential ?? Number.NaN, symmetric ?? Number.NaN];
  if (i >= WIN_FLOOR && !(s >= i)) return 'inferential';
  if (s >= WIN_FLOOR && !(i >= s)) return 'symmetric';
  return 'neither';
}

/** The cell's verdict: fails below the seen floor (NaN included), else its held-out lean. */
export function anchorVerdict(answers: HeldOutAnswers): Verdict {
  return (answers.seen ?? Number.NaN) >= SEEN_FLOOR ? heldOutLean(answers) : 'fails';
}
