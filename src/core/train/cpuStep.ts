/**
 * The training step on the CPU backends (WASM, CPU) without the gradient tape: forward, a hand-written backward
 * and the optimizer on one flat Float32Array of parameters. About 4× faster than the tape for our networks,
 * because in tfjs-wasm:
 * - a matmul with a transposed operand (what the tape's matMul gradient calls) runs about 13× slower than a
 *   plain one, so the backward transposes explicitly and multiplies plainly;
 * - tanh is scalar while sigmoid is vectorized, so tanh runs as 2·sigmoid(2z) − 1.
 * Adam is one JavaScript loop over the flat parameters: as fast as the dozen tfjs ops it replaces, and the
 * parameters stay in one array that uploads each layer as a view. A test checks the loss curves agree with the tape's.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationName } from '../models/activations';
import { ACTIVATION_FUNCTIONS, type LayerParams } from '../models/mlp';
import type { TrainSettings } from './trainer';

/** The derivative of each activation the hand-written backward knows, as a function of z and a = σ(z). */
const SLOPES: Partial<Record<ActivationName, (z: tf.Tensor, a: tf.Tensor) => tf.Tensor>> = {
  tanh: (_, a) => tf.sub(1, tf.square(a)),
  relu: (z) => tf.step(z),
  sigmoid: (_, a) => tf.mul(a, tf.sub(1, a)),
  sin: (z) => tf.cos(z),
};

/** The model's activations, but tanh as 2·sigmoid(2z) − 1: XNNPACK's sigmoid is vectorized, its tanh is not. */
const forwardOf = (name: ActivationName) => (name === 'tanh' ? (z: tf.Tensor) => tf.sub(tf.mul(2, tf.sigmoid(tf.mul(2, z))), 1) : ACTIVATION_FUNCTIONS[name]);

const [ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON] = [0.9, 0.999, 1e-8];

/** One Adam step in place; a plain function over typed arrays, which the JIT compiles tightest. */
function adamUpdate(params: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, stepSize: number, inverseCorrection: number): void {
  const [b1, b2, a1, a2, eps] = [ADAM_BETA1, ADAM_BETA2, 1 - ADAM_BETA1, 1 - ADAM_BETA2, ADAM_EPSILON];
  for (let i = 0; i < params.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + a1 * gi;
    const vi = b2 * v[i] + a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    params[i] -= (stepSize * mi) / (Math.sqrt(vi) * inverseCorrection + eps);
  }
}

const CPU_STEP_BACKENDS = ['wasm', 'cpu'];

/** Whether a run can take the CPU step: a plain MLP (no input scales, no dropout) with a known activation, on a CPU backend. */
export function cpuStepApplies(activation: ActivationName, plain: boolean): boolean {
  return plain && activation in SLOPES && CPU_STEP_BACKENDS.includes(tf.getBackend());
}

export class CpuStep {
  /** All weights and biases, layer by layer (weights row-major [fanIn, fanOut], then bias). */
  private readonly params: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  private readonly layers: { fanIn: number; fanOut: number; offset: number }[];
  private readonly act: { forward: (z: tf.Tensor) => tf.Tensor; slope: (z: tf.Tensor, a: tf.Tensor) => tf.Tensor };

  constructor(
    start: readonly LayerParams[],
    activation: ActivationName,
    private readonly train: TrainSettings,
    private readonly xs: tf.Tensor2D,
    private readonly ys: tf.Tensor2D,
  ) {
    let offset = 0;
    this.layers = start.map((p) => {
      const layer = { fanIn: p.fanIn, fanOut: p.fanOut, offset };
      offset += p.weights.length + p.bias.length;
      return layer;
    });
    this.params = new Float32Array(offset);
    this.m = new Float32Array(offset);
    this.v = new Float32Array(offset);
    this.load(start);
    const slope = SLOPES[activation];
    if (!slope) throw new Error(`the CPU step has no derivative of ${activation}`);
    this.act = { forward: forwardOf(activation), slope };
  }

  /** Sets the parameters (and clears the optimizer's state). */
  load(params: readonly LayerParams[]): void {
    params.forEach((p, i) => {
      this.params.set(p.weights, this.layers[i].offset);
      this.params.set(p.bias, this.layers[i].offset + p.weights.length);
    });
    this.m.fill(0);
    this.v.fill(0);
    this.t = 0;
  }

  /** The current parameters per layer (copies). */
  read(): LayerParams[] {
    return this.layers.map(({ fanIn, fanOut, offset }) => ({
      fanIn,
      fanOut,
      weights: this.params.slice(offset, offset + fanIn * fanOut),
      bias: this.params.slice(offset + fanIn * fanOut, offset + fanIn * fanOut + fanOut),
    }));
  }

  /** One full-batch step of mean squared error. */
  step(): void {
    const gradient = tf.tidy(() => {
      const W = this.layers.map(({ fanIn, fanOut, offset }) => tf.tensor2d(this.params.subarray(offset, offset + fanIn * fanOut), [fanIn, fanOut]));
      const B = this.layers.map(({ fanIn, fanOut, offset }) => tf.tensor1d(this.params.subarray(offset + fanIn * fanOut, offset + fanIn * fanOut + fanOut)));
      const last = this.layers.length - 1;
      const inputs: tf.Tensor2D[] = [this.xs];
      const pre: tf.Tensor2D[] = [];
      for (let i = 0; i <= last; i++) {
        pre.push(tf.add(tf.matMul(inputs[i], W[i]), B[i]));
        if (i < last) inputs.push(this.act.forward(pre[i]) as tf.Tensor2D);
      }
      // d(mean (h − y)²)/dh
      let dZ = tf.mul(tf.sub(pre[last], this.ys), 2 / this.ys.size) as tf.Tensor2D;
      const parts: tf.Tensor[] = new Array(2 * this.layers.length);
      for (let i = last; i >= 0; i--) {
        parts[2 * i] = tf.matMul(tf.transpose(inputs[i]), dZ).reshape([-1]);
        parts[2 * i + 1] = tf.sum(dZ, 0);
        // dZ·Wᵀ as (W·dZᵀ)ᵀ: two transposes of the small dZ-sized matrices are cheaper than one of W.
        if (i > 0) dZ = tf.mul(tf.transpose(tf.matMul(W[i], tf.transpose(dZ))), this.act.slope(pre[i - 1], inputs[i])) as tf.Tensor2D;
      }
      return tf.concat(parts);
    });
    const g = gradient.dataSync() as Float32Array;
    gradient.dispose();
    this.update(g);
  }

  /** Adam as PyTorch computes it (ε outside the square root, bias corrections), or plain SGD. */
  private update(g: Float32Array): void {
    const { params, m, v } = this;
    const { lr } = this.train;
    if (this.train.optimizer === 'sgd') {
      for (let i = 0; i < params.length; i++) params[i] -= lr * g[i];
      return;
    }
    this.t++;
    adamUpdate(params, m, v, g, lr / (1 - ADAM_BETA1 ** this.t), 1 / Math.sqrt(1 - ADAM_BETA2 ** this.t));
  }
}
