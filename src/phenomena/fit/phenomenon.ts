/**
 * The engine entry of a phenomenon that fits a function on a grid: the shared schema and links, the frequency
 * principle's measures, and whatever the phenomenon adds (its probes, its progress line).
 */
import { withImagePixels } from '../../core/data/image';
import { parameterCount, type MlpSpec } from '../../core/models/mlpSpec';
import { FREQUENCY } from '../../core/probes/frequency';
import type { Probe } from '../../core/probes/probe';
import type { Snapshot } from '../../core/run/types';
import type { Phenomenon } from '../types';
import { fitEvents, fitHeadline } from './events';
import type { FitInfo } from './info';
import { FIT_LINKS } from './links';
import { FIT_RECORD } from './record';
import { fitNetwork, readMlpWeights } from './network';
import { fitSchema, type FitConfig } from './schema';

/** Δ_F at each peak (1-D) or band (2-D), for a progress line. */
export function frequencyLine(snapshot: Snapshot): string {
  const frequency = FREQUENCY.of(snapshot);
  return frequency ? `Δ_F ${frequency.relError.map((e, i) => `k=${frequency.k[i]}: ${e.toFixed(3)}`).join('  ')}` : '';
}

export function fitPhenomenon(
  id: FitConfig['phenomenon'],
  {
    probes = () => [],
    progress = frequencyLine,
    schema = fitSchema,
    events = fitEvents,
    headline = fitHeadline,
  }: {
    probes?: (network: MlpSpec, config: FitConfig) => Probe[];
    progress?: (snapshot: Snapshot) => string;
    schema?: Phenomenon<FitConfig>['schema'];
    events?: Phenomenon<FitConfig, FitInfo>['events'];
    headline?: Phenomenon<FitConfig, FitInfo>['headline'];
  } = {},
): Phenomenon<FitConfig, FitInfo> {
  return {
    id,
    schema,
    links: FIT_LINKS,
    stepsPath: 'train.steps',
    length: (config) => config.train.steps,
    prepare: (config, sources) => withImagePixels(config, sources.decodeImage),
    start: async (config, _sources, options) => (await import('./build')).buildFit(config, options, (network) => probes(network, config)),
    readWeights: (input, config) => readMlpWeights(input, fitNetwork(config)),
    stepCost: (config) => ({ parameters: parameterCount(fitNetwork(config)), points: config.data.points ** config.data.inputs }),
    progress,
    record: FIT_RECORD,
    events,
    headline,
  };
}
