/** What a grokking run measures (no tfjs): its info, accuracy and loss on both sets, the test error by frequency. */
import { metricKey } from '../../core/probes/probe';
import type { RunInfo } from '../../core/run/types';

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

/** The first snapshot step where `accuracy` reaches `level`, or null. */
export function firstStepAt(steps: readonly number[], accuracies: readonly (number | undefined)[], level: number): number | null {
  const i = accuracies.findIndex((a) => a !== undefined && a >= level);
  return i < 0 ? null : steps[i];
}
