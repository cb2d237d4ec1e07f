/**
 * A decoder-only transformer on token sequences, predicting at the last position: token and learned position
 * embeddings, causal self-attention (heads × d_k, no biases in Q, K, V, O), a ReLU feed-forward layer without
 * biases, residuals and LayerNorm after each (post-LN, as in the authors' code of arXiv 2405.05409) or before
 * (pre-LN, with a final LayerNorm), and a linear read-out to the vocabulary. Every weight matrix is drawn from
 * N(0, d_in^−2γ), d_in its fan-in (d_model for the embeddings, as the authors do): the initialization rate γ.
 * Weights are drawn in JavaScript from a seeded generator, so the network is the same on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { normalSampler } from '../random';
import type { ForwardOptions, Model, NamedTensor } from './model';

export interface TransformerSpec {
  vocabulary: number;
  /** Positions the position embedding holds (the longest input). */
  positions: number;
  dModel: number;
  dFeedForward: number;
  heads: number;
  /** Per head, for queries, keys and values. */
  dK: number;
  layers: number;
  norm: 'post' | 'pre';
  /** std = scale · d_in^−γ. */
  init: { gamma: number; scale: number };
}

/** Every parameter's name, shape and fan-in (0: a LayerNorm gain (ones) or a bias (zeros)), in one order. */
export function transformerShapes(spec: TransformerSpec): { name: string; shape: number[]; fanIn: number; fill?: 1 }[] {
  const { vocabulary, positions, dModel: d, dFeedForward: f, heads, dK, layers } = spec;
  const hk = heads * dK;
  const norm = (name: string) => [
    { name: `${name}.gain`, shape: [d], fanIn: 0, fill: 1 as const },
    { name: `${name}.bias`, shape: [d], fanIn: 0 },
  ];
  return [
    { name: 'embedding.token', shape: [vocabulary, d], fanIn: d },
    { name: 'embedding.position', shape: [positions, d], fanIn: d },
    ...Array.from({ length: layers }, (_, i) => [
      { name: `block${i}.attention.query`, shape: [d, hk], fanIn: d },
      { name: `block${i}.attention.key`, shape: [d, hk], fanIn: d },
      { name: `block${i}.attention.value`, shape: [d, hk], fanIn: d },
      { name: `block${i}.attention.output`, shape: [hk, d], fanIn: hk },
      ...norm(`block${i}.norm1`),
      { name: `block${i}.ffn.in`, shape: [d, f], fanIn: d },
      { name: `block${i}.ffn.out`, shape: [f, d], fanIn: f },
      ...norm(`block${i}.norm2`),
    ]).flat(),
    ...(spec.norm === 'pre' ? norm('final.norm') : []),
    { name: 'head.weights', shape: [d, vocabulary], fanIn: d },
    { name: 'head.bias', shape: [vocabulary], fanIn: 0 },
  ];
}

/** The seeded initial weights; biases start at zero and LayerNorm gains at one. */
export function initTransformer(spec: TransformerSpec, seed: number): NamedTensor[] {
  const sample = normalSampler(seed);
  return transformerShapes(spec).map(({ name, shape, fanIn, fill }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const std = spec.init.scale * fanIn ** -spec.init.gamma;
    return { name, shape, values: Float32Array.from({ length: size }, () => (fanIn ? sample(std) : (fill ?? 0))) };
  });
}

/** PyTorch's LayerNorm ε, so the reference and the app compute the same normalization. */
const LAYER_NORM_EPSILON = 1e-5;

export class Transformer implements Model {
  readonly variables: tf.Variable[];
  readonly parameterCount: number;
  private readonly byName: Map<string, tf.Variable>;
  /** −1e9 above the diagonal: position t attends to positions ≤ t. */
  private readonly causalMask: tf.Tensor2D;

