/**
 * Sharpness of a 1-D tanh MLP's loss at the current weights, in float64: λ_max of the Hessian by power iteration
 * (warm-started from the previous snapshot's eigenvector) and the curvature along the gradient gᵀHg/‖g‖². Full-batch
 * gradient descent at rate η is stable along a direction only while its curvature stays below 2/η.
 */
import { flatten, gradientCurvature, largestEigenvalue, type CurvatureProblem } from '../analysis/hessian';
import { layerSizes, layerTensorName, type MlpSpec } from '../models/mlpSpec';
import { normalSampler } from '../random';
import type { RunInfo } from '../run/types';
import { metricKey, type Probe } from './probe';

export interface Sharpness {
  lambdaMax: number;
  /** gᵀHg / ‖g‖². */
  gradientCurvature: number;
  /** Power iterations this measurement took. */
  iterations: number;
}

export const SHARPNESS = metricKey<Sharpness>('sharpness');

/** Relative change of the Rayleigh quotient at which power iteration stops, and its cap (the app's choice). */
const TOLERANCE = 1e-3;
const MAX_ITERATIONS = 100;

/** The training data as the run's info gives them (1-D inputs x, targets). */
type DataInfo = RunInfo & { x: number[]; target: number[] };

export function sharpnessProbe(network: MlpSpec, every?: number): Probe<Sharpness, DataInfo> {
  const sizes = layerSizes(network);
  const names = sizes.slice(1).flatMap((_, l) => [layerTensorName(l, 'weights'), layerTensorName(l, 'bias')]);
  const coldStart = (length: number) => {
    const sample = normalSampler(1);
    return Float64Array.from({ length }, () => sample(1));
  };
  // The previous eigenvector (warm start) and the step it was measured at: a run reset or replayed starts cold
  // again, so the same run gives the same numbers.
  let warm: { step: number; vector: Float64Array } | null = null;
  return {
    name: SHARPNESS.name,
    needs: names,
    every,
    compute: (values, { step, info }) => {
      const problem: CurvatureProblem = { sizes, x: info.x, y: info.target };
      const theta = flatten(sizes.slice(1).map((_, l) => ({ weights: values[names[2 * l]], bias: values[names[2 * l + 1]] })));
      const start = warm && warm.step < step ? warm.vector : coldStart(theta.length);
      const found = largestEigenvalue(problem, theta, start, TOLERANCE, MAX_ITERATIONS);
      warm = { step, vector: found.vector };
      return { lambdaMax: found.value, gradientCurvature: gradientCurvature(problem, theta), iterations: found.iterations };
    },
  };
}
