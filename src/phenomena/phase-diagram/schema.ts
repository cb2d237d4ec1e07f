/** A phase-diagram sweep: many two-layer ReLU networks over a grid of (γ, γ′) and several widths. */
import { z } from 'zod';
import { dataSchema, experimentHeader } from '../../core/config/schema';

const ascendingUnique = (values: number[]) => values.every((v, i) => i === 0 || v > values[i - 1]);

export const phaseDiagramSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('phase-diagram'),
    data: dataSchema,
    sweep: z
      .object({
        /** γ = −log(β₁β₂/α)/log m, ascending. */
        gamma: z.array(z.number().min(0).max(4)).min(1).max(40).refine(ascendingUnique, { message: 'must be ascending without repeats' }),
        /** γ′ = −log(β₁/β₂)/log m, ascending. */
        gammaPrime: z.array(z.number().min(-3).max(3)).min(1).max(40).refine(ascendingUnique, { message: 'must be ascending without repeats' }),
        /** Widths m for the slope of log RD against log m; at least two. */
        widths: z.array(z.number().int().min(2).max(20_000)).min(2).max(8).refine(ascendingUnique, { message: 'must be ascending without repeats' }),
      })
      .strict(),
    train: z
      .object({
        /** Normalized learning rate η₀: each step is η₀ · n / tr K (stable below 2). */
        eta0: z.number().positive().max(1.9),
        /** A network is done when its loss falls below this fraction of ½·mean(y²). */
        lossTarget: z.number().positive().lt(1),
        maxSteps: z.number().int().positive().max(1_000_000),
        /** Steps between read-backs (progress, cancellation). */
        chunk: z.number().int().positive().max(100_000).default(200),
      })
      .strict(),
    analysis: z
      .object({
        /** |slope of log RD vs log m| below this is critical; below −it linear, above condensed. */
        criticalSlope: z.number().positive().lt(2).default(0.15),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type PhaseDiagramConfig = z.output<typeof phaseDiagramSchema>;
