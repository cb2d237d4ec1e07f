/**
 * Neural collapse (Papyan, Han, Donoho 2020) and minority collapse (Fang, He, Long, Su 2021) measured on the
 * last-layer features H (n × d, one row per training point), labels y, and the classifier W (K × d, one row per
 * class) with bias b. Plain float64 arithmetic, no tensors.
 *
 * μ_G is the mean of the class means, not of the points: with imbalanced classes it is the centre the simplex
 * of class means is measured from (for balanced classes the two agree).
 */
import { symmetricEigen } from './symmetricEigen';

export interface Features {
  /** n × d, row-major. */
  h: ArrayLike<number>;
  labels: ArrayLike<number>;
  d: number;
  classes: number;
}

export interface ClassStats {
  /** K × d class means μ_c. */
  means: Float64Array;
  /** The centred means μ_c − μ_G, K × d. */
  centred: Float64Array;
  counts: number[];
}

export function classStats({ h, labels, d, classes: K }: Features): ClassStats {
  const means = new Float64Array(K * d);
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    counts[c]++;
    for (let j = 0; j < d; j++) means[c * d + j] += h[i * d + j];
  }
  for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) means[c * d + j] /= Math.max(1, counts[c]);
  const global = new Float64Array(d);
  for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) global[j] += means[c * d + j] / K;
  const centred = Float64Array.from(means, (m, i) => m - global[i % d]);
  return { means, centred, counts };
}

const dot = (a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, d: number) => {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ai + j] * b[bi + j];
  return s;
};

/** The K × K Gram matrix of the rows of `rows` (K × d). */
function gram(rows: ArrayLike<number>, K: number, d: number): Float64Array {
  const g = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = a; b < K; b++) g[a * K + b] = g[b * K + a] = dot(rows, a * d, rows, b * d, d);
  return g;
}

/**
 * NC1 = Tr(Σ_W Σ_B^†)/K with Σ_W = (1/n) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ and Σ_B = (1/K) Σ_c (μ_c − μ_G)(μ_c − μ_G)ᵀ.
 * Σ_B's pseudo-inverse comes from the K × K Gram matrix of the centred means (its range is their span), so the
 * cost does not grow with d²; eigenvalues below 1e-10 of the largest are its null space (numpy's pinv cut).
 */
export function nc1(features: Features, stats: ClassStats = classStats(features)): number {
  const { h, labels, d, classes: K } = features;
  const { values, vectors } = symmetricEigen(gram(stats.centred, K, d), K);
  const cut = Math.max(values[0], 0) * 1e-10;
  let trace = 0;
  for (let r = 0; r < K; r++) {
    const lambda = values[r];
    if (!(lambda > cut)) continue;
    // v = Mᵀu/√λ: a unit eigenvector of MᵀM (eigenvalue λ); Σ_B = MᵀM/K has eigenvalue λ/K on it.
    const v = new Float64Array(d);
    for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) v[j] += (vectors[r * K + c] * stats.centred[c * d + j]) / Math.sqrt(lambda);
    let within = 0;
    for (let i = 0; i < labels.length; i++) {
      const c = labels[i];
      let s = 0;
      for (let j = 0; j < d; j++) s += (h[i * d + j] - stats.means[c * d + j]) * v[j];
      within += s * s;
    }
    trace += within / labels.length / (lambda / K);
  }
  return trace / K;
}

/** std/mean of the rows' norms (0: equinorm). */
export function normSpread(rows: ArrayLike<number>, K: number, d: number): number {
  const norms = Array.from({ length: K }, (_, c) => Math.sqrt(dot(rows, c * d, rows, c * d, d)));
  const mean = norms.reduce((s, x) => s + x, 0) / K;
  const variance = norms.reduce((s, x) => s + (x - mean) ** 2, 0) / K;
  return Math.sqrt(variance) / mean;
}

/** The K × K matrix of cosines between rows. */
export function cosineMatrix(rows: ArrayLike<number>, K: number, d: number): Float64Array {
  const g = gram(rows, K, d);
  return Float64Array.from(g, (x, i) => x / Math.sqrt(g[Math.floor(i / K) * (K + 1)] * g[(i % K) * (K + 1)]));
}

/** Cosines between distinct rows among `indices` (all pairs a < b). */
function pairCosines(cosines: ArrayLike<number>, K: number, indices: readonly number[]): number[] {
  return indices.flatMap((a, i) => indices.slice(i + 1).map((b) => cosines[a * K + b]));
}

/** The largest |cos + 1/(K−1)| over the distinct pairs of a K × K cosine matrix: the simplex's angle for every pair (0), not on average. */
export function worstFromSimplex(cosines: ArrayLike<number>, K: number): number {
  return Math.max(...pairCosines(cosines, K, Array.from({ length: K }, (_, c) => c)).map((c) => Math.abs(c + 1 / (K - 1))));
}

