/** DNN against Jacobi: the network converges the low frequencies of −u″ = g first, Jacobi iteration the high ones; the two in turn beat both. */
import { z } from 'zod';
import type { Phenomenon } from '../types';
import { DnnJacobiRun, SOLVERS } from './run';
import { dnnJacobiSchema, type DnnJacobiConfig } from './schema';

const numbers = z.array(z.number());
const solver = z.object({ output: numbers, relError: numbers, error: z.number() }).strict();

export const dnnJacobi: Phenomenon<DnnJacobiConfig> = {
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
};
