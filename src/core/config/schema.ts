/**
 * The blocks every experiment config is built from (each phenomenon's schema, in src/phenomena, assembles them):
 * the header, a sampled target, the network, full-batch training. Validation messages name the field (dotted
 * path) and the reason.
 */
import { z } from 'zod';
import { expressionProblem } from '../expression';
import { ACTIVATION_NAMES } from '../models/activations';
import { MAX_IMAGE_SIDE } from '../data/image';
import { MAX_POINTS, MAX_POINTS_2D, targetProblem } from '../data/function1d';

export const LOSSES = ['data', 'poisson'] as const;
export type LossName = (typeof LOSSES)[number];

export const BACKEND_PREFERENCES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

/** A target sampled on a grid (1-D, or 2-D with n × n points): shared by every function-fitting experiment. */
export const dataSchema = z
  .object({
    /** A math expression in x (and y when inputs = 2); or, for 2-D input, an image instead. */
    target: z.string().min(1).optional(),
    /** 2-D input: a grayscale image as the target (src: a file under public/, or the name of a dropped image with its pixels). */
    image: z
      .object({
        src: z.string().min(1),
        width: z.number().int().min(1).max(MAX_IMAGE_SIDE).optional(),
        height: z.number().int().min(1).max(MAX_IMAGE_SIDE).optional(),
        /** Intensities in [0, 1], row-major from the top-left; loaded from src when absent. */
        gray: z.array(z.number().min(0).max(1)).optional(),
      })
      .strict()
      .optional(),
    /** Input dimension: 1 (x) or 2 (x, y on a square grid). */
    inputs: z.union([z.literal(1), z.literal(2)]).default(1),
    domain: z
      .tuple([z.number(), z.number()])
      .refine(([a, b]) => a < b && Number.isFinite(b - a), { message: 'domain must be [a, b] with a < b (and b − a a finite number)' }),
    /** Points per axis (n, or n × n for 2-D input). */
    points: z.number().int().min(2).max(MAX_POINTS),
    /** 'periodic': x_j = a + j(b − a)/n (one DFT period); 'closed': both ends included. */
    grid: z.enum(['periodic', 'closed']).default('periodic'),
  })
  .strict()
  .superRefine((data, ctx) => {
    const variables = data.inputs === 2 ? ['x', 'y'] : ['x'];
    if ((data.target === undefined) === (data.image === undefined)) ctx.addIssue({ code: 'custom', path: ['target'], message: 'give either a target expression or an image, not both' });
    if (data.image && data.inputs !== 2) ctx.addIssue({ code: 'custom', path: ['image'], message: 'an image target needs inputs = 2' });
    const { gray, width, height } = data.image ?? {};
    if (gray && (!width || !height || gray.length !== width * height)) ctx.addIssue({ code: 'custom', path: ['image', 'gray'], message: 'needs width × height intensities' });
    const problem = data.target === undefined ? null : expressionProblem(data.target, variables);
    if (problem) ctx.addIssue({ code: 'custom', path: ['target'], message: `not a valid expression in ${variables.join(', ')}: ${problem}` });
    if (data.inputs === 2 && data.points > MAX_POINTS_2D) ctx.addIssue({ code: 'custom', path: ['points'], message: `2-D input takes at most ${MAX_POINTS_2D} points per axis` });
    else if (data.target !== undefined && !problem) {
      // What the engine would refuse on the grid (1/x, log(x), exp(1000*x)) is refused here, naming the field.
      const refused = targetProblem({ ...data, target: data.target }, false);
      if (refused) ctx.addIssue({ code: 'custom', path: ['target'], message: refused });
    }
  });

/** What every experiment file starts with (its phenomenon added by each schema). */
export const experimentHeader = {
  version: z.literal(1).default(1),
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  backend: z.enum(BACKEND_PREFERENCES).default('auto'),
};

/** The network: shared by every experiment that trains one. */
export const modelSchema = z
  .object({
    widths: z.array(z.number().int().min(1).max(2048)).min(1).max(8),
    activation: z.enum(ACTIVATION_NAMES),
    init: z
      .object({
        gamma: z.number().min(0).max(4),
        scale: z.number().positive().max(100),
        /** std = scale · d^−γ with d the layer's fan-in, or the (first) hidden width m for every layer. */
        relativeTo: z.enum(['fanIn', 'width']).default('fanIn'),
      })
      .strict(),
    /** Dropout rate on every hidden layer's output during training (0 = none). */
    dropout: z.number().min(0).max(0.9).default(0),
    /** MscaleDNN: input scales of equal groups of the first hidden layer (e.g. [1, 2, 4, …]); absent or null = plain. */
    scales: z.array(z.number().positive().max(10_000)).min(1).max(64).nullish(),
  })
  .strict();

/** Full-batch training: shared by every experiment that trains one network. */
export const trainSchema = z
  .object({
    optimizer: z.enum(['adam', 'sgd']),
    lr: z.number().positive().max(10),
    steps: z.number().int().positive().max(10_000_000),
    snapshotEvery: z.number().int().positive().max(100_000),
  })
  .strict();
