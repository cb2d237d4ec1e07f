/** The embedding principle: a wide two-layer tanh network and narrow ones trained side by side on the same points. */
import { z } from 'zod';
import { experimentHeader } from '../../core/config/schema';
import { expressionProblem } from '../../core/expression';

export const embeddingSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('embedding'),
    data: z
      .object({
        /** A math expression in x, sampled at `points` evenly spaced points of `domain`, both ends included. */
        target: z.string().min(1).refine((t) => expressionProblem(t, ['x']) === null, { message: 'must be a valid expression in x' }),
        domain: z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b && Number.isFinite(b - a), { message: 'must be [a, b] with a < b' }),
        points: z.number().int().min(2).max(1000),
      })
      .strict(),
    model: z
      .object({
        /** The wide network's width m. */
        width: z.number().int().min(2).max(2000),
        /** Every parameter of the wide network drawn from N(0, m^−variancePower) (the paper: 3). */
        variancePower: z.number().min(0).max(6),
      })
      .strict(),
    narrow: z
      .object({
        /** Widths of the narrow networks trained beside the wide one (ascending, each below the wide width). */
        widths: z.array(z.number().int().min(1).max(16)).min(1).max(4),
        /** Their parameters drawn from N(0, std²). */
        std: z.number().positive().max(10),
        /** Each narrow width trains from this many seeded starts; a snapshot shows the one with the lowest loss (a narrow network can stop in a local minimum). */
        restarts: z.number().int().min(1).max(32).default(1),
      })
      .strict(),
    train: z
      .object({
        lr: z.number().positive().max(10),
        steps: z.number().int().positive().max(10_000_000),
        snapshotEvery: z.number().int().positive().max(1_000_000),
      })
      .strict(),
    analysis: z
      .object({
        /** Neurons within this angle of a direction count as one (the condensation probe's clustering)… */
        clusterToleranceDeg: z.number().gt(0).lt(90).default(10),
        /** …and the effective width is how many directions hold this fraction of the amplitude. */
        clusterMass: z.number().gt(0).max(1).default(0.9),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const widths = config.narrow.widths;
    if (widths.some((w, i) => i > 0 && w <= widths[i - 1])) ctx.addIssue({ code: 'custom', path: ['narrow', 'widths'], message: 'must be ascending, each once' });
    if (widths.some((w) => w >= config.model.width)) ctx.addIssue({ code: 'custom', path: ['narrow', 'widths'], message: `each must be below the wide width ${config.model.width}` });
  });

export type EmbeddingConfig = z.output<typeof embeddingSchema>;
