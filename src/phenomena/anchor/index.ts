/** Anchor functions: a small transformer reasons or memorizes on a composition task, decided by its initialization rate γ. */
import { z } from 'zod';
import type { Phenomenon } from '../types';
import type { AnchorInfo } from './build';
import { ANCHOR, IDENTITY, INSIDE } from './probes';
import { anchorSchema, type AnchorConfig } from './schema';
import { PAIRS } from './task';
import { anchorVerdict } from './verdict';

const fraction = z.number().min(0).max(1).nullable();

export const anchor: Phenomenon<AnchorConfig, AnchorInfo> = {
  id: 'anchor',
  schema: anchorSchema,
  links: {
    seed: 'seed',
    backend: 'backend',
    task: 'data.task',
    gamma: 'model.init.gamma',
    d: 'model.dModel',
    dff: 'model.dFeedForward',
    heads: 'model.heads',
    dk: 'model.dK',
    layers: 'model.layers',
    norm: 'model.norm',
    batch: 'train.batch',
    lr: 'train.lr',
    lrStart: 'train.lrStart',
    lrEnd: 'train.lrEnd',
    warmup: 'train.warmup',
    wd: 'train.weightDecay',
    steps: 'train.steps',
    every: 'train.snapshotEvery',
  },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  record: {
    info: z.object({ parameterCount: z.number().int().min(1), perPair: z.number().int().min(1) }).strict(),
    metrics: z
      .object({
        [ANCHOR.name]: z
          .object({
            seen: fraction,
            inferential: fraction,
            symmetric: fraction,
            unseenKeys: fraction,
            pairs: z.array(fraction).length(PAIRS.length),
            deviation: z.object({ counts: z.array(fraction), other: fraction }).strict(),
          })
          .strict()
          .optional(),
        [IDENTITY.name]: z.object({ seen: fraction, unseenKeys: fraction, shift: fraction, broadcast: fraction }).strict().optional(),
        [INSIDE.name]: z
          .object({
            example: z.array(z.number().int()),
            attention: z.array(z.array(z.number())),
            queryCosine: z.array(z.number()),
            queryOrder: z.array(z.number().int().min(0)),
            embeddingSpectrum: z.array(z.number()),
          })
          .strict()
          .optional(),
      })
      .strict(),
  },
  // A grid cell: the accuracies its verdict reads (verdict.ts), the held-out keys' beside them.
  cell: {
    measures: (snapshot): Record<string, number> => {
      const m = ANCHOR.of(snapshot);
      return m ? { seen: m.seen, inferential: m.inferential, symmetric: m.symmetric, unseenKeys: m.unseenKeys } : {};
    },
    verdict: ({ seen, inferential, symmetric }) => anchorVerdict({ seen, inferential, symmetric }),
  },
  prepare: async (config) => config,
  start: async (config, _sources, options) => new (await import('./build')).AnchorRun(config, options),
  progress: (snapshot) => {
    const [m, identity] = [ANCHOR.of(snapshot), IDENTITY.of(snapshot)];
    if (identity) return `seen keys ${identity.seen.toFixed(3)}  unseen keys ${identity.unseenKeys.toFixed(3)}  layer 1 shift ${identity.shift.toFixed(3)}  last layer broadcast ${identity.broadcast.toFixed(3)}`;
    return m ? `seen ${m.seen.toFixed(3)}  (4,3): inferential ${m.inferential.toFixed(3)} symmetric ${m.symmetric.toFixed(3)}  unseen keys ${m.unseenKeys.toFixed(3)}` : '';
  },
  // The held-out pair's answers: inferential (x − 10, reasoning) against symmetric (x − 6, copying (3, 4)).
  // The identity task: the answer right on keys never trained.
  headline: (snapshot) => {
    const [m, identity] = [ANCHOR.of(snapshot), IDENTITY.of(snapshot)];
    const percent = (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)} %` : '–');
    if (identity) return { label: 'identity task: seen · held-out keys', value: `${percent(identity.seen)} · ${percent(identity.unseenKeys)}` };
    return m ? { label: '(4, 3) inferential · symmetric', value: `${percent(m.inferential)} · ${percent(m.symmetric)}` } : null;
  },
};
