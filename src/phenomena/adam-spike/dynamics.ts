/**
 * Adam on f(θ) = θ²/2 or θ⁴ in float64 (float32 underflows long before the spike): each step's loss, its
 * preconditioned curvature f″(θ)/(√v̂ + ε) against the stability bound of the momentum method, (2 + 2β₁)/((1 − β₁)η),
 * and g²/v̂. Once the gradient has shrunk, v̂ decays by β₂ a step, the preconditioned curvature grows past the
 * bound, and the loss climbs back from ~1e-320: an Adam spike. Gradient descent's curvature is f″ against 2/η.
 */
import type { AdamSpikeConfig } from './schema';

export interface AdamStep {
  step: number;
  theta: number;
  loss: number;
  /** f″(θ)/(√v̂ + ε) (Adam) or f″(θ) (gradient descent), at the step's start. */
  curvature: number;
  /** g²/v̂: how the newest gradient compares with the second-moment estimate (1 for gradient descent). */
  gradientRatio: number;
}

export interface AdamState {
  step: number;
  theta: number;
  m: number;
  v: number;
}

export const startState = (config: AdamSpikeConfig): AdamState => ({ step: 0, theta: config.objective.theta0, m: 0, v: 0 });

/** The momentum method's stability bound on the (preconditioned) curvature; 2/η without momentum. */
export function stabilityBound({ train }: AdamSpikeConfig): number {
  const beta1 = train.optimizer === 'adam' ? train.beta1 : 0;
  return (2 + 2 * beta1) / ((1 - beta1) * train.lr);
}

export function loss(power: 2 | 4, theta: number): number {
  return power === 2 ? (theta * theta) / 2 : theta ** 4;
}

/** One step from `state`, in place; returns what the step saw. */
export function step(config: AdamSpikeConfig, state: AdamState): AdamStep {
  const { power } = config.objective;
  const { optimizer, lr, beta1, beta2, epsilon } = config.train;
  const theta = state.theta;
  const g = power === 2 ? theta : 4 * theta ** 3;
  const hessian = power === 2 ? 1 : 12 * theta * theta;
  const t = state.step + 1;
  let curvature = hessian;
  let gradientRatio = 1;
  if (optimizer === 'adam') {
    state.m = beta1 * state.m + (1 - beta1) * g;
    state.v = beta2 * state.v + (1 - beta2) * g * g;
    const mHat = state.m / (1 - beta1 ** t);
    const vHat = state.v / (1 - beta2 ** t);
    const denominator = Math.sqrt(vHat) + epsilon;
    curvature = hessian / denominator;
    gradientRatio = vHat > 0 ? (g * g) / vHat : 0;
    state.theta = theta - (lr * mHat) / denominator;
  } else {
    state.theta = theta - lr * g;
  }
  state.step = t;
  return { step: t, theta: state.theta, loss: loss(power, state.theta), curvature, gradientRatio };
}

/** Where the loss climbs back: the first step of each excursion above `threshold` after the loss had fallen below it. */
export function spikeStarts(losses: readonly { step: number; loss: number }[], threshold: number): number[] {
  const starts: number[] = [];
  let below = false;
  for (const { step: at, loss: value } of losses) {
    if (value < threshold) below = true;
    else if (below) {
      starts.push(at);
      below = false;
    }
  }
  return starts;
}

/** How Adam behaves on θ⁴ at given (β₁, β₂): converges, spikes and recovers, or bounces around the minimum like sign descent. */
export type Regime = 'stable' | 'spiking' | 'oscillating';

/** θ and the loss after each step of a run. */
export interface Trajectory {
  theta: ArrayLike<number>;
  loss: ArrayLike<number>;
}

/** A spike: the loss more than this factor above its lowest settled value so far. */
const SPIKE_FACTOR = 100;
/** Sign descent bounces across the minimum: θ changes sign at this fraction of the last half's steps or more. */
const SIGN_CHANGE_RATE = 0.01;

/**
 * Classifies a run (the thresholds are the app's). Oscillating: θ keeps changing sign in the last half. Spiking:
 * once the loss has settled below `converged`, it climbs more than SPIKE_FACTOR above its lowest settled value.
 * "Settled" is the larger of two consecutive losses: θ passing through 0 makes one loss tiny, not two.
 */
export function classify(converged: number, { theta, loss: losses }: Trajectory): Regime {
  const n = losses.length;
  const half = Math.floor(n / 2);
  let signChanges = 0;
  for (let i = half + 1; i < n; i++) if (Math.sign(theta[i]) !== Math.sign(theta[i - 1])) signChanges++;
  if (signChanges >= SIGN_CHANGE_RATE * (n - half)) return 'oscillating';
  let settled = Infinity;
  for (let i = 1; i < n; i++) {
    if (settled < converged && losses[i] > SPIKE_FACTOR * settled) return 'spiking';
    settled = Math.min(settled, Math.max(losses[i], losses[i - 1]));
  }
  return 'stable';
}

/**
 * Converged, for the classifier: settled where |θ| < η/100. A step moves θ by about η while Adam is far from
 * converging, so two consecutive losses this low come from convergence, not from θ passing through 0.
 */
export const convergedLoss = (config: AdamSpikeConfig): number => loss(config.objective.power, config.train.lr / 100);

/** The (β₁, β₂) grid: regimes[i][j] for beta2s[i] and beta1s[j], each a run of `steps` Adam steps of `config` (its objective, η, ε, θ₀). */
export function regimeGrid(config: AdamSpikeConfig, beta1s: readonly number[], beta2s: readonly number[], steps: number): Regime[][] {
  const trajectory = { theta: new Float64Array(steps), loss: new Float64Array(steps) };
  return beta2s.map((beta2) =>
    beta1s.map((beta1) => {
      const cell: AdamSpikeConfig = { ...config, train: { ...config.train, optimizer: 'adam', beta1, beta2 } };
      const state = startState(cell);
      for (let i = 0; i < steps; i++) {
        const seen = step(cell, state);
        trajectory.theta[i] = seen.theta;
        trajectory.loss[i] = seen.loss;
      }
      return classify(convergedLoss(cell), trajectory);
    }),
  );
}

/** The page's grid (the app's choice): about 0.5 million float64 Adam steps, well under a second. */
export const REGIME_GRID = {
  beta1s: [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99],
  beta2s: [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 0.999],
  steps: 6000,
} as const;
