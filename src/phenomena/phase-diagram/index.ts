/** The (γ, γ′) phase diagram of two-layer ReLU networks: a sweep whose cells train as one batched program per width. */
import { z } from 'zod';
import type { Phenomenon, RunEvent } from '../types';
import { SWEEP, SWEEP_PROGRESS, sweepLength, type SweepInfo, type SweepResult } from './diagram';
import { phaseDiagramSchema, type PhaseDiagramConfig } from './schema';

/** How many cells each regime has so far: "12 condensed · 4 critical · 24 linear". */
function regimeCounts(result: SweepResult): string {
  const count = (regime: string) => result.cells.filter((cell) => cell.regime === regime).length;
  return (['condensed', 'critical', 'linear'] as const).map((regime) => `${count(regime)} ${regime}`).join(' · ');
}

export const phaseDiagram: Phenomenon<PhaseDiagramConfig, SweepInfo> = {
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
  length: sweepLength,
  record: {
    info: z.object({ parameterCount: z.number().int().min(0), cells: z.number().int().min(0), widths: z.array(z.number().int().positive()) }).strict(),
    metrics: z
      .object({
        [SWEEP.name]: z
          .object({
            widths: z.array(z.number().int().positive()),
            done: z.array(z.number().int().positive()),
            cells: z.array(
              z
                .object({
                  gamma: z.number(),
                  gammaPrime: z.number(),
                  rd: z.array(z.number().nullable()),
                  steps: z.array(z.number().int().min(0)),
                  converged: z.array(z.boolean()),
                  slope: z.number().nullable(),
                  regime: z.enum(['linear', 'critical', 'condensed']).nullable(),
                })
                .strict(),
            ),
          })
          .strict(),
        [SWEEP_PROGRESS.name]: z.object({ width: z.number(), step: z.number(), finished: z.number(), total: z.number() }).strict().nullable(),
      })
      .strict(),
  },
  prepare: async (config) => config,
  start: async (config, _sources, options) => new (await import('./run')).SweepRun(config, options.last, options.cells, options.sliceMs),
  sweep: {
    count: (config) => config.sweep.gamma.length * config.sweep.gammaPrime.length,
    progress: (snapshot, cells) => {
      const sweep = SWEEP.of(snapshot);
      const progress = SWEEP_PROGRESS.of(snapshot);
      const widths = sweep?.widths.length ?? 0;
      const done = sweep?.done.length ?? 0;
      // A cell counts once per width; the current width's cells count as they reach the loss target.
      return { done: done * cells + (progress && done < widths ? progress.finished : 0), total: widths * cells };
    },
    merge: (config, parts) => {
      const [first] = parts;
      const cells = [...(SWEEP.of(first.last) as SweepResult).cells];
      for (const part of parts) {
        const result = SWEEP.of(part.last) as SweepResult;
        for (const i of part.cells) cells[i] = result.cells[i];
      }
      // The shards trained their widths side by side: the sweep took as long as the longest.
      const step = Math.max(...parts.map((part) => part.last.step));
      return { step, loss: Number.NaN, metrics: { [SWEEP.name]: { widths: config.sweep.widths, done: config.sweep.widths, cells }, [SWEEP_PROGRESS.name]: null } };
    },
  },
  progress: (snapshot) => {
    const sweep = SWEEP.of(snapshot);
    if (!sweep) return '';
    const counts = sweep.cells.reduce<Record<string, number>>((c, cell) => ({ ...c, [cell.regime ?? 'unclassified']: (c[cell.regime ?? 'unclassified'] ?? 0) + 1 }), {});
    return `widths done ${sweep.done.join(', ') || 'none'}; cells: ${JSON.stringify(counts)}`;
  },
  // Each width when it finished; with the last one, every cell's regime is final.
  events: ({ snapshots }) => {
    const events: RunEvent[] = [];
    let done = 0;
    for (const snapshot of snapshots) {
      const sweep = SWEEP.of(snapshot);
      if (!sweep) continue;
      for (const width of sweep.done.slice(done)) events.push({ step: snapshot.step, label: `width ${width} done` });
      if (sweep.done.length === sweep.widths.length && done < sweep.widths.length) events.push({ step: snapshot.step, label: `regimes decided: ${regimeCounts(sweep)}` });
      done = Math.max(done, sweep.done.length);
    }
    return events;
  },
  headline: (snapshot) => {
    const sweep = SWEEP.of(snapshot);
    return sweep ? { label: 'cells', value: regimeCounts(sweep) } : null;
  },
};
