/** The frequency principle on MNIST digits: the filtering and projection methods. */
import { NETWORK_LINKS } from '../../core/config/url';
import { parameterCount } from '../../core/models/mlpSpec';
import { FILTERING } from '../../core/probes/highDimensional';
import { readMlpWeights } from '../fit/network';
import { FIT_RECORD } from '../fit/record';
import type { Phenomenon } from '../types';
import { mnistNetwork, mnistSchema, type MnistConfig } from './schema';

export const fprincipleMnist: Phenomenon<MnistConfig> = {
  id: 'fprinciple-mnist',
  schema: mnistSchema,
  links: { ...NETWORK_LINKS, samples: 'data.samples', deltas: 'analysis.deltas' },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  prepare: async (config) => config,
  start: async (config, sources, options) => (await import('./build')).buildMnist(config, await sources.loadDigits(), options),
  readWeights: (input, config) => readMlpWeights(input, mnistNetwork(config)),
  stepCost: (config) => ({ parameters: parameterCount(mnistNetwork(config)), points: config.data.samples }),
  record: FIT_RECORD,
  progress: (snapshot, config) => {
    const filtering = FILTERING.of(snapshot);
    if (!filtering) return '';
    return `e_low/e_high ${config.analysis.deltas.map((delta, i) => `δ=${delta}: ${filtering.low[i].toFixed(3)}/${filtering.high[i].toFixed(3)}`).join('  ')}`;
  },
};
