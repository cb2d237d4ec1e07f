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
        /** Widths m for the slope of log RD against log m; at least two (the paper: up to 40000). */
        widths: z.array(z.number().int().min(2).max(40_000)).min(2).max(8).refine(ascendingUnique, { message: 'must be ascending without repeats' }),
      })
      .strict(),
    init: z
      .object({
        /** Antisymmetric initialization, every network starting from output zero (Luo et al.'s code); needs even widths. */
        antisymmetric: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    train: z
      .object({
        /** Normalized learning rate η₀: each step is η₀ · n / max(tr K, Σ_i |r_i| ‖x̃_i‖), so η λ_max ≤ 2η₀ (stable below 1 by that bound, a loose one). */
        eta0: z.number().positive().max(1.9),
        /** A network is done when its loss falls below this: a fraction of mean(y²) or, as `lossTargetIs` says, a mean squared error. */
        lossTarget: z.number().positive().lt(1),
        /** `relative`: lossTarget is a fraction of mean(y²) (the app's default); `mse`: an absolute mean squared error (Luo et al.'s code: 1e-6). */
        lossTargetIs: z.enum(['relative', 'mse']).default('relative'),
        maxSteps: z.number().int().positive().max(1_000_000),
        /** Steps between read-backs (progress, cancellation). */
        chunk: z.number().int().positive().max(100_000).default(200),
      })
      .strict(),
    analysis: z
      .object({
        /**
         * Cells are classified by the sign of the slope S_w of log RD against log m, as Luo et al. do (0, the
         * default: negative linear, positive condensed). Above 0 it is the app's own near-zero band: cells with
         * |S_w| at most this are called critical.
         */
        criticalSlope: z.number().min(0).lt(2).default(0),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((c) => !c.init.antisymmetric || c.sweep.widths.every((m) => m % 2 === 0), {
    message: 'antisymmetric initialization pairs the neurons: widths must be even',
    path: ['sweep', 'widths'],
  });

export type PhaseDiagramConfig = z.output<typeof phaseDiagramSchema>;
