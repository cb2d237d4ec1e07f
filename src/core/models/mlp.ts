/**
 * Fully connected network with initialization rate γ: every parameter of a layer with fan-in d_in is drawn
 * from N(0, (scale · d_in^−γ)²). Weights are drawn in JavaScript from a seeded generator, so the initial
 * network is identical on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { SMOOTH_ACTIVATION_NAMES, type ActivationName, type SmoothActivationName } from './activations';
import type { ForwardOptions, Model, NamedTensor } from './model';
import { mlpFromNamed, mlpToNamed, neuronScales, parameterCount, type LayerParams, type MlpSpec } from './mlpSpec';

export const ACTIVATION_FUNCTIONS: Record<ActivationName, (x: tf.Tensor) => tf.Tensor> = {
  tanh: (x) => tf.tanh(x),
  relu: (x) => tf.relu(x),
  sigmoid: (x) => tf.sigmoid(x),
  xtanh: (x) => tf.mul(x, tf.tanh(x)),
  x2tanh: (x) => tf.mul(tf.square(x), tf.tanh(x)),
  sin: (x) => tf.sin(x),
  srelu: (x) => tf.mul(tf.relu(x), tf.relu(tf.sub(1, x))),
  s2relu: (x) => tf.mul(tf.sin(tf.mul(2 * Math.PI, x)), tf.mul(tf.relu(x), tf.relu(tf.sub(1, x)))),
};

/** σ, σ′ and σ″ at z, for activations smooth enough to enter a loss with second derivatives. */
const SMOOTH_ACTIVATIONS: Record<SmoothActivationName, (z: tf.Tensor) => [tf.Tensor, tf.Tensor, tf.Tensor]> = {
  tanh: (z) => {
    const t = tf.tanh(z);
    const slope = tf.sub(1, tf.square(t));
    return [t, slope, tf.mul(-2, tf.mul(t, slope))];
  },
  sin: (z) => [tf.sin(z), tf.cos(z), tf.neg(tf.sin(z))],
  sigmoid: (z) => {
    const s = tf.sigmoid(z);
    const slope = tf.mul(s, tf.sub(1, s));
    return [s, slope, tf.mul(slope, tf.sub(1, tf.mul(2, s)))];
  },
};

/** The seed of the dropout mask of hidden layer `layer` at training step `step` of a run seeded `runSeed`. */
export const dropoutSeed = (runSeed: number, step: number, layer: number): number => (runSeed * 1_000_003 + step) * 31 + layer;

/**
 * The factors dropout multiplies hidden outputs by, [samples, width]: 0 (dropped) or 1 / (1 − rate), as tf.dropout
 * draws them for this seed; the CPU step takes the same factors, so both train the same network.
 */
export function dropoutFactors(shape: [number, number], rate: number, seed: number): tf.Tensor2D {
  const keep = 1 - rate;
  return tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep));
}

/** The network as tf variables; owns them until dispose(). */
export class Mlp implements Model {
  readonly weights: tf.Variable[];
  readonly biases: tf.Variable[];
  readonly parameterCount: number;
  private readonly activation: (x: tf.Tensor) => tf.Tensor;
  /** MscaleDNN: [1, m₀] input scales of the first layer's neurons (x·W scaled per neuron, bias not). */
  private readonly inputScales: tf.Tensor2D | null;

  /** `runSeed`: with (step, layer), seeds each training step's dropout masks, so a run replays exactly. */
  constructor(readonly spec: MlpSpec, params: readonly LayerParams[], readonly runSeed = 0) {
    // tidy frees the initial tensors; variables survive it.
    this.weights = params.map((p) => tf.tidy(() => tf.variable(tf.tensor2d(p.weights, [p.fanIn, p.fanOut]), true)));
    this.biases = params.map((p) => tf.tidy(() => tf.variable(tf.tensor1d(p.bias), true)));
    this.activation = ACTIVATION_FUNCTIONS[spec.activation];
    this.inputScales = spec.scales ? tf.tensor2d(neuronScales(spec.widths[0], spec.scales), [1, spec.widths[0]]) : null;
    this.parameterCount = parameterCount(spec);
  }

  get variables(): tf.Variable[] {
    return [...this.weights, ...this.biases];
  }

