/**
 * Grokking on modular addition: the MLP and softmax cross-entropy on the training pairs (the CPU step takes it,
 * with AdamW's decoupled weight decay from the train settings), the whole table predicted at each snapshot for
 * the accuracies and the error by frequency.
 */
import * as tf from '@tensorflow/tfjs';
import { frequencyError, offDiagonalShare, softmaxRows } from '../../core/analysis/modularFrequency';
import { modularAddition } from '../../core/data/modular';
import { sampleIndices } from '../../core/data/parity';
import { Mlp } from '../../core/models/mlp';
import { initParams, mlpFromNamed, mlpToNamed } from '../../core/models/mlpSpec';
import { softmaxCrossEntropy } from '../../core/objectives/crossEntropy';
import type { Probe } from '../../core/probes/probe';
import { Run, type RunOptions } from '../../core/run/loop';
import { GENERALIZATION, OFF_DIAGONAL, TEST_FREQUENCY_ERROR, TRAIN_FREQUENCY_ERROR, type Generalization, type GrokkingInfo } from './measures';
import { grokkingNetwork, trainPairs, type GrokkingConfig } from './schema';

export function buildGrokking(config: GrokkingConfig, options: RunOptions = {}): Run<GrokkingInfo> {
  const p = config.data.modulus;
  const total = p * p;
  const { inputs, answers } = modularAddition(p);
  // The training pairs are drawn with the run's seed (the same seed draws the weights).
  const trainIndices = sampleIndices(total, trainPairs(config), config.seed);
  const inTraining = new Uint8Array(total);
  for (const i of trainIndices) inTraining[i] = 1;
  const testIndices = Array.from({ length: total }, (_, i) => i).filter((i) => !inTraining[i]);
  const network = grokkingNetwork(config);
  const initial = options.initial ?? mlpToNamed(initParams(network, config.seed));
  const model = new Mlp(network, mlpFromNamed(options.resumeFrom?.params ?? initial) ?? [], config.seed);
  const allXs = tf.tensor2d(inputs, [total, 2 * p]);
  const xs = tf.tidy(() => tf.gather(allXs, tf.tensor1d(trainIndices, 'int32')) as tf.Tensor2D);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(trainIndices.map((i) => answers[i]), 'int32'), p).toFloat() as tf.Tensor2D);

  /** Softmax of the whole table's logits, once per snapshot for all three probes. */
  const table = (logits: Float32Array, context: { shared<T>(key: string, make: () => T): T }) => context.shared('softmax', () => softmaxRows(logits, p));
  const generalization: Probe<Generalization> = {
    name: GENERALIZATION.name,
    needs: ['table'],
    compute: ({ table: logits }, context) => {
      const probabilities = table(logits, context);
      const right = (i: number) => {
        let best = 0;
        for (let c = 1; c < p; c++) if (logits[i * p + c] > logits[i * p + best]) best = c;
        return best === answers[i] ? 1 : 0;
      };
      const accuracy = (indices: readonly number[]) => indices.reduce((sum, i) => sum + right(i), 0) / indices.length;
      // A probability that underflows to 0 would give an infinite loss: the floor keeps the mean finite.
      const testLoss = testIndices.reduce((sum, i) => sum - Math.log(Math.max(probabilities[i * p + answers[i]], 1e-300)), 0) / testIndices.length;
      return { trainAccuracy: accuracy(trainIndices), testAccuracy: accuracy(testIndices), testLoss };
    },
  };
  const byFrequency = (name: string, indices: readonly number[]): Probe<number[]> => ({
    name,
    needs: ['table'],
    compute: ({ table: logits }, context) => frequencyError(table(logits, context), answers, p, indices),
  });

  const offDiagonal: Probe<number> = { name: OFF_DIAGONAL.name, needs: ['table'], compute: ({ table: logits }, context) => offDiagonalShare(table(logits, context), p) };
  // The answers on the training pairs alone (zero elsewhere): what the sparse sample shows of the task's spectrum.
  const sampled = new Float64Array(total * p);
  for (const i of trainIndices) sampled[i * p + answers[i]] = 1;

  return new Run<GrokkingInfo>(
    {
      info: { parameterCount: model.parameterCount, modulus: p, trainPairs: trainIndices.length, testPairs: testIndices.length, sampledOffDiagonal: offDiagonalShare(sampled, p) },
      model,
      initial,
      objective: softmaxCrossEntropy(xs, ys, (x, step) => model.forward(x, { training: true, step }).output, undefined, { handWritten: true }),
      readables: { table: ({ predict }) => predict(allXs), loss: ({ predict }) => tf.losses.softmaxCrossEntropy(ys, predict(xs)) },
      probes: [generalization, byFrequency(TEST_FREQUENCY_ERROR.name, testIndices), byFrequency(TRAIN_FREQUENCY_ERROR.name, trainIndices), offDiagonal],
      guards: ['loss'],
      train: config.train,
      dispose: () => tf.dispose([xs, ys, allXs]),
    },
    options,
  );
}
