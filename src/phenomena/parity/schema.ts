/**
 * Parity and aliasing (Xu et al., arXiv 1901.06523 §7): a network fits f(x) = Π x_j from a random part of the
 * hypercube {−1, 1}^d and is tested on the rest.
 */
import { z } from 'zod';
import { experimentHeader, modelSchema, trainSchema } from '../../core/config/schema';
import type { MlpSpec } from '../../core/models/mlpSpec';

/** Up to 2^12 = 4096 points: the full cube is predicted at every snapshot. */
export const MAX_DIMENSION = 12;

export const paritySchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('parity'),
    data: z
      .object({
        /** d of {−1, 1}^d (the paper: 10). */
        dimension: z.number().int().min(2).max(MAX_DIMENSION),
        /** Training points drawn at random from the 2^d (the paper: 200); the others are the test set. */
        trainPoints: z.number().int().min(1),
      })
      .strict()
      .superRefine((data, ctx) => {
        if (data.trainPoints >= 2 ** data.dimension) ctx.addIssue({ code: 'custom', path: ['trainPoints'], message: `must be below 2^${data.dimension} = ${2 ** data.dimension}, leaving points to test on` });
      }),
    model: modelSchema,
    train: trainSchema.extend({
      /** Decoupled weight decay λ (AdamW): each step multiplies the weights by 1 − ηλ (the app's; 0 in the paper's run). */
      weightDecay: z.number().min(0).max(100).default(0),
    }),
    analysis: z
      .object({
        /** The spectra along the all-ones direction at k = 0 … maxFrequency in this many equal steps (t = Σ x_j is even or odd with d, so ½ is one period of the amplitude). */
        frequencies: z.number().int().min(8).max(1000).default(200),
        maxFrequency: z.number().positive().max(2).default(0.5),
        /** The test error by frequency in this many equal bands of k ∈ (0, ¼]. */
        bands: z.number().int().min(1).max(10).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ParityConfig = z.output<typeof paritySchema>;

export function parityNetwork(config: ParityConfig): MlpSpec {
  const { widths, activation, init, dropout, scales } = config.model;
  return { inputDim: config.data.dimension, widths, outputDim: 1, activation, init, dropout, scales: scales ?? undefined };
}
