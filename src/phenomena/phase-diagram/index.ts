/** The (γ, γ′) phase diagram of two-layer ReLU networks: a sweep whose cells train as one batched program per width. */
import type { Phenomenon } from '../types';
import { SWEEP } from './diagram';
import { phaseDiagramSchema, type PhaseDiagramConfig } from './schema';

export const phaseDiagram: Phenomenon<PhaseDiagramConfig> = {
  id: 'phase-diagram',
  schema: phaseDiagramSchema,
  // Named apart from the run pages' `gamma` and `widths` (a network's), which mean something else there.
  links: {
    seed: 'seed',
    backend: 'backend',
    target: 'data.target',
    gammas: 'sweep.gamma',
    gammaPrimes: 'sweep.gammaPrime',
    sweepWidths: 'sweep.widths',
    eta0: 'train.eta0',
    maxSteps: 'train.maxSteps',
  },
  stepsPath: 'train.maxSteps',
  prepare: async (config) => config,
  start: async (config, _sources, options) => new (await import('./run')).SweepRun(config, options.last),
  progress: (snapshot) => {
    const sweep = SWEEP.of(snapshot);
    if (!sweep) return '';
    const counts = sweep.cells.reduce<Record<string, number>>((c, cell) => ({ ...c, [cell.regime ?? 'unclassified']: (c[cell.regime ?? 'unclassified'] ?? 0) + 1 }), {});
    return `widths done ${sweep.done.join(', ') || 'none'}; cells: ${JSON.stringify(counts)}`;
  },
};