export interface Angles {
  /** Mean cosine between distinct rows. */
  mean: number;
  /** Their standard deviation (0: equiangular). */
  std: number;
  /** Mean |cos + 1/(K−1)| (0: the simplex ETF's angle). */
  fromSimplex: number;
}

export function angles(rows: ArrayLike<number>, K: number, d: number): Angles {
  const all = pairCosines(cosineMatrix(rows, K, d), K, Array.from({ length: K }, (_, c) => c));
  const mean = all.reduce((s, x) => s + x, 0) / all.length;
  return {
    mean,
    std: Math.sqrt(all.reduce((s, x) => s + (x - mean) ** 2, 0) / all.length),
    fromSimplex: all.reduce((s, x) => s + Math.abs(x + 1 / (K - 1)), 0) / all.length,
  };
}

/** NC3: ‖W/‖W‖_F − M/‖M‖_F‖_F, M the centred means (0: the classifiers are the means, rescaled). */
export function selfDuality(w: ArrayLike<number>, centred: ArrayLike<number>): number {
  const norm = (x: ArrayLike<number>) => Math.sqrt(dot(x, 0, x, 0, x.length));
  const [nw, nm] = [norm(w), norm(centred)];
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (w[i] / nw - centred[i] / nm) ** 2;
  return Math.sqrt(s);
}

/** The class of the largest logit of each row of `logits` (n × K). */
export function predictions(logits: ArrayLike<number>, K: number): Int32Array {
  const n = logits.length / K;
  return Int32Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let c = 1; c < K; c++) if (logits[i * K + c] > logits[i * K + best]) best = c;
    return best;
  });
}

/** NC4: the fraction of points whose predicted class is not the class with the nearest mean. */
export function nearestMeanDisagreement({ h, d, classes: K }: Features, means: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let disagree = 0;
  for (let i = 0; i < predicted.length; i++) {
    let nearest = 0;
    let best = Infinity;
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (h[i * d + j] - means[c * d + j]) ** 2;
      if (s < best) [best, nearest] = [s, c];
    }
    if (nearest !== predicted[i]) disagree++;
  }
  return disagree / predicted.length;
}

/** Minority collapse: the mean cosine between the classifiers of classes `from` … K − 1 (NaN with fewer than two). */
export function minorityCosine(w: ArrayLike<number>, K: number, d: number, from: number): number {
  const pairs = pairCosines(cosineMatrix(w, K, d), K, Array.from({ length: K - from }, (_, i) => from + i));
  return pairs.reduce((s, x) => s + x, 0) / pairs.length;
}

/** The fraction of points of classes `from` … K − 1 predicted right (NaN when there are none). */
export function accuracyFrom(predicted: ArrayLike<number>, labels: ArrayLike<number>, from: number): number {
  let [right, count] = [0, 0];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < from) continue;
    count++;
    if (predicted[i] === labels[i]) right++;
  }
  return right / count;
}

/**
 * Coordinates of the rows of `rows` (K × d) and of `others` (K × d) on the top `dims` principal directions of
 * `rows` (the span of the centred means: the simplex drawn in the plane or space it spans).
 */
export function project(rows: ArrayLike<number>, others: ArrayLike<number>, K: number, d: number, dims: number): { rows: number[][]; others: number[][] } {
  const { values, vectors } = symmetricEigen(gram(rows, K, d), K);
  const directions = Array.from({ length: Math.min(dims, K) }, (_, r) => {
    const v = new Float64Array(d);
    const scale = values[r] > 0 ? 1 / Math.sqrt(values[r]) : 0;
    for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) v[j] += vectors[r * K + c] * rows[c * d + j] * scale;
    return v;
  });
  const coordinates = (x: ArrayLike<number>) => Array.from({ length: K }, (_, c) => directions.map((v) => dot(x, c * d, v, 0, d)));
  return { rows: coordinates(rows), others: coordinates(others) };
}

/** A 3-D point as seen after turning the view: screen right, screen up, and towards the viewer. */
export interface Turned {
  x: number;
  y: number;
  depth: number;
}

/**
 * Turns 3-D points by `yaw` (radians, about the vertical axis) and then `pitch` (about the screen's horizontal),
 * for an orthographic view: a rotation, so lengths and angles are kept; x, y are what is drawn, depth orders it.
 */
export function turn(points: readonly (readonly number[])[], yaw: number, pitch: number): Turned[] {
  const [cy, sy, cp, sp] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch)];
  return points.map(([a = 0, b = 0, c = 0]) => {
    const [x, z] = [a * cy + c * sy, -a * sy + c * cy];
    return { x, y: b * cp - z * sp, depth: b * sp + z * cp };
  });
}
