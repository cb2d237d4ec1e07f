/**
 * Neural collapse and minority collapse: a classifier MLP on Gaussian classes (the first K_A with n points each,
 * the others n/R) trained with cross-entropy, weight decay and SGD with momentum into the terminal phase, with
 * the Layer-Peeled Model solved beside it.
 */
import { z } from 'zod';
import { experimentHeader, modelSchema, trainSchema } from '../../core/config/schema';
import { MNIST_CLASSES, MNIST_PER_CLASS, MNIST_PIXELS } from '../../core/data/mnist';
import type { MlpSpec } from '../../core/models/mlpSpec';
import type { TrainSettings } from '../../core/train/stepper';

export const MAX_CLASSES = 20;

export const collapseSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('neural-collapse'),
    data: z
      .object({
        /** Gaussian classes, or the shipped MNIST digits (10 classes, 784 pixels: `dim`, `separation`, `spread` unused). */
        dataset: z.enum(['gaussian', 'mnist']).default('gaussian'),
        classes: z.number().int().min(3).max(MAX_CLASSES),
        /** n: training points of each majority class. */
        perClass: z.number().int().min(1).max(2000),
        dim: z.number().int().min(2).max(256),
        /** Random directions, or the same made orthogonal (needs dim ≥ classes). */
        centres: z.enum(['random', 'orthogonal']).default('random'),
        /** Distance of each class centre from the origin. */
        separation: z.number().positive().max(100),
        /** Standard deviation of the points around their centre, per coordinate. */
        spread: z.number().min(0).max(100),
        testPerClass: z.number().int().min(1).max(2000),
      })
      .strict(),
    /** Apart from `data`, so that two runs side by side can differ in it alone (linked runs share `data`). */
    imbalance: z
      .object({
        /** K_A: the first classes, n points each; the others have n/R (at least one). */
        majority: z.number().int().min(1),
        /** Imbalance ratio R (1: balanced). */
        ratio: z.number().min(1).max(10_000),
      })
      .strict(),
    model: modelSchema,
    train: trainSchema
      .extend({
        /** SGD's heavy-ball momentum (0: plain). */
        momentum: z.number().min(0).lt(1).default(0),
        /** λ of the penalty (λ/2)‖θ‖², PyTorch's `weight_decay`. */
        weightDecay: z.number().min(0).max(1).default(0),
        /** The learning rate is divided by 10 at these fractions of the run (the papers' ⅓ and ⅔). */
        lrDrops: z.array(z.number().gt(0).lt(1)).max(4).default([]),
      })
      .strict(),
    /** The Layer-Peeled Model solved beside the run: its budgets, and the R at which its minority cosine is drawn. */
    lpm: z
      .object({
        featureBudget: z.number().positive().max(1000),
        classifierBudget: z.number().positive().max(1000),
        ratios: z.array(z.number().min(1).max(10_000)).min(1).max(40),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.data.dataset === 'mnist' && config.data.classes !== MNIST_CLASSES) ctx.addIssue({ code: 'custom', path: ['data', 'classes'], message: `MNIST has ${MNIST_CLASSES} classes` });
    if (config.data.dataset === 'mnist' && config.data.perClass + config.data.testPerClass > MNIST_PER_CLASS)
      ctx.addIssue({ code: 'custom', path: ['data', 'perClass'], message: `with MNIST, perClass + testPerClass must be at most the ${MNIST_PER_CLASS} digits shipped per class` });
    if (config.data.dataset === 'gaussian' && config.data.centres === 'orthogonal' && config.data.dim < config.data.classes)
      ctx.addIssue({ code: 'custom', path: ['data', 'centres'], message: `orthogonal centres need dim ≥ classes (${config.data.classes})` });
    if (config.imbalance.majority > config.data.classes) ctx.addIssue({ code: 'custom', path: ['imbalance', 'majority'], message: 'must be at most the number of classes' });
    if (config.train.lrDrops.length && config.train.optimizer !== 'sgd') ctx.addIssue({ code: 'custom', path: ['train', 'lrDrops'], message: 'a step schedule needs optimizer "sgd"' });
    if (config.train.momentum && config.train.optimizer !== 'sgd') ctx.addIssue({ code: 'custom', path: ['train', 'momentum'], message: 'momentum needs optimizer "sgd"' });
  });

export type CollapseConfig = z.output<typeof collapseSchema>;

export function collapseNetwork(config: CollapseConfig): MlpSpec {
  const { widths, activation, init, dropout } = config.model;
  return { inputDim: config.data.dataset === 'mnist' ? MNIST_PIXELS : config.data.dim, widths, outputDim: config.data.classes, activation, init, dropout };
}

/** The stepper's settings: the drops as steps. */
export function collapseTraining(config: CollapseConfig): TrainSettings & { steps: number; snapshotEvery: number } {
  const { optimizer, lr, momentum, lrDrops, steps, snapshotEvery } = config.train;
  return {
    optimizer,
    lr,
    momentum,
    lrDecay: lrDrops.length ? { at: lrDrops.map((f) => Math.round(f * steps)), factor: 0.1 } : undefined,
    steps,
    snapshotEvery,
  };
}