  constructor(
    readonly spec: TransformerSpec,
    params: readonly NamedTensor[],
  ) {
    const shapes = transformerShapes(spec);
    // Unnamed variables: tfjs registers names globally, and two runs share a worker.
    this.byName = new Map(shapes.map(({ name, shape }) => [name, tf.tidy(() => tf.variable(tf.zeros(shape), true))]));
    this.variables = [...this.byName.values()];
    this.parameterCount = shapes.reduce((sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1), 0);
    this.assign(params);
    const T = spec.positions;
    this.causalMask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9) as tf.Tensor2D);
  }

  param(name: string): tf.Tensor {
    const found = this.byName.get(name);
    if (!found) throw new Error(`the transformer has no parameter "${name}"`);
    return found;
  }

  private layerNorm(x: tf.Tensor2D, name: string): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    const normal = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LAYER_NORM_EPSILON)));
    return tf.add(tf.mul(normal, this.param(`${name}.gain`)), this.param(`${name}.bias`)) as tf.Tensor2D;
  }

  /**
   * Causal self-attention of block i on h ([B·T, d]); returns [B·T, d] and the attention probabilities
   * [B, heads, T, T].
   */
  private attention(h: tf.Tensor2D, i: number, B: number, T: number): { out: tf.Tensor2D; probabilities: tf.Tensor4D } {
    const { heads, dK } = this.spec;
    const split = (w: string) => tf.transpose(tf.reshape(tf.matMul(h, this.param(`block${i}.attention.${w}`) as tf.Tensor2D), [B, T, heads, dK]), [0, 2, 1, 3]) as tf.Tensor4D;
    const [q, k, v] = [split('query'), split('key'), split('value')];
    const mask = T === this.spec.positions ? this.causalMask : tf.slice(this.causalMask, [0, 0], [T, T]);
    const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(dK)), mask);
    const probabilities = tf.softmax(scores) as tf.Tensor4D;
    const mixed = tf.reshape(tf.transpose(tf.matMul(probabilities, v), [0, 2, 1, 3]), [B * T, heads * dK]) as tf.Tensor2D;
    return { out: tf.matMul(mixed, this.param(`block${i}.attention.output`) as tf.Tensor2D), probabilities };
  }

  /**
   * `x`: int32 tokens [B, T]. Output: the logits at the last position [B, vocabulary]. Taps: `attention{i}`, block
   * i's attention probabilities [B, heads, T, T].
   */
  forward(x: tf.Tensor, { taps = [] }: ForwardOptions = {}): { output: tf.Tensor2D; taps: Record<string, tf.Tensor> } {
    const [B, T] = x.shape as [number, number];
    return tf.tidy(() => {
      const tapped: Record<string, tf.Tensor> = {};
      const d = this.spec.dModel;
      const positions = tf.slice(this.param('embedding.position'), [0, 0], [T, d]);
      // A one-hot product rather than gather: gather's gradient (UnsortedSegmentSum) is missing on tfjs-wasm.
      const embedded = tf.matMul(tf.oneHot(tf.reshape(x, [B * T]), this.spec.vocabulary), this.param('embedding.token') as tf.Tensor2D);
      let h = tf.reshape(tf.add(tf.reshape(embedded, [B, T, d]), positions), [B * T, d]) as tf.Tensor2D;
      const pre = this.spec.norm === 'pre';
      for (let i = 0; i < this.spec.layers; i++) {
        const { out, probabilities } = this.attention(pre ? this.layerNorm(h, `block${i}.norm1`) : h, i, B, T);
        if (taps.includes(`attention${i}`)) tapped[`attention${i}`] = probabilities;
        h = pre ? tf.add(h, out) : this.layerNorm(tf.add(h, out), `block${i}.norm1`);
        const inner = tf.relu(tf.matMul(pre ? this.layerNorm(h, `block${i}.norm2`) : h, this.param(`block${i}.ffn.in`) as tf.Tensor2D));
        const ffn = tf.matMul(inner, this.param(`block${i}.ffn.out`) as tf.Tensor2D);
        h = pre ? tf.add(h, ffn) : this.layerNorm(tf.add(h, ffn), `block${i}.norm2`);
      }
      // Only the last position is predicted: read it out alone.
      let last = tf.reshape(tf.slice(tf.reshape(h, [B, T, d]), [0, T - 1, 0], [B, 1, d]), [B, d]) as tf.Tensor2D;
      if (pre) last = this.layerNorm(last, 'final.norm');
      const output = tf.add(tf.matMul(last, this.param('head.weights') as tf.Tensor2D), this.param('head.bias')) as tf.Tensor2D;
      return { output, taps: tapped };
    });
  }

  assign(params: readonly NamedTensor[]): void {
    for (const { name, shape } of transformerShapes(this.spec)) {
      const given = params.find((p) => p.name === name);
      if (!given || given.values.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`the transformer's parameter "${name}" (${shape.join(' × ')}) is missing or of another size`);
      tf.tidy(() => (this.byName.get(name) as tf.Variable).assign(tf.tensor(given.values, shape)));
    }
  }

  async read(): Promise<NamedTensor[]> {
    return Promise.all([...this.byName].map(async ([name, v]) => ({ name, shape: v.shape, values: (await v.data()) as Float32Array })));
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
    this.causalMask.dispose();
  }
}
