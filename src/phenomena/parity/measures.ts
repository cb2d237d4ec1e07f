/** What a parity run measures (no tfjs): its info, the generalization of the fit, the network's spectra. */
import { metricKey } from '../../core/probes/probe';
import type { RunInfo } from '../../core/run/types';

export interface ParityInfo extends RunInfo {
  dimension: number;
  trainPoints: number;
  testPoints: number;
  /** k of the spectra along the all-ones direction. */
  frequencies: number[];
  /** |ŷ_k| of parity on the whole cube (|sin 2πk|^d) and on the training points alone. */
  fullAmplitude: number[];
  trainAmplitude: number[];
  /** Edges in k of the bands where the test error is measured by frequency (ascending, from 0). */
  bandEdges: number[];
}

export interface Generalization {
  /** Mean squared error and fraction of signs right on the points not trained on. */
  testLoss: number;
  testAccuracy: number;
  trainAccuracy: number;
}

/** The network's amplitude spectrum along the all-ones direction on the training points and on the whole cube. */
export interface ParitySpectra {
  training: number[];
  full: number[];
}

export const GENERALIZATION = metricKey<Generalization>('generalization');
/** Per band of k, ‖ĥ − ŷ‖ / ‖ŷ‖ of the spectra along the all-ones direction on the test points: the test error by frequency. */
export const TEST_FREQUENCY_ERROR = metricKey<number[]>('testFrequencyError');
export const PARITY_SPECTRA = metricKey<ParitySpectra>('paritySpectra');
