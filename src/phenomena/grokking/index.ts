/**
 * Grokking read in frequency: an MLP fits the training pairs of modular addition early and the test pairs much
 * later; the test error in the Fourier basis of Z_p shows which frequencies it has learned.
 */
import { z } from 'zod';
import { NETWORK_LINKS } from '../../core/config/url';
import { parameterCount } from '../../core/models/mlpSpec';
import { readMlpWeights } from '../fit/network';
import type { Phenomenon } from '../types';
import { GENERALIZATION, GROKKED, grokkingMoments, OFF_DIAGONAL, TEST_FREQUENCY_ERROR, TRAIN_FREQUENCY_ERROR, type GrokkingInfo } from './measures';
import { grokkingNetwork, grokkingSchema, trainPairs, type GrokkingConfig } from './schema';

const numbers = z.array(z.number().nullable());
export { FITTED, GROKKED } from './measures';

export const grokking: Phenomenon<GrokkingConfig, GrokkingInfo> = {
  id: 'grokking',
  schema: grokkingSchema,
  links: { ...NETWORK_LINKS, wd: 'train.weightDecay', p: 'data.modulus', fraction: 'data.trainFraction' },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  prepare: async (config) => config,
  start: async (config, _sources, options) => (await import('./build')).buildGrokking(config, options),
  readWeights: (input, config) => readMlpWeights(input, grokkingNetwork(config)),
  stepCost: (config) => ({ parameters: parameterCount(grokkingNetwork(config)), points: trainPairs(config) }),
  record: {
    info: z.object({ parameterCount: z.number().int().positive(), modulus: z.number().int(), trainPairs: z.number().int(), testPairs: z.number().int(), sampledOffDiagonal: z.number() }).strict(),
    metrics: z
      .object({
        [GENERALIZATION.name]: z.object({ trainAccuracy: z.number(), testAccuracy: z.number(), testLoss: z.number().nullable() }).strict(),
        [TEST_FREQUENCY_ERROR.name]: numbers,
        [TRAIN_FREQUENCY_ERROR.name]: numbers,
        [OFF_DIAGONAL.name]: z.number(),
      })
      .strict(),
  },
  // Its two moments: the training pairs fitted, and the test pairs much later.
  events: ({ snapshots }) => {
    const { steps, fits, fitted, grokked } = grokkingMoments(snapshots);
    return [
      ...(fitted === null ? [] : [{ step: fitted, label: `training pairs fitted; test accuracy ${fits[steps.indexOf(fitted)]!.testAccuracy.toFixed(2)}` }]),
      ...(grokked === null ? [] : [{ step: grokked, label: fitted ? `grokked: test accuracy ${GROKKED} at ${(grokked / fitted).toFixed(1)}× the fitting step` : `test accuracy ${GROKKED}` }]),
    ];
  },
  headline: (snapshot) => {
    const g = GENERALIZATION.of(snapshot);
    return g ? { label: 'accuracy train · test', value: `${g.trainAccuracy.toFixed(2)} · ${g.testAccuracy.toFixed(2)}` } : null;
  },
  progress: (snapshot) => {
    const g = GENERALIZATION.of(snapshot);
    const byK = TEST_FREQUENCY_ERROR.of(snapshot);
    return g ? `off-diagonal share ${OFF_DIAGONAL.of(snapshot)?.toFixed(3)}  train accuracy ${g.trainAccuracy.toFixed(3)}  test accuracy ${g.testAccuracy.toFixed(3)}  test loss ${g.testLoss.toFixed(3)}  test error by k ${byK?.map((e) => e.toFixed(2)).join(' ')}` : '';
  },
};
