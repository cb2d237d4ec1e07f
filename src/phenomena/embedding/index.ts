/** The embedding principle: a wide network stalls where it computes what a narrow network's optimum computes. */
import { z } from 'zod';
import type { Phenomenon } from '../types';
import { runPlateaus } from './analysis';
import { EMBEDDING, EmbeddingRun, type EmbeddingInfo } from './run';
import { embeddingSchema, type EmbeddingConfig } from './schema';

const numbers = z.array(z.number());
const network = z.object({ w: numbers, b: numbers, a: numbers }).strict();

export const embedding: Phenomenon<EmbeddingConfig, EmbeddingInfo> = {
  id: 'embedding',
  schema: embeddingSchema,
  links: {
    seed: 'seed',
    backend: 'backend',
    target: 'data.target',
    points: 'data.points',
    width: 'model.width',
    variance: 'model.variancePower',
    narrow: 'narrow.widths',
    restarts: 'narrow.restarts',
    lr: 'train.lr',
    steps: 'train.steps',
    every: 'train.snapshotEvery',
  },
  stepsPath: 'train.steps',
  length: (config) => config.train.steps,
  record: {
    info: z.object({ parameterCount: z.number(), x: numbers, target: numbers, width: z.number(), narrowWidths: numbers }).strict(),
    metrics: z
      .object({
        [EMBEDDING.name]: z
          .object({ output: numbers, effectiveWidth: z.number(), narrow: z.array(z.object({ width: z.number(), loss: z.number(), output: numbers, net: network }).strict()) })
          .strict(),
      })
      .strict(),
  },
  prepare: async (config) => config,
  start: async (config) => new EmbeddingRun(config),
  progress: (snapshot) => {
    const measures = EMBEDDING.of(snapshot);
    if (!measures) return '';
    return `effective width ${measures.effectiveWidth}  ${measures.narrow.map((n) => `width-${n.width} loss ${n.loss.toExponential(3)}`).join('  ')}`;
  },
  // A plateau is found once it has lasted a tenth of the run; it is dated where it began, at the loss it rests on.
  events: ({ config, snapshots }) =>
    runPlateaus(snapshots, config.train.steps).map((p) => ({ step: p.from, label: `plateau at loss ${(snapshots.find((s) => s.step === p.from)?.loss ?? p.loss).toExponential(2)}` })),
  headline: (snapshot) => {
    const measures = EMBEDDING.of(snapshot);
    return measures ? { label: 'effective width', value: String(measures.effectiveWidth) } : null;
  },
};
