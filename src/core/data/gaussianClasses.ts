/**
 * Gaussian classes for classification, seeded: K centres, each a random direction in D dimensions scaled to
 * length `separation` (or those directions made orthogonal, in class order: then every class is equally far
 * from every other, and the classes themselves favour no angle), and points centre + N(0, spread²·I). Imbalance as in Fang et al. 2021: the first K_A
 * classes have n points each, the others n/R (at least one). The test set is balanced.
 */
import { normalSampler } from '../random';
import { MNIST_CLASSES, MNIST_PER_CLASS, MNIST_PIXELS, type Digits } from './mnist';

export interface GaussianClassesSpec {
  classes: number;
  majority: number;
  perClass: number;
  ratio: number;
  dim: number;
  separation: number;
  spread: number;
  testPerClass: number;
  /** 'orthogonal' needs dim ≥ classes. */
  centres?: 'random' | 'orthogonal';
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
    // Gram-Schmidt against the centres before (twice, for round-off).
    if (spec.centres === 'orthogonal')
      for (let pass = 0; pass < 2; pass++)
        for (let e = 0; e < c; e++) {
          let along = 0;
          for (let j = 0; j < D; j++) along += direction[j] * centres[e * D + j];
          along /= separation * separation;
          for (let j = 0; j < D; j++) direction[j] -= along * centres[e * D + j];
        }
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

/**
 * The shipped MNIST digits as classes with the same imbalance: class c's first n (or n/R) digits train, its
 * last `testPerClass` test (disjoint while the two fit in the digits shipped per class). Intensities in [0, 1].
 */
export function mnistClasses(digits: Digits, spec: Pick<GaussianClassesSpec, 'majority' | 'perClass' | 'ratio' | 'testPerClass'>): { train: LabelledPoints; test: LabelledPoints } {
  const perClass = digits.count / MNIST_CLASSES;
  const pick = (count: (c: number) => number, first: (c: number) => number): LabelledPoints => {
    const indices = Array.from({ length: MNIST_CLASSES }, (_, c) => Array.from({ length: count(c) }, (_, k) => (first(c) + k) * MNIST_CLASSES + c)).flat();
    const x = new Float32Array(indices.length * MNIST_PIXELS);
    indices.forEach((index, i) => x.set(Array.from(digits.pixels.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS), (byte) => byte / 255), i * MNIST_PIXELS));
    return { x, labels: Int32Array.from(indices, (index) => digits.labels[index]) };
  };
  const trainCount = (c: number) => (c < spec.majority ? spec.perClass : minorityCount(spec.perClass, spec.ratio));
  if (spec.perClass + spec.testPerClass > Math.min(perClass, MNIST_PER_CLASS)) throw new Error(`MNIST: ${spec.perClass} training and ${spec.testPerClass} test digits per class need more than the ${perClass} shipped`);
  return { train: pick(trainCount, () => 0), test: pick(() => spec.testPerClass, () => perClass - spec.testPerClass) };
}
