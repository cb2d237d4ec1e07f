/** The frequency principle on MNIST digits: the filtering and projection methods. */
import { NETWORK_LINKS } from '../../core/config/url';
import { parameterCount } from '../../core/models/mlpSpec';
import { FILTERING } from '../../core/probes/highDimensional';
import { firstStepBelow } from '../../core/analysis/spectrum';
import { LEARNED } from '../fit/events';
import type { FitInfo } from '../fit/info';
import { readMlpWeights } from '../fit/network';
import { FIT_RECORD } from '../fit/record';
import type { Phenomenon, RunEvent } from '../types';
import { mnistNetwork, mnistSchema, type MnistConfig } from './schema';

export const fprincipleMnist: Phenomenon<MnistConfig, FitInfo> = {
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
  // When each δ's low- and high-frequency part was first fitted (relative error below LEARNED).
  events: ({ config, snapshots }) => {
    const steps = snapshots.map((s) => s.step);
    return config.analysis.deltas
      .flatMap((delta, i) =>
        (['low', 'high'] as const).flatMap((part): RunEvent[] => {
          const step = firstStepBelow(steps, snapshots.map((s) => FILTERING.of(s)?.[part][i] ?? Number.NaN), LEARNED);
          return step === null ? [] : [{ step, label: `${part}-frequency part fitted (δ = ${delta})` }];
        }),
      )
      .sort((a, b) => a.step - b.step);
  },
  headline: (snapshot, { config }) => {
    const filtering = FILTERING.of(snapshot);
    return filtering ? { label: `e_low · e_high (δ = ${config.analysis.deltas[0]})`, value: `${filtering.low[0].toFixed(2)} · ${filtering.high[0].toFixed(2)}` } : null;
  },
};
