/** What a grokking run measures (no tfjs): its info, accuracy and loss on both sets, the test error by frequency. */
import { firstStepAtLeast } from '../../core/analysis/spectrum';
import { metricKey } from '../../core/probes/probe';
import type { RunInfo, Snapshot } from '../../core/run/types';

export interface GrokkingInfo extends RunInfo {
  modulus: number;
  trainPairs: number;
  testPairs: number;
  /** The off-diagonal share of the answers kept on the training pairs alone (the whole table's: 0). */
  sampledOffDiagonal: number;
}

export interface Generalization {
  /** Fraction of pairs whose largest logit is the right residue, and the mean cross-entropy. */
  trainAccuracy: number;
  testAccuracy: number;
  testLoss: number;
}

export const GENERALIZATION = metricKey<Generalization>('generalization');
/** For k = 0 … ⌊p/2⌋, the RMS over the test pairs of |ê(k)|, the DFT over the residues of softmax − one-hot. */
export const TEST_FREQUENCY_ERROR = metricKey<number[]>('testFrequencyError');
/** The same over the training pairs. */
export const TRAIN_FREQUENCY_ERROR = metricKey<number[]>('trainFrequencyError');

/** The network's probabilities over the whole table: the share of their (a, b) spectrum off the diagonal k_a = k_b. */
export const OFF_DIAGONAL = metricKey<number>('offDiagonalShare');

/** Training accuracy that counts as fitted, test accuracy that counts as grokked. */
export const FITTED = 0.99;
export const GROKKED = 0.9;

/** A run's two moments over its snapshots: the first step the training pairs are fitted, and the first the test pairs reach GROKKED (null: not yet). */
export function grokkingMoments(snapshots: readonly Snapshot[]): { steps: number[]; fits: (Generalization | undefined)[]; fitted: number | null; grokked: number | null } {
  const steps = snapshots.map((s) => s.step);
  const fits = snapshots.map((s) => GENERALIZATION.of(s));
  const reached = (accuracy: (f: Generalization) => number, level: number) => firstStepAtLeast(steps, fits.map((f) => (f ? accuracy(f) : Number.NaN)), level);
  return { steps, fits, fitted: reached((f) => f.trainAccuracy, FITTED), grokked: reached((f) => f.testAccuracy, GROKKED) };
}