  /** The output; in training, hidden outputs are dropped at spec.dropout. Taps: `hidden{i}`, the i-th hidden layer's output. */
  forward(x: tf.Tensor, { training = false, step = 0, taps = [] }: ForwardOptions = {}): { output: tf.Tensor2D; taps: Record<string, tf.Tensor> } {
    return tf.tidy(() => {
      let h = x as tf.Tensor2D;
      const tapped: Record<string, tf.Tensor> = {};
      const last = this.weights.length - 1;
      const rate = training ? (this.spec.dropout ?? 0) : 0;
      this.weights.forEach((w, i) => {
        const scaled = i === 0 && this.inputScales;
        // On WebGPU the product and the bias are one dispatch; on the CPU backends the fused op is slower.
        const z = (
          !scaled && tf.getBackend() === 'webgpu'
            ? tf.fused.matMul({ a: h, b: w, bias: this.biases[i] })
            : tf.add(scaled ? tf.mul(tf.matMul(h, w), this.inputScales as tf.Tensor) : tf.matMul(h, w), this.biases[i])
        ) as tf.Tensor2D;
        if (i === last) {
          h = z;
        } else {
          const a = this.activation(z) as tf.Tensor2D;
          h = rate > 0 ? tf.mul(a, dropoutFactors(a.shape, rate, dropoutSeed(this.runSeed, step, i))) : a;
          if (taps.includes(`hidden${i}`)) tapped[`hidden${i}`] = h;
        }
      });
      return { output: h, taps: tapped };
    });
  }

  /** The output alone (inference). */
  predict(x: tf.Tensor2D): tf.Tensor2D {
    return this.forward(x).output;
  }

  param(name: string): tf.Tensor {
    const match = /^layer(\d+)\.(weights|bias)$/.exec(name);
    const layer = match ? Number(match[1]) : -1;
    const found = match && (match[2] === 'weights' ? this.weights : this.biases)[layer];
    if (!found) throw new Error(`the network has no parameter "${name}"`);
    return found;
  }

  /**
   * 1-D input: the output u and its derivatives u′, u″ in x at the rows of `x`, carried forward layer by
   * layer (z′ = a′W, a′ = σ′(z)z′, a″ = σ″(z)z′² + σ′(z)z″), so training on them needs only first-order gradients.
   */
  forwardWithDerivatives(x: tf.Tensor2D): { u: tf.Tensor2D; du: tf.Tensor2D; d2u: tf.Tensor2D } {
    const name = this.spec.activation;
    const smooth = (SMOOTH_ACTIVATION_NAMES as readonly ActivationName[]).includes(name) ? SMOOTH_ACTIVATIONS[name as SmoothActivationName] : null;
    if (!smooth || this.spec.inputDim !== 1) throw new Error(`derivatives need 1-D input and a smooth activation (${SMOOTH_ACTIVATION_NAMES.join(', ')})`);
    return tf.tidy(() => {
      let [a, da, d2a]: tf.Tensor[] = [x, tf.onesLike(x), tf.zerosLike(x)];
      const last = this.weights.length - 1;
      let out: tf.Tensor[] = [];
      this.weights.forEach((w, i) => {
        const scale = (t: tf.Tensor) => (i === 0 && this.inputScales ? tf.mul(t, this.inputScales) : t);
        const z = tf.add(scale(tf.matMul(a as tf.Tensor2D, w)), this.biases[i]);
        const [dz, d2z] = [scale(tf.matMul(da as tf.Tensor2D, w)), scale(tf.matMul(d2a as tf.Tensor2D, w))];
        if (i === last) {
          out = [z, dz, d2z];
          return;
        }
        const [s, ds, d2s] = smooth(z);
        [a, da, d2a] = [s, tf.mul(ds, dz), tf.add(tf.mul(d2s, tf.square(dz)), tf.mul(ds, d2z))];
      });
      const [u, du, d2u] = out as tf.Tensor2D[];
      return { u, du, d2u };
    });
  }

  /** Overwrites the variables (same shapes), e.g. to restart from the initial weights. */
  assign(params: readonly NamedTensor[]): void {
    this.assignLayers(mlpFromNamed(params) ?? []);
  }

  assignLayers(params: readonly LayerParams[]): void {
    if (params.length !== this.weights.length) throw new Error(`the network has ${this.weights.length} layers, the parameters ${params.length}`);
    params.forEach((p, i) => {
      tf.tidy(() => {
        this.weights[i].assign(tf.tensor2d(p.weights, [p.fanIn, p.fanOut]));
        this.biases[i].assign(tf.tensor1d(p.bias));
      });
    });
  }

  async read(): Promise<NamedTensor[]> {
    return mlpToNamed(await this.readLayers());
  }

  async readLayers(): Promise<LayerParams[]> {
    return Promise.all(
      this.weights.map(async (w, i) => ({
        fanIn: w.shape[0] as number,
        fanOut: w.shape[1] as number,
        weights: (await w.data()) as Float32Array,
        bias: (await this.biases[i].data()) as Float32Array,
      })),
    );
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
    this.inputScales?.dispose();
  }
}
