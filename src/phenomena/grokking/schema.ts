/**
 * Grokking on modular addition: an MLP classifies (a + b) mod p from one-hot a and b, trained on a random part of
 * the p² pairs and tested on the rest (Power et al., arXiv 2201.02177; read in frequency after Zhou, Zhang, Xu,
 * arXiv 2405.17479).
 */
import { z } from 'zod';
import { experimentHeader, modelSchema, trainSchema } from '../../core/config/schema';
import type { MlpSpec } from '../../core/models/mlpSpec';

/** The whole table (p² pairs × 2p inputs) is predicted at every snapshot. */
export const MAX_MODULUS = 113;

export const grokkingSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('grokking'),
    data: z
      .object({
        /** p: the residues 0 … p − 1. */
        modulus: z.number().int().min(3).max(MAX_MODULUS),
        /** The fraction of the p² pairs trained on, drawn with the run's seed; the others are the test set. */
        trainFraction: z.number().gt(0).lt(1),
      })
      .strict(),
    model: modelSchema,
    train: trainSchema.extend({
      /** Decoupled weight decay λ (AdamW): each step multiplies the weights by 1 − ηλ. */
      weightDecay: z.number().min(0).max(100).default(0),
    }),
  })
  .strict();

export type GrokkingConfig = z.output<typeof grokkingSchema>;

export function grokkingNetwork(config: GrokkingConfig): MlpSpec {
  const { widths, activation, init, dropout, scales } = config.model;
  const p = config.data.modulus;
  return { inputDim: 2 * p, widths, outputDim: p, activation, init, dropout, scales: scales ?? undefined };
}

/** How many pairs are trained on (at least one, and one left to test on). */
export function trainPairs(config: GrokkingConfig): number {
  const total = config.data.modulus ** 2;
  return Math.min(total - 1, Math.max(1, Math.round(config.data.trainFraction * total)));
}
