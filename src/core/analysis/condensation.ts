/**
 * Condensation measures on the input weights θ_j = (w_j, b_j) of hidden neurons (Luo et al. 2021; Zhou et al.
 * 2022): orientation, amplitude, cosine similarity, how many directions hold most of the amplitude, and the
 * relative distance RD = ‖θ(t) − θ(0)‖ / ‖θ(0)‖.
 */

/** Input weights of m hidden neurons with d inputs: weights row-major [d, m] as tfjs stores them, bias [m]. */
export interface InputWeights {
  inputDim: number;
  weights: ArrayLike<number>;
  bias: ArrayLike<number>;
}

/** θ_j = (w_1j, …, w_dj, b_j) for each neuron j. */
export function neuronVectors({ inputDim, weights, bias }: InputWeights): number[][] {
  return Array.from({ length: bias.length }, (_, j) => {
    const theta = Array.from({ length: inputDim }, (_, i) => weights[i * bias.length + j]);
    theta.push(bias[j]);
    return theta;
  });
}

function norm(v: readonly number[]): number {
  return Math.hypot(...v);
}

/** For 1-D input: the angle of (w_j, b_j) in degrees, in (−180, 180]. */
export function orientationAngles(thetas: readonly number[][]): number[] {
  return thetas.map(([w, b]) => (Math.atan2(b, w) * 180) / Math.PI);
}

/** For 2-D input, θ = (w₁, w₂, b): the azimuth atan2(w₂, w₁) of the weight in the input plane, degrees. */
export function azimuthAngles(thetas: readonly number[][]): number[] {
  return thetas.map(([w1, w2]) => (Math.atan2(w2, w1) * 180) / Math.PI);
}

/** The angle between θ and the bias axis (0° along +b, 180° along −b): with the azimuth, a polar view of θ/‖θ‖. */
export function polarAngles(thetas: readonly number[][]): number[] {
  return thetas.map((theta) => {
    const n = norm(theta);
    return n === 0 ? 90 : (Math.acos(Math.max(-1, Math.min(1, theta[theta.length - 1] / n))) * 180) / Math.PI;
  });
}

/** ‖θ_j‖, times |a_j| when output weights are given (the papers' amplitude for two-layer networks). */
export function amplitudes(thetas: readonly number[][], outputWeights?: ArrayLike<number>): number[] {
  return thetas.map((theta, j) => norm(theta) * (outputWeights ? Math.abs(outputWeights[j]) : 1));
}

export function cosine(u: readonly number[], v: readonly number[]): number {
  const nu = norm(u);
  const nv = norm(v);
  if (nu === 0 || nv === 0) return 0;
  let dot = 0;
  for (let i = 0; i < u.length; i++) dot += u[i] * v[i];
  return Math.max(-1, Math.min(1, dot / (nu * nv)));
}

/** m×m matrix of cos(θ_i, θ_j), row-major, in the order given. */
export function cosineSimilarityMatrix(thetas: readonly number[][]): Float32Array {
  const m = thetas.length;
  const units = thetas.map((t) => {
    const n = norm(t);
    return n === 0 ? t.map(() => 0) : t.map((x) => x / n);
  });
  const out = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let dot = 0;
      for (let k = 0; k < units[i].length; k++) dot += units[i][k] * units[j][k];
      out[i * m + j] = dot;
      out[j * m + i] = dot;
    }
  }
  return out;
}

export interface CondensedDirections {
  /** Directions needed to hold `massFraction` of the amplitude, each taking the neurons within the tolerance. */
  count: number;
  /** Unit vectors of those directions (the neuron at each cluster's centre), most amplitude first. */
  centers: number[][];
  /** Fraction of the total amplitude within tolerance of the first `count` directions. */
  covered: number;
  /** True when `maxCount` directions did not reach `massFraction` (count is then maxCount + 1). */
  capped: boolean;
}

/**
 * Greedy amplitude-weighted clustering of orientations: repeatedly take the neuron direction whose
 * `toleranceDeg` cone holds the most remaining amplitude, until `massFraction` of the total is held.
 */
export function condensedDirections(
  thetas: readonly number[][],
  weight: readonly number[],
  { toleranceDeg = 10, massFraction = 0.9, maxCount = 16 } = {},
): CondensedDirections {
  const m = thetas.length;
  const total = weight.reduce((s, w) => s + w, 0);
  if (m === 0 || total === 0) return { count: 0, centers: [], covered: 0, capped: false };
  const similarity = cosineSimilarityMatrix(thetas);
  const cosTolerance = Math.cos((toleranceDeg * Math.PI) / 180) - 1e-12;
  const remaining = new Uint8Array(m).fill(1);
  const centers: number[][] = [];
  let covered = 0;
  while (covered < massFraction * total && centers.length < maxCount + 1) {
    let best = -1;
    let bestMass = -1;
    for (let c = 0; c < m; c++) {
      let mass = 0;
      for (let j = 0; j < m; j++) if (remaining[j] && similarity[c * m + j] >= cosTolerance) mass += weight[j];
      if (mass > bestMass) {
        bestMass = mass;
        best = c;
      }
    }
    if (bestMass <= 0) break;
    for (let j = 0; j < m; j++) if (similarity[best * m + j] >= cosTolerance) remaining[j] = 0;
    covered += bestMass;
    const n = norm(thetas[best]);
    centers.push(thetas[best].map((x) => x / n));
  }
  const capped = centers.length > maxCount;
  return { count: centers.length, centers: centers.slice(0, maxCount), covered: covered / total, capped };
}

/** RD = ‖θ − θ₀‖ / ‖θ₀‖ over all entries. */
export function relativeDistance(theta: ArrayLike<number>, theta0: ArrayLike<number>): number {
  let diff = 0;
  let base = 0;
  for (let i = 0; i < theta0.length; i++) {
    diff += (theta[i] - theta0[i]) ** 2;
    base += theta0[i] ** 2;
  }
  return Math.sqrt(diff / base);
}
