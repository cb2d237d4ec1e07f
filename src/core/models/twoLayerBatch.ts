/**
 * Many two-layer ReLU networks f_b(x) = (1/α) Σ_k a_bk ReLU(w_bk · (x, 1)) trained at once as one batched
 * program (leading dimension b), for phase diagrams. Forward and backward are written out (two matmuls
 * each way), the whole step stays on the device, and nothing is read back between chunks of steps.
 *
 * Steps are gradient descent on L_b = (1/2n) Σ_i r_bi² with η_b(t) = η₀ · n / max(tr K_b(t), Σ_i |r_bi| ‖x̃_i‖),
 * K_b the network's tangent kernel on the data. The two terms bound the Hessian's two parts: the kernel part
 * (tr K / n) and the residual part, whose blocks ∂²L/∂a_k∂w_k = (1/n) Σ_i r_i 1(z_ik > 0) x̃_i are at most
 * (1/n) Σ_i |r_i| ‖x̃_i‖. So η_b λ_max ≤ 2η₀ and the steps follow the gradient flow (only rescaling its time)
 * whatever the initial scale; the weights where a run reaches its loss target are those of the flow. The
 * residual term matters from a small start, where tr K is tiny and a step set by it alone would multiply the
 * weights by far more than the flow does, and would spread the condensation out.
 */
import * as tf from '@tensorflow/tfjs';
import { normalSampler } from '../random';
import type { Model, NamedTensor } from './model';

export interface BatchSpec {
  /** Training inputs (1-D); the bias is folded in as a second input equal to 1. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  width: number;
  /** Per network: output-weight std β₁ and input-weight std β₂ (α = 1). */
  scales: { beta1: number; beta2: number }[];
  seed: number;
  /**
   * Antisymmetric initialization (Luo et al.'s code, ASI): the second half of the neurons copies the first
   * half's input weights with the output weights negated, so every network starts from output zero. The
   * width must then be even.
   */
  antisymmetric?: boolean;
  /** Normalized learning rate η₀ (below 1, η λ_max < 2 by the bound above). */
  eta0: number;
  /** A network stops (is frozen) once its loss falls below this. */
  lossTarget: number;
}

export interface BatchState {
  step: number;
  /** Networks still training. */
  active: number;
  loss: Float32Array;
  /** RD = ‖W(t) − W(0)‖ / ‖W(0)‖ of each network's input weights. */
  rd: Float32Array;
  /** Step at which each network reached the loss target (−1: not yet). */
  stoppedAt: Int32Array;
}

export class TwoLayerBatch implements Model {
  readonly size: number;
  private readonly n: number;
  private readonly xs: tf.Tensor3D;
  private readonly ys: tf.Tensor3D;
  private readonly xNormSq: tf.Tensor3D;
  private readonly xNorm: tf.Tensor3D;
  private readonly w0: tf.Tensor3D;
  /** Input weights [B, 2, m] (row 0 from x, row 1 the bias) and output weights [B, m, 1]. */
  readonly w: tf.Variable<tf.Rank.R3>;
  readonly a: tf.Variable<tf.Rank.R3>;
  private readonly active: tf.Variable<tf.Rank.R1>;
  private readonly stoppedAt: tf.Variable<tf.Rank.R1>;
  private currentStep = 0;

  constructor(private readonly spec: BatchSpec) {
    const { x, y, width: m, scales } = spec;
    this.size = scales.length;
    this.n = x.length;
    const B = this.size;
    // The same standard-normal draw for every network, scaled per network: cells differ only by scale.
    const sample = normalSampler(spec.seed);
    const drawn = spec.antisymmetric ? m / 2 : m;
    if (!Number.isInteger(drawn)) throw new Error(`antisymmetric initialization needs an even width, not ${m}`);
    const zw = Float32Array.from({ length: 2 * m }, () => sample(1));
    const za = Float32Array.from({ length: m }, () => sample(1));
    if (spec.antisymmetric) {
      // Input weights are [2, m] (row 0 from x, row 1 the bias): mirror each row's first half.
      for (const row of [0, m]) zw.copyWithin(row + drawn, row, row + drawn);
      for (let k = 0; k < drawn; k++) za[drawn + k] = -za[k];
    }
    const w = new Float32Array(B * 2 * m);
    const a = new Float32Array(B * m);
    scales.forEach(({ beta1, beta2 }, b) => {
      for (let j = 0; j < 2 * m; j++) w[b * 2 * m + j] = beta2 * zw[j];
      for (let k = 0; k < m; k++) a[b * m + k] = beta1 * za[k];
    });
    const inputs = new Float32Array(this.n * 2);
    for (let i = 0; i < this.n; i++) inputs.set([x[i], 1], 2 * i);
    this.xs = tf.tidy(() => tf.tile(tf.tensor3d(inputs, [1, this.n, 2]), [B, 1, 1]));
    this.ys = tf.tidy(() => tf.tile(tf.tensor3d(Float32Array.from(y), [1, this.n, 1]), [B, 1, 1]));
    this.xNormSq = tf.tidy(() => tf.sum(tf.square(this.xs), 2, true) as tf.Tensor3D);
    this.xNorm = tf.sqrt(this.xNormSq);
    this.w0 = tf.tensor3d(w, [B, 2, m]);
    this.w = tf.tidy(() => tf.variable(this.w0.clone(), true));
    this.a = tf.tidy(() => tf.variable(tf.tensor3d(a, [B, m, 1]), true));
    this.active = tf.tidy(() => tf.variable(tf.ones([B]), true));
    this.stoppedAt = tf.tidy(() => tf.variable(tf.fill([B], -1), true));
  }

