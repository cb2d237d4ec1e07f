/**
 * The Layer-Peeled Model (Fang, He, Long, Su 2021): the last layer peeled off, one feature h_k per class as a
 * free variable beside the classifiers w_k,
 *
 *   minimize  Σ_k c_k · CE(W h_k, k)   subject to  (1/K) Σ ‖h_k‖² ≤ E_H,  (1/K) Σ ‖w_k‖² ≤ E_W,
 *
 * with c_k = 1 for the K_A majority classes and 1/R for the others (the class sizes, as in the authors' code).
 * Solved by projected gradient descent with momentum (projection onto each ball: a rescaling) in dimension 2K,
 * where the Gram matrix of (H, W) is unrestricted, so this form has the optimum of the authors' convex relaxation.
 */
import { normalSampler } from '../random';
import { minorityCosine } from './collapse';

export interface LayerPeeledProblem {
  classes: number;
  majority: number;
  /** Imbalance ratio R ≥ 1 (Infinity: the minority classes drop out of the loss). */
  ratio: number;
  featureBudget: number;
  classifierBudget: number;
}

export interface LayerPeeledSolution {
  /** K × p features and classifiers (p = 2K), row-major. */
  h: Float64Array;
  w: Float64Array;
  dim: number;
  loss: number;
  iterations: number;
}

/** The weighted loss and its gradients in h and w. */
function lossAndGradients(h: Float64Array, w: Float64Array, weights: readonly number[], K: number, p: number) {
  const gh = new Float64Array(K * p);
  const gw = new Float64Array(K * p);
  const logits = new Float64Array(K);
  let loss = 0;
  for (let k = 0; k < K; k++) {
    if (weights[k] === 0) continue;
    let max = -Infinity;
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += w[j * p + t] * h[k * p + t];
      logits[j] = s;
      max = Math.max(max, s);
    }
    let sum = 0;
    for (let j = 0; j < K; j++) sum += Math.exp(logits[j] - max);
    loss += weights[k] * (max + Math.log(sum) - logits[k]);
    for (let j = 0; j < K; j++) {
      const g = weights[k] * (Math.exp(logits[j] - max) / sum - (j === k ? 1 : 0));
      for (let t = 0; t < p; t++) {
        gh[k * p + t] += g * w[j * p + t];
        gw[j * p + t] += g * h[k * p + t];
      }
    }
  }
  return { loss, gh, gw };
}

/** Rescales `x` (K rows) onto (1/K) Σ‖x_k‖² ≤ budget when it lies outside. */
function projectOnBall(x: Float64Array, K: number, budget: number): void {
  const total = x.reduce((s, v) => s + v * v, 0);
  if (total > K * budget) {
    const scale = Math.sqrt((K * budget) / total);
    for (let i = 0; i < x.length; i++) x[i] *= scale;
  }
}

/** Solves one problem from a seeded start; stops when the loss has changed by less than `tolerance` over 100 iterations. */
export function solveLayerPeeled(problem: LayerPeeledProblem, { seed = 1, maxIterations = 20_000, tolerance = 1e-12 } = {}): LayerPeeledSolution {
  const { classes: K, majority, ratio, featureBudget, classifierBudget } = problem;
  if (!(majority >= 1 && majority <= K && ratio >= 1)) throw new Error('the Layer-Peeled Model needs 1 ≤ K_A ≤ K and R ≥ 1');
  const p = 2 * K;
  const weights = Array.from({ length: K }, (_, k) => (k < majority ? 1 : 1 / ratio));
  const totalWeight = weights.reduce((s, c) => s + c, 0);
  const normalized = weights.map((c) => c / totalWeight);
  const sample = normalSampler(seed);
  const h = Float64Array.from({ length: K * p }, () => sample(1));
  const w = Float64Array.from({ length: K * p }, () => sample(1));
  projectOnBall(h, K, featureBudget);
  projectOnBall(w, K, classifierBudget);
  // The class weights sum to 1, so the curvature is of order the larger budget; a loss that rose over a
  // checkpoint's 100 iterations halves the step (never seen on the authors' setting, a guard for others).
  let step = 10 / Math.max(featureBudget, classifierBudget);
  const [vh, vw] = [new Float64Array(K * p), new Float64Array(K * p)];
  let loss = Infinity;
  let checkpoint = Infinity;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const result = lossAndGradients(h, w, normalized, K, p);
    loss = result.loss;
    if (iterations % 100 === 0) {
      if (Math.abs(checkpoint - loss) < tolerance) break;
      if (loss > checkpoint) {
        step /= 2;
        vh.fill(0);
        vw.fill(0);
      }
      checkpoint = loss;
    }
    for (let i = 0; i < K * p; i++) {
      vh[i] = 0.9 * vh[i] - step * result.gh[i];
      vw[i] = 0.9 * vw[i] - step * result.gw[i];
      h[i] += vh[i];
      w[i] += vw[i];
    }
    projectOnBall(h, K, featureBudget);
    projectOnBall(w, K, classifierBudget);
  }
  return { h, w, dim: p, loss, iterations };
}

/** The LPM's mean cosine between minority classifiers at each R (the curve the network's value is set against). */
export function minorityCosineCurve(problem: Omit<LayerPeeledProblem, 'ratio'>, ratios: readonly number[]): number[] {
  return ratios.map((ratio) => {
    const solution = solveLayerPeeled({ ...problem, ratio });
    return minorityCosine(solution.w, problem.classes, solution.dim, problem.majority);
  });
}
