/**
 * The frequency principle's measures on a function fit: the relative error Δ_F at each peak of the target's
 * spectrum (1-D) or in each radial band (2-D), and the output's amplitude spectrum.
 */
import { amplitudeSpectrum, centeredAmplitude2, dft, dft2, relativeErrorAt, relativeErrorByBand, type ComplexSpectrum } from '../analysis/spectrum';
import { metricKey, type Probe, type ProbeContext } from './probe';

export interface FrequencyErrors {
  /** Where Δ_F is measured: frequencies k (1-D) or band numbers (2-D, high-dimensional). */
  k: number[];
  relError: number[];
}

export const FREQUENCY = metricKey<FrequencyErrors>('frequency');
export const OUTPUT_AMPLITUDE = metricKey<number[]>('outputAmplitude');

/** The output on the training points as one spectrum, computed once per snapshot for every probe that reads it. */
function outputSpectrum(values: Readonly<Record<string, Float32Array>>, context: ProbeContext, side: number | null): ComplexSpectrum {
  return context.shared('outputSpectrum', () => (side === null ? dft(values.output) : dft2(values.output, side, side)));
}

/** 1-D: Δ_F(k) = |ĥ_k − ŷ_k| / |ŷ_k| at the target's peaks. */
export function peakErrorProbe(target: ComplexSpectrum, peaks: number[]): Probe<FrequencyErrors> {
  return { name: FREQUENCY.name, needs: ['output'], compute: (values, context) => ({ k: peaks, relError: relativeErrorAt(target, outputSpectrum(values, context, null), peaks) }) };
}

/** 2-D on a side × side grid: ‖ĥ − ŷ‖ / ‖ŷ‖ over each radial band of |k| (edges ascending). */
export function bandErrorProbe(target: ComplexSpectrum, side: number, radius: Float64Array, edges: number[]): Probe<FrequencyErrors> {
  const bands = edges.slice(1).map((_, b) => b);
  return {
    name: FREQUENCY.name,
    needs: ['output'],
    compute: (values, context) => ({ k: bands, relError: relativeErrorByBand(target, outputSpectrum(values, context, side), radius, edges) }),
  };
}

/** The output's amplitude spectrum: one-sided (1-D), or centred side × side (2-D). */
export function outputAmplitudeProbe(side: number | null): Probe<number[]> {
  return {
    name: OUTPUT_AMPLITUDE.name,
    needs: ['output'],
    compute: (values, context) => {
      const spectrum = outputSpectrum(values, context, side);
      return Array.from(side === null ? amplitudeSpectrum(spectrum) : centeredAmplitude2(spectrum, side, side));
    },
  };
}
