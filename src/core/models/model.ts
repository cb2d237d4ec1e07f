/**
 * What every trainable network offers the run loop, its steppers and its probes: an MLP, the batched two-layer
 * networks of a sweep, a transformer. Parameters travel as named tensors, so a probe asks for "layer0.weights"
 * or "block1.attention.query" without knowing the architecture.
 */
import type * as tf from '@tensorflow/tfjs';

/** One parameter tensor, row-major. */
export interface NamedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface ForwardOptions {
  /** Training mode (dropout on); `step` seeds its masks so that a run replays exactly. */
  training?: boolean;
  step?: number;
  /** Intermediate tensors to return beside the output, by name (e.g. "hidden0": the first hidden layer's activations). */
  taps?: readonly string[];
}

export interface Model {
  readonly variables: tf.Variable[];
  /** Number of trainable scalars. */
  readonly parameterCount: number;
  forward(x: tf.Tensor, options?: ForwardOptions): { output: tf.Tensor; taps: Record<string, tf.Tensor> };
  /** A parameter by name (the model's own variable: do not dispose). */
  param(name: string): tf.Tensor;
  /** Overwrites every parameter (same names and shapes). */
  assign(params: readonly NamedTensor[]): void;
  read(): Promise<NamedTensor[]>;
  dispose(): void;
}
