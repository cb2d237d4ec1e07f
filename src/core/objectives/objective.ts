/**
 * What a run minimizes, bound to its model: the loss of each step inside the optimizer's tape. The mean squared
 * error to fixed data is the case the hand-written steps (CPU, GPU) know, so it says so.
 */
import * as tf from '@tensorflow/tfjs';

export interface Objective {
  /** The loss of step `step` (0-based). */
  loss(step: number): tf.Scalar;
  /** Set when every step's loss is the mean squared error of the model's output (in training, dropout included) at `xs` to `ys`. */
  readonly meanSquaredError?: { xs: tf.Tensor2D; ys: tf.Tensor2D };
  /**
   * Set when every step's loss is the softmax cross-entropy of the model's logits at `xs` to one-hot `ys`, plus
   * (weightDecay/2)·‖θ‖² over all the model's parameters, and the run lets the CPU step train it (see crossEntropy.ts).
   */
  readonly softmaxCrossEntropy?: { xs: tf.Tensor2D; ys: tf.Tensor2D; weightDecay: number };
  dispose(): void;
}

/** The mean squared error of `predict(xs, step)` (the model in training mode) to `ys`; the data stay the caller's. */
export function meanSquaredError(xs: tf.Tensor2D, ys: tf.Tensor2D, predict: (xs: tf.Tensor2D, step: number) => tf.Tensor): Objective {
  return { loss: (step) => tf.losses.meanSquaredError(ys, predict(xs, step)) as tf.Scalar, meanSquaredError: { xs, ys }, dispose: () => {} };
}

/** `first` until step `at`, then `second` (the loss switch); never the hand-written steps' case. */
export function switchAt(first: Objective, second: Objective, at: number): Objective {
  return {
    loss: (step) => (step < at ? first : second).loss(step),
    dispose: () => {
      first.dispose();
      second.dispose();
    },
  };
}
