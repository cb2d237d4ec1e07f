/** Adam on a one-parameter loss (the app's setting after Li, Xu, Zhang on Adam spikes): no network, float64. */
import { z } from 'zod';
import { experimentHeader } from '../../core/config/schema';

export const adamSpikeSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('adam-spike'),
    objective: z
      .object({
        /** f(θ) = θ²/2 (power 2) or θ⁴ (power 4). */
        power: z.union([z.literal(2), z.literal(4)]),
        theta0: z.number().refine((v) => v !== 0 && Math.abs(v) <= 100, { message: 'must be non-zero and at most 100 in size' }),
      })
      .strict(),
    train: z
      .object({
        /** 'adam' (bias-corrected) or plain gradient descent. */
        optimizer: z.enum(['adam', 'gd']),
        lr: z.number().positive().max(10),
        beta1: z.number().min(0).lt(1),
        beta2: z.number().gt(0).lt(1),
        epsilon: z.number().positive().max(1),
        steps: z.number().int().positive().max(1_000_000),
        snapshotEvery: z.number().int().positive().max(100_000),
      })
      .strict(),
  })
  .strict();

export type AdamSpikeConfig = z.output<typeof adamSpikeSchema>;
