/** Initialization-induced error: one wide two-layer network trained twice on the same points, from a random and from an antisymmetric start. */
import { z } from 'zod';
import { experimentHeader } from '../../core/config/schema';
import { expressionProblem } from '../../core/expression';

export const initErrorSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('init-error'),
    data: z
      .object({
        /** A math expression in x. */
        target: z.string().min(1).refine((t) => expressionProblem(t, ['x']) === null, { message: 'must be a valid expression in x' }),
        domain: z.tuple([z.number(), z.number()]).refine(([a, b]) => a < b && Number.isFinite(b - a), { message: 'must be [a, b] with a < b' }),
        /** Training points: the centres of this many equal cells of the domain. */
        trainPoints: z.number().int().min(1).max(1000),
        /** Test points: evenly spaced over the domain, both ends included. */
        testPoints: z.number().int().min(2).max(4000),
      })
      .strict(),
    model: z
      .object({
        /** Width m of f(x; θ) = Σ a_k tanh(w_k x + b_k); the antisymmetric network pairs two of them. */
        width: z.number().int().min(1).max(20_000),
        /** w, b ~ N(0, inputStd²); a ~ N(0, outputStd²). */
        inputStd: z.number().positive().max(100),
        outputStd: z.number().positive().max(100),
      })
      .strict(),
    train: z
      .object({
        /** Full-batch gradient descent on ½ mean squared error. */
        lr: z.number().positive().max(10),
        steps: z.number().int().positive().max(10_000_000),
        snapshotEvery: z.number().int().positive().max(1_000_000),
      })
      .strict(),
  })
  .strict();

export type InitErrorConfig = z.output<typeof initErrorSchema>;
