/**
 * Parity and aliasing (Xu et al., arXiv 1901.06523 §7): sampled sparsely, parity's high-frequency spectrum shows
 * artificial low frequencies; a network fits those first, reaches zero training error and generalizes badly.
 */
import { z } from 'zod';
import { NETWORK_LINKS } from '../../core/config/url';
import { parameterCount } from '../../core/models/mlpSpec';
import { readMlpWeights } from '../fit/network';
import type { Phenomenon } from '../types';
import { GENERALIZATION, PARITY_SPECTRA, TEST_FREQUENCY_ERROR } from './measures';
import { parityNetwork, paritySchema, type ParityConfig } from './schema';

const numbers = z.array(z.number().nullable());

export const parity: Phenomenon<ParityConfig> = {
  id: 'parity',
  schema: paritySchema,
  links: { ...NETWORK_LINKS, wd: 'train.weightDecay', dimension: 'data.dimension', trainPoints: 'data.trainPoints' },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  prepare: async (config) => config,
  start: async (config, _sources, options) => (await import('./build')).buildParity(config, options),
  readWeights: (input, config) => readMlpWeights(input, parityNetwork(config)),
  stepCost: (config) => ({ parameters: parameterCount(parityNetwork(config)), points: config.data.trainPoints }),
  record: {
    info: z
      .object({ parameterCount: z.number().int().positive(), dimension: z.number().int(), trainPoints: z.number().int(), testPoints: z.number().int(), frequencies: z.array(z.number()), fullAmplitude: z.array(z.number()), trainAmplitude: z.array(z.number()), bandEdges: z.array(z.number()) })
      .strict(),
    metrics: z
      .object({
        [GENERALIZATION.name]: z.object({ testLoss: z.number().nullable(), testAccuracy: z.number(), trainAccuracy: z.number() }).strict(),
        [PARITY_SPECTRA.name]: z.object({ training: numbers, full: numbers }).strict(),
        [TEST_FREQUENCY_ERROR.name]: numbers,
      })
      .strict(),
  },
  // Its moment: every training point's sign right, while the test points' stay near chance.
  events: ({ snapshots }) => {
    const fitted = snapshots.find((snapshot) => GENERALIZATION.of(snapshot)?.trainAccuracy === 1);
    return fitted ? [{ step: fitted.step, label: `training points fitted; test sign accuracy ${GENERALIZATION.of(fitted)!.testAccuracy.toFixed(2)}` }] : [];
  },
  headline: (snapshot) => {
    const g = GENERALIZATION.of(snapshot);
    return g ? { label: 'sign accuracy train · test', value: `${g.trainAccuracy.toFixed(2)} · ${g.testAccuracy.toFixed(2)}` } : null;
  },
  progress: (snapshot) => {
    const g = GENERALIZATION.of(snapshot);
    const bands = TEST_FREQUENCY_ERROR.of(snapshot);
    return g ? `test loss ${g.testLoss.toFixed(4)}  test sign accuracy ${g.testAccuracy.toFixed(3)}  train ${g.trainAccuracy.toFixed(3)}  test error by band ${bands?.map((e) => e.toFixed(2)).join(' ')}` : '';
  },
};
