/** DNN against Jacobi: the network converges the low frequencies of −u″ = g first, Jacobi iteration the high ones; the two in turn beat both. */
import { z } from 'zod';
import { firstStepBelow } from '../../core/analysis/spectrum';
import type { Snapshot } from '../../core/run/types';
import { LEARNED } from '../fit/events';
import type { Phenomenon, RunEvent } from '../types';
import { DnnJacobiRun, SOLVERS, type DnnJacobiInfo } from './run';
import { dnnJacobiSchema, type DnnJacobiConfig } from './schema';

const numbers = z.array(z.number());
const solver = z.object({ output: numbers, relError: numbers, error: z.number() }).strict();

const SOLVER_NAMES = { network: 'network', jacobi: 'Jacobi' } as const;

/** When each peak's Δ_F first fell below LEARNED (0.1), per solver (null: not yet). */
export function learnedSteps(peaks: readonly number[], snapshots: readonly Snapshot[]): { k: number; network: number | null; jacobi: number | null }[] {
  const steps = snapshots.map((s) => s.step);
  const reached = (solver: 'network' | 'jacobi', i: number) => firstStepBelow(steps, snapshots.map((s) => SOLVERS.of(s)?.[solver].relError[i] ?? Number.NaN), LEARNED);
  return peaks.map((k, i) => ({ k, network: reached('network', i), jacobi: reached('jacobi', i) }));
}

export const dnnJacobi: Phenomenon<DnnJacobiConfig, DnnJacobiInfo> = {
  id: 'dnn-jacobi',
  schema: dnnJacobiSchema,
  links: {
    seed: 'seed',
    backend: 'backend',
    points: 'problem.points',
    beta: 'problem.beta',
    width: 'model.width',
    lr: 'train.lr',
    sweeps: 'train.jacobiPerStep',
    switch: 'train.switchAt',
    steps: 'train.steps',
    every: 'train.snapshotEvery',
  },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  record: {
    info: z.object({ parameterCount: z.number(), x: numbers, exact: numbers, peaks: numbers }).strict(),
    metrics: z.object({ [SOLVERS.name]: z.object({ network: solver, jacobi: solver, hybrid: solver.nullable(), sweeps: z.number() }).strict() }).strict(),
  },
  prepare: async (config) => config,
  start: async (config) => new DnnJacobiRun(config),
  progress: (snapshot) => {
    const m = SOLVERS.of(snapshot);
    if (!m) return '';
    const line = (e: number[]) => e.map((v) => v.toFixed(3)).join(' ');
    const hybrid = m.hybrid ? `  hybrid error ${m.hybrid.error.toFixed(3)}` : '';
    return `Δ_F network ${line(m.network.relError)}  Jacobi (${m.sweeps} sweeps) ${line(m.jacobi.relError)}  error network ${m.network.error.toFixed(3)} Jacobi ${m.jacobi.error.toFixed(3)}${hybrid}`;
  },
  events: ({ info, snapshots }) =>
    learnedSteps(info.peaks, snapshots)
      .flatMap(({ k, ...solvers }) => (['network', 'jacobi'] as const).flatMap((solver): RunEvent[] => (solvers[solver] === null ? [] : [{ step: solvers[solver], label: `${SOLVER_NAMES[solver]}: k = ${k} learned` }])))
      .sort((a, b) => a.step - b.step),
  // The highest peak: the network learns it last, Jacobi first.
  headline: (snapshot, { info }) => {
    const m = SOLVERS.of(snapshot);
    const k = info.peaks.length - 1;
    return m && k >= 0 ? { label: `Δ_F(k = ${info.peaks[k]}) network · Jacobi`, value: `${m.network.relError[k].toFixed(3)} · ${m.jacobi.relError[k].toFixed(3)}` } : null;
  },
};
