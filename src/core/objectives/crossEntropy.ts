/**
 * Softmax cross-entropy of a classifier's logits to one-hot labels, averaged over the points, plus weight decay
 * (λ/2)·Σ‖θ‖² over the given variables: its gradient λθ is what PyTorch's SGD `weight_decay` adds (the
 * neural-collapse papers' protocol).
 */
import * as tf from '@tensorflow/tfjs';
import type { Objective } from './objective';
import { sumOfSquares } from '../train/adamw';

export interface WeightDecay {
  variables: readonly tf.Variable[];
  rate: number;
}

/**
 * `ys`: one-hot labels (n × K); `predict`: the logits at `xs` (the model in training mode). The data stay the caller's.
 * With `handWritten`, an MLP whose decay (if any) covers all its variables may train on the CPU step (stepper.ts),
 * which holds the weights outside the model's variables: the run's readables must then reach the weights through
 * their context (ReadContext), never through the model directly.
 */
export function softmaxCrossEntropy(xs: tf.Tensor2D, ys: tf.Tensor2D, predict: (xs: tf.Tensor2D, step: number) => tf.Tensor, decay?: WeightDecay, { handWritten = false } = {}): Objective {
  return {
    ...(handWritten ? { softmaxCrossEntropy: { xs, ys, weightDecay: decay?.rate ?? 0 } } : {}),
    loss: (step) =>
      tf.tidy(() => {
        const data = tf.losses.softmaxCrossEntropy(ys, predict(xs, step)) as tf.Scalar;
        if (!decay || decay.rate === 0) return data;
        const squares = sumOfSquares(decay.variables);
        return tf.add(data, tf.mul(decay.rate / 2, squares)) as tf.Scalar;
      }),
    dispose: () => {},
  };
}
