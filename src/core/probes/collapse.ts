/**
 * Neural-collapse probes: the features of the last hidden layer ("features", n × d), the logits ("output",
 * n × K), the logits on a balanced test set ("testOutput") and the last layer's weights ([d, K]).
 */
import { accuracyFrom, angles, classStats, cosineMatrix, minorityCosine, nc1, nearestMeanDisagreement, normSpread, predictions, project, selfDuality } from '../analysis/collapse';
import { metricKey, type Probe } from './probe';

export interface CollapseMetrics {
  nc1: number;
  /** std/mean of ‖μ_c − μ_G‖ and of ‖w_c‖. */
  equinormMeans: number;
  equinormClassifiers: number;
  /** std of the cosines between distinct centred means, and between classifiers. */
  equiangularMeans: number;
  equiangularClassifiers: number;
  /** mean |cos + 1/(K−1)|. */
  simplexMeans: number;
  simplexClassifiers: number;
  /** Mean cosine between distinct classifiers (−1/(K−1) at the simplex). */
  classifierCosine: number;
  nc3: number;
  nc4: number;
  trainError: number;
  testAccuracy: number;
  /** Mean cosine between the classifiers of the minority classes (NaN when balanced: K_A = K). */
  minorityCosine: number;
  minorityTestAccuracy: number;
}

/** What the page draws: cosine matrices (K × K, row-major) and the means and classifiers in 3-D. */
export interface CollapseGeometry {
  meanCosines: number[];
  classifierCosines: number[];
  /** Coordinates on the top three principal directions of the centred means, each scaled to unit largest norm. */
  means: number[][];
  classifiers: number[][];
}

export const COLLAPSE = metricKey<CollapseMetrics>('collapse');
export const GEOMETRY = metricKey<CollapseGeometry>('geometry');

export interface CollapseSetting {
  classes: number;
  majority: number;
  /** Hidden width of the last hidden layer (d). */
  dim: number;
  trainLabels: Int32Array;
  testLabels: Int32Array;
  /** The last layer's weights by name ([d, K]). */
  classifier: string;
}

/** The classifier rows w_c (K × d) from the layer's [d, K] weights. */
function classifierRows(weights: ArrayLike<number>, K: number, d: number): Float64Array {
  return Float64Array.from({ length: K * d }, (_, i) => weights[(i % d) * K + Math.floor(i / d)]);
}

export function collapseProbe(setting: CollapseSetting): Probe<CollapseMetrics> {
  const { classes: K, majority, dim: d, trainLabels, testLabels, classifier } = setting;
  return {
    name: COLLAPSE.name,
    needs: ['features', 'output', 'testOutput', classifier],
    compute: (values) => {
      const features = { h: values.features, labels: trainLabels, d, classes: K };
      const stats = classStats(features);
      const w = classifierRows(values[classifier], K, d);
      const [meanAngles, classifierAngles] = [angles(stats.centred, K, d), angles(w, K, d)];
      const predicted = predictions(values.output, K);
      const tested = predictions(values.testOutput, K);
      return {
        nc1: nc1(features, stats),
        equinormMeans: normSpread(stats.centred, K, d),
        equinormClassifiers: normSpread(w, K, d),
        equiangularMeans: meanAngles.std,
        equiangularClassifiers: classifierAngles.std,
        simplexMeans: meanAngles.fromSimplex,
        simplexClassifiers: classifierAngles.fromSimplex,
        classifierCosine: classifierAngles.mean,
        nc3: selfDuality(w, stats.centred),
        nc4: nearestMeanDisagreement(features, stats.means, predicted),
        trainError: 1 - accuracyFrom(predicted, trainLabels, 0),
        testAccuracy: accuracyFrom(tested, testLabels, 0),
        minorityCosine: majority < K - 1 ? minorityCosine(w, K, d, majority) : Number.NaN,
        minorityTestAccuracy: majority < K ? accuracyFrom(tested, testLabels, majority) : Number.NaN,
      };
    },
  };
}

export function geometryProbe(setting: CollapseSetting): Probe<CollapseGeometry> {
  const { classes: K, dim: d, trainLabels, classifier } = setting;
  return {
    name: GEOMETRY.name,
    needs: ['features', classifier],
    compute: (values) => {
      const { centred } = classStats({ h: values.features, labels: trainLabels, d, classes: K });
      const w = classifierRows(values[classifier], K, d);
      const projected = project(centred, w, K, d, 3);
      const unit = (points: number[][]) => {
        const largest = Math.max(1e-300, ...points.map((p) => Math.hypot(...p)));
        return points.map((p) => p.map((x) => x / largest));
      };
      return { meanCosines: Array.from(cosineMatrix(centred, K, d)), classifierCosines: Array.from(cosineMatrix(w, K, d)), means: unit(projected.rows), classifiers: unit(projected.others) };
    },
  };
}
