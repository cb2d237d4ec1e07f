/**
 * A network fitting MNIST digits (one-hot labels, mean squared error), measured by the filtering method (error
 * of the low- and high-frequency parts for each δ) and the projection method (relative error in bands of the
 * non-uniform DFT along the first principal direction).
 */
import * as tf from '@tensorflow/tfjs';
import { amplitudeOverOutputs, firstPrincipalDirection, gaussianSmoother, nudft, project, squaredDistances } from '../../core/analysis/highDimensional';
import { firstDigits, MNIST_CLASSES, MNIST_PIXELS, type Digits } from '../../core/data/mnist';
import { Mlp } from '../../core/models/mlp';
import { initParams, mlpFromNamed, mlpToNamed } from '../../core/models/mlpSpec';
import { meanSquaredError } from '../../core/objectives/objective';
import { filteringProbe, projectionAmplitudeProbe, projectionErrorProbe, type Projection } from '../../core/probes/highDimensional';
import { Run, type RunOptions } from '../../core/run/loop';
import type { FitInfo } from '../fit/info';
import { mnistNetwork, type MnistConfig } from './schema';

export function buildMnist(config: MnistConfig, allDigits: Digits, options: RunOptions = {}): Run<FitInfo> {
  const network = mnistNetwork(config);
  const initial = options.initial ?? mlpToNamed(initParams(network, config.seed));
  const digits = firstDigits(allDigits, config.data.samples);
  const n = digits.count;
  const inputs = Float32Array.from(digits.pixels, (byte) => byte / 255);
  const target = new Float32Array(n * MNIST_CLASSES);
  digits.labels.forEach((label, i) => (target[i * MNIST_CLASSES + label] = 1));

  const distances = squaredDistances(inputs, n, MNIST_PIXELS);
  const smoothers = config.analysis.deltas.map((delta) => gaussianSmoother(distances, n, delta));

  const { direction, mean } = firstPrincipalDirection(inputs, n, MNIST_PIXELS);
  const coordinate = project(inputs, n, MNIST_PIXELS, direction, mean);
  const { frequencies: count, maxFrequency, bands } = config.analysis;
  const frequencies = Array.from({ length: count + 1 }, (_, i) => (i * maxFrequency) / count);
  const targetSpectrum = nudft(coordinate, target, MNIST_CLASSES, frequencies);
  // Bands (edge, next edge] above k = 0: the mean (k = 0) is not a frequency to learn.
  const edges = Array.from({ length: bands + 1 }, (_, b) => (b * maxFrequency) / bands);
  const projection: Projection = {
    coordinate,
    frequencies,
    classes: MNIST_CLASSES,
    target: targetSpectrum,
    bands: edges.slice(1).map((upper, b) => frequencies.flatMap((k, i) => (k > edges[b] && k <= upper ? [i] : []))),
  };

  const model = new Mlp(network, mlpFromNamed(options.resumeFrom?.params ?? initial) ?? [], config.seed);
  const xs = tf.tensor2d(inputs, [n, MNIST_PIXELS]);
  const ys = tf.tensor2d(target, [n, MNIST_CLASSES]);
  return new Run<FitInfo>(
    {
      info: {
        inputs: MNIST_PIXELS,
        x: [],
        target: [],
        curveX: [],
        curveTarget: [],
        frequencies,
        targetAmplitude: Array.from(amplitudeOverOutputs(targetSpectrum, MNIST_CLASSES)),
        peaks: edges.slice(1).map((_, b) => b),
        bandEdges: edges,
        deltas: config.analysis.deltas,
        parameterCount: model.parameterCount,
      },
      model,
      initial,
      objective: meanSquaredError(xs, ys, (x, step) => model.forward(x, { training: true, step }).output),
      // n × 10 outputs are measured here, not drawn: no output probe keeps the messages small.
      readables: { output: ({ predict }) => predict(xs), loss: ({ read }) => tf.losses.meanSquaredError(ys, read('output')) },
      probes: [projectionErrorProbe(projection), projectionAmplitudeProbe(projection), filteringProbe(smoothers, n, MNIST_CLASSES, target)],
      guards: ['loss'],
      train: config.train,
      dispose: () => tf.dispose([xs, ys]),
    },
    options,
  );
}
