/**
 * The anchor-function experiment: a decoder-only transformer learns the composition task (task.ts) from fresh
 * seeded batches, with AdamW under a warm-up and cosine schedule; the initialization rate γ decides whether it
 * answers the held-out pair (4, 3) by reasoning (x − 10) or by copying the symmetric pair (x − 6).
 */
import { z } from 'zod';
import { experimentHeader } from '../../core/config/schema';
import { TASKS } from './task';

export const anchorSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('anchor'),
    data: z
      .object({
        /** 'composition': the anchor pairs of arXiv 2405.05409; 'identity': anchor 3 means "the token after it" (arXiv 2401.08309). */
        task: z.enum(TASKS, { message: 'must be "composition" (anchor pairs) or "identity" (anchor 3, then the key)' }).default('composition'),
      })
      .strict()
      .default({ task: 'composition' }),
    model: z
      .object({
        dModel: z.number().int().min(2).max(1024),
        dFeedForward: z.number().int().min(1).max(4096),
        heads: z.number().int().min(1).max(16),
        /** Per head, for queries, keys and values. */
        dK: z.number().int().min(1).max(512),
        layers: z.number().int().min(1).max(8),
        /** 'post': LayerNorm after each residual sum (the authors' code); 'pre': before each sublayer, and once at the end. */
        norm: z.enum(['post', 'pre']).default('post'),
        /** Every weight matrix from N(0, (scale · d_in^−γ)²). */
        init: z.object({ gamma: z.number().min(0).max(4), scale: z.number().positive().max(100).default(1) }).strict(),
      })
      .strict(),
    train: z
      .object({
        /** Sequences per step, drawn fresh each step. */
        batch: z.number().int().min(1).max(8192),
        /** Peak learning rate (after the warm-up). */
        lr: z.number().positive().max(1),
        lrStart: z.number().min(0).max(1),
        lrEnd: z.number().min(0).max(1),
        warmup: z.number().int().min(0).max(1_000_000),
        weightDecay: z.number().min(0).max(10),
        /** Largest global gradient norm (0: none). */
        clip: z.number().min(0).max(1000),
        steps: z.number().int().positive().max(1_000_000),
        snapshotEvery: z.number().int().positive().max(100_000),
      })
      .strict()
      .refine((t) => t.warmup < t.steps, { message: 'warmup must be shorter than steps', path: ['warmup'] }),
    analysis: z
      .object({
        /** Test sequences per anchor pair in each test set (seen keys; held-out keys). */
        perPair: z.number().int().min(1).max(1024).default(64),
      })
      .strict()
      .default({ perPair: 64 }),
  })
  .strict();

export type AnchorConfig = z.output<typeof anchorSchema>;
