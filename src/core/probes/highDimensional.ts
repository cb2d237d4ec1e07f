/**
 * The frequency principle on high-dimensional data (Xu et al. 2019, §4): the filtering method (errors of the
 * low- and high-frequency parts after Gaussian smoothing over the inputs, one per width δ) and the projection
 * method (relative error in bands of the non-uniform DFT along one direction). Outputs have `classes` columns.
 */
import { amplitudeOverOutputs, lowHighErrors, nudft, relativeErrorOverOutputs } from '../analysis/highDimensional';
import { FREQUENCY, OUTPUT_AMPLITUDE, type FrequencyErrors } from './frequency';
import { metricKey, type Probe, type ProbeContext } from './probe';

export interface FilteringErrors {
  /** One per δ. */
  low: number[];
  high: number[];
}

export const FILTERING = metricKey<FilteringErrors>('filtering');

/** `smoothers`: one n × n Gaussian weight matrix per δ; `target`: n × classes, row-major. */
export function filteringProbe(smoothers: readonly Float64Array[], n: number, classes: number, target: Float32Array): Probe<FilteringErrors> {
  return {
    name: FILTERING.name,
    needs: ['output'],
    compute: (values) => {
      const errors = smoothers.map((weights) => lowHighErrors(weights, n, classes, target, values.output));
      return { low: errors.map((e) => e.low), high: errors.map((e) => e.high) };
    },
  };
}

/** The projection method's spectra along `coordinate` (each sample's position on the direction). */
export interface Projection {
  coordinate: Float64Array;
  frequencies: number[];
  classes: number;
  target: { re: Float64Array; im: Float64Array };
  /** Indices into `frequencies` of each band. */
  bands: number[][];
}

function projectedOutput(values: Readonly<Record<string, Float32Array>>, context: ProbeContext, p: Projection) {
  return context.shared('projectedOutput', () => nudft(p.coordinate, values.output, p.classes, p.frequencies));
}

export function projectionErrorProbe(p: Projection): Probe<FrequencyErrors> {
  const bands = p.bands.map((_, b) => b);
  return {
    name: FREQUENCY.name,
    needs: ['output'],
    compute: (values, context) => ({ k: bands, relError: relativeErrorOverOutputs(p.target, projectedOutput(values, context, p), p.classes, p.bands) }),
  };
}

export function projectionAmplitudeProbe(p: Projection): Probe<number[]> {
  return { name: OUTPUT_AMPLITUDE.name, needs: ['output'], compute: (values, context) => Array.from(amplitudeOverOutputs(projectedOutput(values, context, p), p.classes)) };
}
