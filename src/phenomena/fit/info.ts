/** What a fitting run (a function on a grid, or MNIST's labels) tells its page once: data, target, spectrum. */
import type { RunInfo } from '../../core/run/types';

export interface FitInfo extends RunInfo {
  /** Input dimension: 1, 2 for (x, y) on a square grid of `x` × `x` (row-major with y outer), or 784 for MNIST digits. */
  inputs: number;
  /** The training points' x (1-D), or the grid's axis (2-D). */
  x: number[];
  target: number[];
  /** 1-D only (empty for 2-D): the dense grid on which the output curve is drawn. */
  curveX: number[];
  /** The target on curveX, for drawing. */
  curveTarget: number[];
  /** 1-D: frequency indices k = 0 … ⌊n/2⌋ of the one-sided spectrum. 2-D: the signed indices along each axis of the centred spectrum. */
  frequencies: number[];
  /** 1-D: the one-sided amplitude spectrum. 2-D: the centred n × n amplitude (centeredAmplitude2). */
  targetAmplitude: number[];
  /** Where Δ_F is measured, ascending. 1-D: the target's peak frequencies k. 2-D and MNIST: band numbers 0, 1, … */
  peaks: number[];
  /** MNIST: the filtering method's Gaussian widths δ. */
  deltas?: number[];
  /** 2-D input: the bands' edges in |k| (the last is Infinity). MNIST: the projection bands' edges in k. */
  bandEdges?: number[];
}
