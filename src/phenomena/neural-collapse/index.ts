/** Neural collapse and minority collapse, with the Layer-Peeled Model solved beside the network. */
import { NETWORK_LINKS } from '../../core/config/url';
import { COLLAPSE } from '../../core/probes/collapse';
import { readMlpWeights } from '../fit/network';
import type { Phenomenon } from '../types';
import { COLLAPSE_RECORD, type CollapseInfo } from './info';
import { collapseNetwork, collapseSchema, type CollapseConfig } from './schema';

export const neuralCollapse: Phenomenon<CollapseConfig, CollapseInfo> = {
  id: 'neural-collapse',
  schema: collapseSchema,
  links: {
    ...NETWORK_LINKS,
    classes: 'data.classes',
    majority: 'imbalance.majority',
    perClass: 'data.perClass',
    ratio: 'imbalance.ratio',
    separation: 'data.separation',
    centres: 'data.centres',
    dataset: 'data.dataset',
    spread: 'data.spread',
    momentum: 'train.momentum',
    wd: 'train.weightDecay',
  },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  prepare: async (config) => config,
  start: async (config, sources, options) => (await import('./build')).buildCollapse(config, config.data.dataset === 'mnist' ? await sources.loadDigits() : null, options),
  readWeights: (input, config) => readMlpWeights(input, collapseNetwork(config)),
  record: COLLAPSE_RECORD,
  progress: (snapshot) => {
    const m = COLLAPSE.of(snapshot);
    if (!m) return '';
    const minority = Number.isFinite(m.minorityCosine) ? `  minority cos ${m.minorityCosine.toFixed(3)}` : '';
    return `NC1 ${m.nc1.toExponential(2)}  classifier cos ${m.classifierCosine.toFixed(3)}  NC3 ${m.nc3.toFixed(3)}  NC4 ${m.nc4.toFixed(3)}  train error ${m.trainError.toFixed(3)}${minority}`;
  },
  // The terminal phase starts at zero training error: from there on the features collapse.
  events: ({ snapshots }) => {
    const zero = snapshots.find((s) => COLLAPSE.of(s)?.trainError === 0);
    return zero ? [{ step: zero.step, label: 'zero training error' }] : [];
  },
  headline: (snapshot) => {
    const m = COLLAPSE.of(snapshot);
    return m ? { label: 'NC1', value: m.nc1.toExponential(2) } : null;
  },
};
