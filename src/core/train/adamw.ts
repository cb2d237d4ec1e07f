/**
 * AdamW (Loshchilov & Hutter; PyTorch's torch.optim.AdamW), which tfjs lacks: the weight decay is decoupled from
 * the gradient, θ ← θ(1 − ηλ) − η m̂ / (√v̂ + ε), after the gradients are clipped to a global norm as
 * torch.nn.utils.clip_grad_norm_ does. The learning rate of each step comes from the caller (a schedule).
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** λ: each step multiplies the weights by 1 − ηλ. */
  weightDecay: number;
  /** Largest global gradient norm (0: no clipping). */
  clip: number;
}

/** PyTorch's defaults (β₁, β₂, ε). */
export const ADAMW_DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export interface WarmupCosine {
  /** Peak learning rate, reached at the end of the warm-up. */
  lr: number;
  /** Learning rate of the first step; it rises linearly to lr over `warmup` steps. */
  lrStart: number;
  /** Learning rate at the last step, after a half cosine from lr. */
  lrEnd: number;
  warmup: number;
  steps: number;
}

/** The learning rate of step `step` (0-based): linear warm-up, then a half cosine down to lrEnd at the last step. */
export function warmupCosine(step: number, s: WarmupCosine): number {
  if (step < s.warmup) return s.lrStart + ((s.lr - s.lrStart) * step) / s.warmup;
  const span = Math.max(1, s.steps - 1 - s.warmup);
  const progress = Math.min(1, (step - s.warmup) / span);
  return s.lrEnd + ((s.lr - s.lrEnd) * (1 + Math.cos(Math.PI * progress))) / 2;
}

/**
 * Σ‖t‖² over `tensors`, added two at a time: tf.addN of many tensors is one WebGPU program with a storage buffer per
 * input, past the 8 a stage may have (the default, which tfjs asks of every GPU): its pipeline is invalid and the sum silently wrong.
 */
export function sumOfSquares(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tensors.map((t) => tf.sum(tf.square(t))).reduce((total, square) => tf.add(total, square)) as tf.Scalar);
}

/** Gradients scaled so that their global norm is at most `clip` (PyTorch: coefficient clip / (norm + 1e-6), capped at 1); no read-back. */
export function clipByGlobalNorm(gradients: tf.Tensor[], clip: number): tf.Tensor[] {
  if (clip <= 0) return gradients;
  return tf.tidy(() => {
    const norm = tf.sqrt(sumOfSquares(gradients));
    const coefficient = tf.minimum(1, tf.div(clip, tf.add(norm, 1e-6)));
    return gradients.map((g) => tf.mul(g, coefficient));
  });
}

/** AdamW's state after some steps: the step count (its bias corrections) and both moments of each variable, in order. */
export interface AdamWState {
  steps: number;
  m: Float32Array[];
  v: Float32Array[];
}

export class AdamW {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private count = 0;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly settings: AdamWSettings,
  ) {
    this.m = variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = variables.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /** Steps taken since the start (or the last reset). */
  get steps(): number {
    return this.count;
  }

  /** One step with `gradients` (in the order of the variables, unclipped) at learning rate `lr`. */
  apply(gradients: readonly tf.Tensor[], lr: number): void {
    const { beta1, beta2, epsilon, weightDecay, clip } = this.settings;
    this.count += 1;
    // Bias corrections in double, as PyTorch computes them in Python.
    const stepSize = lr / (1 - beta1 ** this.count);
    const root = Math.sqrt(1 - beta2 ** this.count);
    tf.tidy(() => {
      const clipped = clipByGlobalNorm([...gradients], clip);
      this.variables.forEach((x, i) => {
        const g = clipped[i];
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const decayed = tf.mul(x, 1 - lr * weightDecay);
        x.assign(tf.sub(decayed, tf.div(tf.mul(m, stepSize), tf.add(tf.div(tf.sqrt(v), root), epsilon))));
      });
    });
  }

  /** The state to continue from elsewhere (one read-back). */
  async read(): Promise<AdamWState> {
    const values = await Promise.all([...this.m, ...this.v].map(async (s) => (await s.data()) as Float32Array));
    return { steps: this.count, m: values.slice(0, this.m.length), v: values.slice(this.m.length) };
  }

  /** Continues from `state` (read from an AdamW over variables of the same shapes). */
  restore(state: AdamWState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) throw new Error(`an AdamW state for ${state.m.length} variables cannot continue one of ${this.m.length}`);
    this.count = state.steps;
    tf.tidy(() => {
      this.m.forEach((s, i) => s.assign(tf.tensor(state.m[i], s.shape)));
      this.v.forEach((s, i) => s.assign(tf.tensor(state.v[i], s.shape)));
    });
  }

  /** Fresh moments (back to the initial weights). */
  reset(): void {
    this.count = 0;
    tf.tidy(() => [...this.m, ...this.v].forEach((s) => s.assign(tf.zerosLike(s))));
  }

  dispose(): void {
    [...this.m, ...this.v].forEach((s) => s.dispose());
  }
}
