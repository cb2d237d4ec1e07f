/** Adam spikes on a quadratic: the preconditioned curvature outgrows the stability bound and the loss climbs back. */
import { z } from 'zod';
import type { Snapshot } from '../../core/run/types';
import type { Phenomenon, RunEvent } from '../types';
import { convergedLoss, spikeStarts } from './dynamics';
import { ADAM, AdamSpikeRun, type AdamSpikeInfo } from './run';
import { adamSpikeSchema, type AdamSpikeConfig } from './schema';

/**
 * When the preconditioned curvature first passed the stability bound, and where the loss climbed back: each
 * excursion of the largest loss between snapshots above the converged loss f(η/100) (the regime classifier's).
 */
export function adamSpikeEvents({ config, info, snapshots }: { config: AdamSpikeConfig; info: AdamSpikeInfo; snapshots: readonly Snapshot[] }): RunEvent[] {
  const crossed = snapshots.find((s) => (ADAM.of(s)?.curvature ?? 0) > info.bound);
  const peaks = snapshots.map((s) => ({ step: s.step, loss: ADAM.of(s)?.peakLoss ?? s.loss }));
  const events: RunEvent[] = crossed ? [{ step: crossed.step, label: 'curvature passed the bound' }] : [];
  spikeStarts(peaks, convergedLoss(config)).forEach((step) => events.push({ step, label: 'loss spike' }));
  return events.sort((a, b) => a.step - b.step);
}

export const adamSpike: Phenomenon<AdamSpikeConfig, AdamSpikeInfo> = {
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
  events: adamSpikeEvents,
  headline: (snapshot, { info }) => {
    const adam = ADAM.of(snapshot);
    return adam ? { label: 'curvature / bound', value: (adam.curvature / info.bound).toFixed(2) } : null;
  },
};
