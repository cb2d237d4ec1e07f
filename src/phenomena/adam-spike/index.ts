/** Adam spikes on a quadratic: the preconditioned curvature outgrows the stability bound and the loss climbs back. */
import { z } from 'zod';
import type { Phenomenon } from '../types';
import { ADAM, AdamSpikeRun } from './run';
import { adamSpikeSchema, type AdamSpikeConfig } from './schema';

export const adamSpike: Phenomenon<AdamSpikeConfig> = {
  id: 'adam-spike',
  schema: adamSpikeSchema,
  links: {
    seed: 'seed',
    backend: 'backend',
    power: 'objective.power',
    theta0: 'objective.theta0',
    opt: 'train.optimizer',
    lr: 'train.lr',
    beta1: 'train.beta1',
    beta2: 'train.beta2',
    eps: 'train.epsilon',
    steps: 'train.steps',
    every: 'train.snapshotEvery',
  },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  record: {
    info: z.object({ parameterCount: z.literal(1), bound: z.number() }).strict(),
    metrics: z.object({ [ADAM.name]: z.object(Object.fromEntries(['theta', 'm', 'v', 'curvature', 'gradientRatio', 'peakLoss'].map((key) => [key, z.number().nullable()]))).strict() }).strict(),
  },
  prepare: async (config) => config,
  start: async (config, _sources, options) => new AdamSpikeRun(config, options.last),
  progress: (snapshot) => {
    const adam = ADAM.of(snapshot);
    return adam ? `preconditioned curvature ${adam.curvature.toPrecision(4)}  largest loss since the last line's snapshot ${adam.peakLoss.toExponential(2)}` : '';
  },
};
