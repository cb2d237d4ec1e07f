/**
 * The frequency principle on real data: a network fits MNIST digits (one-hot labels, mean squared error), and
 * the filtering and projection methods measure which frequencies of the fitted function converge first.
 */
import { z } from 'zod';
import { MNIST_CLASSES, MNIST_PER_CLASS, MNIST_PIXELS } from '../../core/data/mnist';
import type { MlpSpec } from '../../core/models/mlpSpec';
import { experimentHeader, modelSchema, trainSchema } from '../../core/config/schema';

export const mnistSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('fprinciple-mnist'),
    data: z
      .object({
        dataset: z.literal('mnist'),
        /** Training digits, the same number of each class (a multiple of 10). */
        samples: z
          .number()
          .int()
          .min(MNIST_CLASSES)
          .max(MNIST_CLASSES * MNIST_PER_CLASS)
          .refine((n) => n % MNIST_CLASSES === 0, { message: `must be a multiple of ${MNIST_CLASSES}` }),
      })
      .strict(),
    model: modelSchema,
    train: trainSchema,
    analysis: z
      .object({
        /** Filtering method: variances δ of the Gaussian exp(−‖Δx‖²/(2δ)) over the inputs (pixel intensities in [0, 1]), the authors' convention. */
        deltas: z.array(z.number().positive().max(1000)).min(1).max(6),
        /** Projection method: frequencies k = 0 … maxFrequency in this many equal steps (cycles per unit along the direction). */
        frequencies: z.number().int().min(8).max(1024).default(200),
        maxFrequency: z.number().positive().max(100).default(1),
        /** The projected spectrum's relative error is measured in this many equal bands of k (above k = 0). */
        bands: z.number().int().min(1).max(16).default(4),
      })
      .strict(),
  })
  .strict();

export type MnistConfig = z.output<typeof mnistSchema>;

export function mnistNetwork(config: MnistConfig): MlpSpec {
  const { widths, activation, init, dropout, scales } = config.model;
  return { inputDim: MNIST_PIXELS, widths, outputDim: MNIST_CLASSES, activation, init, dropout, scales: scales ?? undefined };
}
