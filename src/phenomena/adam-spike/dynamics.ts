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
