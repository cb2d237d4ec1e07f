/**
 * A network fitting MNIST digits, measured by the filtering method (error of the low- and high-frequency parts
 * for each δ) and the projection method (relative error in bands of the non-uniform DFT along the first
 * principal direction).
 */
import * as tf from '@tensorflow/tfjs';
import {
  amplitudeOverOutputs,
  firstPrincipalDirection,
  gaussianSmoother,
  lowHighErrors,
  nudft,
  project,
  relativeErrorOverOutputs,
  squaredDistances,
} from '../analysis/highDimensional';
import type { MnistConfig } from '../config/mnistSchema';
import { firstDigits, MNIST_CLASSES, MNIST_PIXELS, type Digits } from '../data/mnist';
import { parameterCount, type MlpSpec } from '../models/mlp';
import type { ExperimentInfo, Snapshot } from './session';
import { Trainer, type TrainerOptions } from './trainer';

export function mnistSpec(config: MnistConfig): MlpSpec {
  const { widths, activation, init, dropout, scales } = config.model;
  return { inputDim: MNIST_PIXELS, widths, outputDim: MNIST_CLASSES, activation, init, dropout, scales: scales ?? undefined };
}

export class MnistSession extends Trainer {
  readonly info: ExperimentInfo;
  private readonly xs: tf.Tensor2D;
  private readonly ys: tf.Tensor2D;
  private readonly target: Float32Array;
  private readonly smoothers: Float64Array[];
  private readonly coordinate: Float64Array;
  private readonly targetSpectrum: { re: Float64Array; im: Float64Array };
  /** Indices into info.frequencies of each band's frequencies. */
  private readonly bandIndices: number[][];

  constructor(readonly config: MnistConfig, allDigits: Digits, options: TrainerOptions = {}) {
    super(mnistSpec(config), config.seed, config.train, options);
    const digits = firstDigits(allDigits, config.data.samples);
    const n = digits.count;
    const inputs = Float32Array.from(digits.pixels, (byte) => byte / 255);
    this.target = new Float32Array(n * MNIST_CLASSES);
    digits.labels.forEach((label, i) => (this.target[i * MNIST_CLASSES + label] = 1));
    this.xs = tf.tensor2d(inputs, [n, MNIST_PIXELS]);
    this.ys = tf.tensor2d(this.target, [n, MNIST_CLASSES]);

    const distances = squaredDistances(inputs, n, MNIST_PIXELS);
    this.smoothers = config.analysis.deltas.map((delta) => gaussianSmoother(distances, n, delta));

    const { direction, mean } = firstPrincipalDirection(inputs, n, MNIST_PIXELS);
    this.coordinate = project(inputs, n, MNIST_PIXELS, direction, mean);
    const { frequencies: count, maxFrequency, bands } = config.analysis;
    const frequencies = Array.from({ length: count + 1 }, (_, i) => (i * maxFrequency) / count);
    this.targetSpectrum = nudft(this.coordinate, this.target, MNIST_CLASSES, frequencies);
    const targetAmplitude = amplitudeOverOutputs(this.targetSpectrum, MNIST_CLASSES);
    // Bands (edge, next edge] above k = 0: the mean (k = 0) is not a frequency to learn.
    const edges = Array.from({ length: bands + 1 }, (_, b) => (b * maxFrequency) / bands);
    this.bandIndices = edges.slice(1).map((upper, b) => frequencies.flatMap((k, i) => (k > edges[b] && k <= upper ? [i] : [])));
    this.info = {
      inputs: MNIST_PIXELS,
      x: [],
      target: [],
      curveX: [],
      curveTarget: [],
      frequencies,
      targetAmplitude: Array.from(targetAmplitude),
      peaks: edges.slice(1).map((_, b) => b),
      bandEdges: edges,
      deltas: config.analysis.deltas,
      parameterCount: parameterCount(this.spec),
    };
  }

  protected get meanSquaredErrorData(): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
    return { xs: this.xs, ys: this.ys };
  }

  protected loss(): tf.Scalar {
    return tf.losses.meanSquaredError(this.ys, this.model.forward(this.xs)) as tf.Scalar;
  }

  async snapshot(): Promise<Snapshot> {
    const packed = tf.tidy(() => {
      const output = this.predict(this.xs);
      return tf.concat([tf.losses.meanSquaredError(this.ys, output).reshape([1]), output.reshape([-1])]);
    });
    const values = await packed.data();
    packed.dispose();
    const output = values.subarray(1);
    const n = this.config.data.samples;
    const filtering = this.smoothers.map((weights) => lowHighErrors(weights, n, MNIST_CLASSES, this.target, output));
    const outputSpectrum = nudft(this.coordinate, output, MNIST_CLASSES, this.info.frequencies);
    return {
      step: this.currentStep,
      loss: values[0],
      // n × 10 outputs are measured here, not drawn: keep the message small.
      output: [],
      curve: [],
      metrics: {
        frequency: { k: this.info.peaks, relError: relativeErrorOverOutputs(this.targetSpectrum, outputSpectrum, MNIST_CLASSES, this.bandIndices) },
        outputAmplitude: Array.from(amplitudeOverOutputs(outputSpectrum, MNIST_CLASSES)),
        filtering: { low: filtering.map((e) => e.low), high: filtering.map((e) => e.high) },
      },
    };
  }

  protected disposeData(): void {
    tf.dispose([this.xs, this.ys]);
  }
}
