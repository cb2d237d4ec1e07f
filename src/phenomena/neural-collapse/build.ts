/**
 * A classifier MLP on Gaussian classes, trained with softmax cross-entropy and weight decay; the last hidden
 * layer is tapped as the features. The Layer-Peeled Model is solved for the same K, K_A at each configured R.
 */
import * as tf from '@tensorflow/tfjs';
import { cosineMatrix } from '../../core/analysis/collapse';
import { minorityCosineCurve, solveLayerPeeled } from '../../core/analysis/layerPeeled';
import { gaussianClasses, mnistClasses } from '../../core/data/gaussianClasses';
import type { Digits } from '../../core/data/mnist';
import { Mlp } from '../../core/models/mlp';
import { initParams, layerTensorName, mlpFromNamed, mlpToNamed } from '../../core/models/mlpSpec';
import { softmaxCrossEntropy } from '../../core/objectives/crossEntropy';
import { collapseProbe, geometryProbe } from '../../core/probes/collapse';
import { Run, type RunOptions } from '../../core/run/loop';
import type { CollapseInfo } from './info';
import { collapseNetwork, collapseTraining, type CollapseConfig } from './schema';

const oneHot = (labels: Int32Array, K: number) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), K).toFloat() as tf.Tensor2D);

/** `digits`: the shipped MNIST digits when the config names them. */
export function buildCollapse(config: CollapseConfig, digits: Digits | null, options: RunOptions = {}): Run<CollapseInfo> {
  const { data, imbalance } = config;
  const K = data.classes;
  const network = collapseNetwork(config);
  const initial = options.initial ?? mlpToNamed(initParams(network, config.seed));
  const { train, test } = digits ? mnistClasses(digits, { ...data, ...imbalance }) : gaussianClasses({ ...data, ...imbalance }, config.seed);
  const model = new Mlp(network, mlpFromNamed(options.resumeFrom?.params ?? initial) ?? [], config.seed);
  const xs = tf.tensor2d(train.x, [train.labels.length, network.inputDim]);
  const ys = oneHot(train.labels, K);
  const testXs = tf.tensor2d(test.x, [test.labels.length, network.inputDim]);
  const last = network.widths.length - 1;
  const tap = `hidden${last}`;

  const problem = { classes: K, majority: imbalance.majority, featureBudget: config.lpm.featureBudget, classifierBudget: config.lpm.classifierBudget };
  const atRatio = solveLayerPeeled({ ...problem, ratio: imbalance.ratio });
  const setting = {
    classes: K,
    majority: imbalance.majority,
    dim: network.widths[last],
    trainLabels: train.labels,
    testLabels: test.labels,
    classifier: layerTensorName(last + 1, 'weights'),
  };
  return new Run<CollapseInfo>(
    {
      info: {
        parameterCount: model.parameterCount,
        classes: K,
        majority: imbalance.majority,
        trainCounts: Array.from({ length: K }, (_, c) => train.labels.filter((label) => label === c).length),
        lpm: {
          ratios: config.lpm.ratios,
          minorityCosines: imbalance.majority < K - 1 ? minorityCosineCurve(problem, config.lpm.ratios) : [],
          classifierCosines: Array.from(cosineMatrix(atRatio.w, K, atRatio.dim)),
        },
      },
      model,
      initial,
      objective: softmaxCrossEntropy(xs, ys, (x, step) => model.forward(x, { training: true, step }).output, { variables: model.variables, rate: config.train.weightDecay }, { handWritten: true }),
      // The CPU step keeps the weights in its own memory: features come from the stepper's current model.
      readables: {
        output: ({ predict }) => predict(xs),
        features: ({ model: current }) => current().forward(xs, { taps: [tap] }).taps[tap],
        testOutput: ({ predict }) => predict(testXs),
        loss: ({ read }) => tf.losses.softmaxCrossEntropy(ys, read('output')),
      },
      probes: [collapseProbe(setting), geometryProbe(setting)],
      guards: ['loss'],
      train: collapseTraining(config),
      dispose: () => tf.dispose([xs, ys, testXs]),
    },
    options,
  );
}
