/**
 * A network fits parity on a random part of the hypercube: the MLP and the mean squared error on the training
 * points (the CPU step takes it), the network predicted on the whole cube at each snapshot for the test error and
 * for its spectrum along the all-ones direction.
 */
import * as tf from '@tensorflow/tfjs';
import { amplitudeOverOutputs, nudft, relativeErrorOverOutputs } from '../../core/analysis/highDimensional';
import { allOnesCoordinate, hypercube, parity, sampleIndices } from '../../core/data/parity';
import { Mlp } from '../../core/models/mlp';
import { initParams, mlpFromNamed, mlpToNamed } from '../../core/models/mlpSpec';
import { meanSquaredError } from '../../core/objectives/objective';
import type { Probe } from '../../core/probes/probe';
import { Run, type RunOptions } from '../../core/run/loop';
import { GENERALIZATION, PARITY_SPECTRA, TEST_FREQUENCY_ERROR, type Generalization, type ParityInfo, type ParitySpectra } from './measures';
import { parityNetwork, type ParityConfig } from './schema';

/** The amplitude of the non-uniform DFT of values y at positions t. */
const amplitude = (t: Float64Array, y: ArrayLike<number>, frequencies: number[]): number[] => Array.from(amplitudeOverOutputs(nudft(t, y, 1, frequencies), 1));

export function buildParity(config: ParityConfig, options: RunOptions = {}): Run<ParityInfo> {
  const { dimension: d, trainPoints } = config.data;
  const cube = hypercube(d);
  const total = 2 ** d;
  const target = parity(cube, d);
  const t = allOnesCoordinate(cube, d);
  // The training points are drawn with the run's seed (the same seed draws the weights).
  const trainIndices = sampleIndices(total, trainPoints, config.seed);
  const inTraining = new Uint8Array(total);
  for (const i of trainIndices) inTraining[i] = 1;
  const testIndices = Array.from({ length: total }, (_, i) => i).filter((i) => !inTraining[i]);
  const trainInputs = Float32Array.from(trainIndices.flatMap((i) => Array.from(cube.subarray(i * d, (i + 1) * d))));
  const trainT = Float64Array.from(trainIndices, (i) => t[i]);

  const { frequencies: count, maxFrequency } = config.analysis;
  const frequencies = Array.from({ length: count + 1 }, (_, i) => (i * maxFrequency) / count);
  // The test error by frequency, in equal bands of k up to the amplitude's period ½ (symmetric about ¼, so up to ¼), k = 0 left out.
  const { bands } = config.analysis;
  const bandEdges = Array.from({ length: bands + 1 }, (_, b) => (0.25 * b) / bands);
  const bandFrequencies = Array.from({ length: 5 * bands }, (_, i) => (0.25 * (i + 1)) / (5 * bands));
  const bandGroups = bandEdges.slice(1).map((upper, b) => bandFrequencies.flatMap((k, i) => (k > bandEdges[b] && k <= upper ? [i] : [])));
  const testT = Float64Array.from(testIndices, (i) => t[i]);
  const testSpectrum = nudft(testT, Float64Array.from(testIndices, (i) => target[i]), 1, bandFrequencies);
  const network = parityNetwork(config);
  const initial = options.initial ?? mlpToNamed(initParams(network, config.seed));
  const model = new Mlp(network, mlpFromNamed(options.resumeFrom?.params ?? initial) ?? [], config.seed);
  const xs = tf.tensor2d(trainInputs, [trainPoints, d]);
  const ys = tf.tensor2d(Float32Array.from(trainIndices, (i) => target[i]), [trainPoints, 1]);
  const allXs = tf.tensor2d(Float32Array.from(cube), [total, d]);

  const generalization: Probe<Generalization> = {
    name: GENERALIZATION.name,
    needs: ['cube'],
    compute: ({ cube: h }) => {
      const signRight = (i: number) => (Math.sign(h[i]) === target[i] ? 1 : 0);
      let [squared, right] = [0, 0];
      for (const i of testIndices) [squared, right] = [squared + (h[i] - target[i]) ** 2, right + signRight(i)];
      return { testLoss: squared / testIndices.length, testAccuracy: right / testIndices.length, trainAccuracy: trainIndices.reduce((sum, i) => sum + signRight(i), 0) / trainPoints };
    },
  };
  const spectra: Probe<ParitySpectra> = {
    name: PARITY_SPECTRA.name,
    needs: ['cube'],
    compute: ({ cube: h }) => ({ training: amplitude(trainT, Float64Array.from(trainIndices, (i) => h[i]), frequencies), full: amplitude(t, h, frequencies) }),
  };

  const testFrequency: Probe<number[]> = {
    name: TEST_FREQUENCY_ERROR.name,
    needs: ['cube'],
    compute: ({ cube: h }) => relativeErrorOverOutputs(testSpectrum, nudft(testT, Float64Array.from(testIndices, (i) => h[i]), 1, bandFrequencies), 1, bandGroups),
  };

  return new Run<ParityInfo>(
    {
      info: {
        parameterCount: model.parameterCount,
        dimension: d,
        trainPoints,
        testPoints: testIndices.length,
        frequencies,
        fullAmplitude: amplitude(t, target, frequencies),
        trainAmplitude: amplitude(trainT, Float64Array.from(trainIndices, (i) => target[i]), frequencies),
        bandEdges,
      },
      model,
      initial,
      objective: meanSquaredError(xs, ys, (x, step) => model.forward(x, { training: true, step }).output),
      readables: { cube: ({ predict }) => predict(allXs), loss: ({ predict }) => tf.losses.meanSquaredError(ys, predict(xs)) },
      probes: [generalization, spectra, testFrequency],
      guards: ['loss'],
      train: config.train,
      dispose: () => tf.dispose([xs, ys, allXs]),
    },
    options,
  );
}
