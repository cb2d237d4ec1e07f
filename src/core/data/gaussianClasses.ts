/**
 * Gaussian classes for classification, seeded: K centres, each a random direction in D dimensions scaled to
 * length `separation`, and points centre + N(0, spread²·I). Imbalance as in Fang et al. 2021: the first K_A
 * classes have n points each, the others n/R (at least one). The test set is balanced.
 */
import { normalSampler } from '../random';

export interface GaussianClassesSpec {
  classes: number;
  majority: number;
  perClass: number;
  ratio: number;
  dim: number;
  separation: number;
  spread: number;
  testPerClass: number;
}

export interface LabelledPoints {
  /** n × dim, row-major. */
  x: Float32Array;
  labels: Int32Array;
}

/** Points of the classes with more than K_A: n/R rounded, at least one. */
export const minorityCount = (perClass: number, ratio: number): number => Math.max(1, Math.round(perClass / ratio));

export function gaussianClasses(spec: GaussianClassesSpec, seed: number): { train: LabelledPoints; test: LabelledPoints; centres: Float64Array } {
  const { classes: K, dim: D, separation, spread } = spec;
  const sample = normalSampler(seed);
  const centres = new Float64Array(K * D);
  for (let c = 0; c < K; c++) {
    const direction = Array.from({ length: D }, () => sample(1));
    const norm = Math.hypot(...direction);
    direction.forEach((v, j) => (centres[c * D + j] = (separation * v) / norm));
  }
  const draw = (counts: number[]): LabelledPoints => {
    const labels = Int32Array.from(counts.flatMap((count, c) => new Array<number>(count).fill(c)));
    const x = Float32Array.from({ length: labels.length * D }, (_, i) => centres[labels[Math.floor(i / D)] * D + (i % D)] + sample(spread));
    return { x, labels };
  };
  const train = draw(Array.from({ length: K }, (_, c) => (c < spec.majority ? spec.perClass : minorityCount(spec.perClass, spec.ratio))));
  return { train, test: draw(new Array<number>(K).fill(spec.testPerClass)), centres };
}
