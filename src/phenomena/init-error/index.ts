/** Initialization-induced error: a random initial output stays in what a wide network learns; the antisymmetric start removes it. */
import { z } from 'zod';
import type { Phenomenon } from '../types';
import { INIT_ERROR, InitErrorRun } from './run';
import { initErrorSchema, type InitErrorConfig } from './schema';

const numbers = z.array(z.number());
const points = z.object({ x: numbers, y: numbers }).strict();
const measure = z.object({ trainLoss: z.number(), testError: z.number(), output: numbers }).strict();

export const initError: Phenomenon<InitErrorConfig> = {
  id: 'init-error',
  schema: initErrorSchema,
  links: {
    seed: 'seed',
    backend: 'backend',
    target: 'data.target',
    points: 'data.trainPoints',
    width: 'model.width',
    inStd: 'model.inputStd',
    outStd: 'model.outputStd',
    lr: 'train.lr',
    steps: 'train.steps',
    every: 'train.snapshotEvery',
  },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  record: {
    info: z.object({ parameterCount: z.number(), train: points, test: points, initialOutput: numbers }).strict(),
    metrics: z.object({ [INIT_ERROR.name]: z.object({ random: measure, antisymmetric: measure }).strict() }).strict(),
  },
  prepare: async (config) => config,
  start: async (config) => new InitErrorRun(config),
  headline: (snapshot) => {
    const m = INIT_ERROR.of(snapshot);
    return m ? { label: 'test error random · antisymmetric', value: `${m.random.testError.toFixed(3)} · ${m.antisymmetric.testError.toFixed(3)}` } : null;
  },
  progress: (snapshot) => {
    const m = INIT_ERROR.of(snapshot);
    if (!m) return '';
    return `test error random ${m.random.testError.toFixed(4)}  antisymmetric ${m.antisymmetric.testError.toFixed(4)}  train loss ${m.random.trainLoss.toExponential(2)} / ${m.antisymmetric.trainLoss.toExponential(2)}`;
  },
};