  get step(): number {
    return this.currentStep;
  }

  /** Loss and gradients of every network, by the written-out backward pass. */
  gradients(): { loss: tf.Tensor1D; gradW: tf.Tensor3D; gradA: tf.Tensor3D; curvature: tf.Tensor1D } {
    return tf.tidy(() => {
      const z = tf.matMul(this.xs, this.w); // [B, n, m]
      const h = tf.relu(z);
      const residual = tf.sub(tf.matMul(h, this.a), this.ys); // [B, n, 1]
      const loss = tf.div(tf.sum(tf.square(residual), [1, 2]), 2 * this.n) as tf.Tensor1D;
      const dOut = tf.div(residual, this.n); // ∂L/∂f
      const gate = tf.cast(tf.greater(z, 0), 'float32');
      const gradA = tf.matMul(h, dOut, true, false) as tf.Tensor3D; // [B, m, 1]
      const dz = tf.mul(tf.matMul(dOut, this.a, false, true), gate); // [B, n, m]
      const gradW = tf.matMul(this.xs, dz, true, false) as tf.Tensor3D; // [B, 2, m]
      // tr K = Σ_i ‖∂f(x_i)/∂θ‖² = Σ_i Σ_k [ReLU(z_ik)² + a_k² 1(z_ik > 0) ‖x̃_i‖²]
      const aSq = tf.reshape(tf.square(this.a), [this.size, 1, -1]);
      const kernelTrace = tf.add(tf.sum(tf.square(h), [1, 2]), tf.sum(tf.mul(tf.mul(gate, aSq), this.xNormSq), [1, 2]));
      // n times the bound on the Hessian's largest eigenvalue (see the class comment).
      const curvature = tf.maximum(kernelTrace, tf.sum(tf.mul(tf.abs(residual), this.xNorm), [1, 2])) as tf.Tensor1D;
      return { loss, gradW, gradA, curvature };
    });
  }

  /** `count` steps on the device; networks below the loss target are frozen where they stand. */
  train(count: number): void {
    for (let i = 0; i < count; i++) {
      const step = this.currentStep + i;
      tf.tidy(() => {
        const { loss, gradW, gradA, curvature } = this.gradients();
        const reached = tf.mul(this.active, tf.cast(tf.less(loss, this.spec.lossTarget), 'float32'));
        this.stoppedAt.assign(tf.where(tf.greater(reached, 0), tf.fill([this.size], step), this.stoppedAt) as tf.Tensor1D);
        this.active.assign(tf.sub(this.active, reached) as tf.Tensor1D);
        const eta = tf.mul(tf.div(this.spec.eta0 * this.n, tf.maximum(curvature, 1e-30)), this.active).reshape([this.size, 1, 1]);
        this.w.assign(tf.sub(this.w, tf.mul(eta, gradW)) as tf.Tensor3D);
        this.a.assign(tf.sub(this.a, tf.mul(eta, gradA)) as tf.Tensor3D);
      });
    }
    this.currentStep += count;
  }

  /** One read-back: loss, RD, stop steps and how many still train. */
  async state(): Promise<BatchState> {
    const packed = tf.tidy(() => {
      const { loss } = this.gradients();
      const rd = tf.div(tf.norm(tf.sub(this.w, this.w0).reshape([this.size, -1]), 'euclidean', 1), tf.norm(this.w0.reshape([this.size, -1]), 'euclidean', 1));
      return tf.concat([loss, rd, this.stoppedAt, this.active]);
    });
    const values = await packed.data();
    packed.dispose();
    const B = this.size;
    const active = values.subarray(3 * B);
    return {
      step: this.currentStep,
      loss: Float32Array.from(values.subarray(0, B)),
      rd: Float32Array.from(values.subarray(B, 2 * B)),
      stoppedAt: Int32Array.from(values.subarray(2 * B, 3 * B)),
      active: Array.from(active).reduce((s, v) => s + v, 0),
    };
  }

  get variables(): tf.Variable[] {
    return [this.w, this.a];
  }

  get parameterCount(): number {
    return this.w.size + this.a.size;
  }

  /** Every network's output at the 1-D inputs `x` ([n, 1]): [B, n, 1]. */
  forward(x: tf.Tensor): { output: tf.Tensor3D; taps: Record<string, tf.Tensor> } {
    const output = tf.tidy(() => {
      const column = x.reshape([-1, 1]);
      const inputs = tf.tile(tf.concat([column, tf.onesLike(column)], 1).expandDims(0), [this.size, 1, 1]) as tf.Tensor3D;
      return tf.matMul(tf.relu(tf.matMul(inputs, this.w)), this.a) as tf.Tensor3D;
    });
    return { output, taps: {} };
  }

  /** "w": the input weights [B, 2, m] (row 1 the bias); "a": the output weights [B, m, 1]. */
  param(name: string): tf.Tensor {
    if (name === 'w') return this.w;
    if (name === 'a') return this.a;
    throw new Error(`the batched networks have no parameter "${name}"`);
  }

  assign(params: readonly NamedTensor[]): void {
    for (const { name, shape, values } of params) tf.tidy(() => (this.param(name) as tf.Variable).assign(tf.tensor(values, shape)));
  }

  async read(): Promise<NamedTensor[]> {
    return Promise.all([this.w, this.a].map(async (v, i) => ({ name: i === 0 ? 'w' : 'a', shape: v.shape, values: (await v.data()) as Float32Array })));
  }

  dispose(): void {
    tf.dispose([this.xs, this.ys, this.xNormSq, this.xNorm, this.w0, this.w, this.a, this.active, this.stoppedAt]);
  }
}
