/**
 * A network fitting a target sampled on a grid (1-D, 2-D or an image): the config shared by the frequency
 * principle's pages and condensation, built from the shared blocks. Its `phenomenon` picks what is measured.
 */
import { z } from 'zod';
import { dataSchema, experimentHeader, LOSSES, modelSchema, trainSchema } from '../../core/config/schema';
import { targetProblem } from '../../core/data/function1d';
import { SMOOTH_ACTIVATION_NAMES } from '../../core/models/activations';

/** The phenomena that fit a function (each a folder beside this one). */
export const FIT_PHENOMENA = ['fprinciple-1d', 'fprinciple-2d', 'condensation', 'loss-spike'] as const;

export const fitSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.enum(FIT_PHENOMENA),
    data: dataSchema,
    model: modelSchema,
    train: trainSchema
      .extend({
        /**
         * 'data': mean squared error to the target on the points. 'poisson': the model loss of −u″ = f with
         * f = −target″ (derived symbolically) at the inner points, plus (u − target)² at the two end points.
         */
        loss: z.enum(LOSSES).default('data'),
        /** From this step on, train with the other loss (the loss switch of Wang et al. 2024); absent: never. */
        lossSwitchAt: z.number().int().positive().nullish(),
      })
      .strict(),
    analysis: z
      .object({
        /** A local maximum of the target's amplitude spectrum counts as a peak above this fraction of the largest. */
        peakThreshold: z.number().gt(0).lt(1).default(0.05),
        /** 2-D input: radial frequency bands (equal widths up to the Nyquist radius, the corners in the last). */
        bands: z.number().int().min(1).max(16).default(4),
        /** Condensation: neurons within this angle of a direction belong to it… */
        clusterToleranceDeg: z.number().gt(0).lt(90).default(10),
        /** …and the count is how many directions hold this fraction of the total amplitude. */
        clusterMass: z.number().gt(0).max(1).default(0.9),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.train.loss === 'data' && config.train.lossSwitchAt == null) return;
    const needs = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message: `the Poisson loss ${message}` });
    if (config.data.inputs !== 1) needs(['data', 'inputs'], 'needs 1-D input');
    if (config.data.target === undefined) needs(['data', 'target'], 'needs a target expression (the exact solution)');
    if (!(SMOOTH_ACTIVATION_NAMES as readonly string[]).includes(config.model.activation)) needs(['model', 'activation'], `needs a twice-differentiable activation (${SMOOTH_ACTIVATION_NAMES.join(', ')})`);
    if (config.model.dropout > 0) needs(['model', 'dropout'], 'does not take dropout');
    const refused = config.data.target !== undefined && config.data.inputs === 1 ? targetProblem({ ...config.data, target: config.data.target }, true) : null;
    if (refused) needs(['data', 'target'], `needs a target it can differentiate twice on the points: ${refused}`);
  });

export type FitConfig = z.output<typeof fitSchema>;
export type FitInput = z.input<typeof fitSchema>;
