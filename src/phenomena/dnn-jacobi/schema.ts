/** DNN against Jacobi on −u″ = g (the F-Principle paper's §5): the grid, the network, Adam and the Jacobi sweeps. */
import { z } from 'zod';
import { experimentHeader } from '../../core/config/schema';

export const dnnJacobiSchema = z
  .object({
    ...experimentHeader,
    phenomenon: z.literal('dnn-jacobi'),
    problem: z
      .object({
        /** Evenly spaced points of [−1, 1], both ends included (the paper: 1001). */
        points: z.number().int().min(16).max(4096),
        /** The weight of the boundary penalty β(h(−1)² + h(1)²) in the Ritz energy (the paper: 10). */
        beta: z.number().positive().max(1e6),
      })
      .strict(),
    model: z
      .object({
        /** Width of the two-layer tanh network. */
        width: z.number().int().min(1).max(2000),
        /** w, b ~ N(0, inputStd²); a ~ N(0, outputStd²). */
        inputStd: z.number().positive().max(100),
        outputStd: z.number().positive().max(100),
      })
      .strict(),
    train: z
      .object({
        /** Adam's learning rate (the paper: 5e-4). */
        lr: z.number().positive().max(1),
        /** Adam steps of the network; Jacobi makes `jacobiPerStep` sweeps in each. */
        steps: z.number().int().positive().max(10_000_000),
        jacobiPerStep: z.number().int().min(1).max(10_000),
        /**
         * The hybrid: after this many Adam steps Jacobi continues from the network's output (the paper's DNN-Jacobi
         * combination; M is ours). A value past `steps` leaves the hybrid off.
         */
        switchAt: z.number().int().min(0).max(10_000_000).default(500),
        snapshotEvery: z.number().int().positive().max(1_000_000),
      })
      .strict(),
    analysis: z
      .object({
        /** A local maximum of the exact solution's amplitude spectrum counts as a peak above this fraction of the largest. */
        peakThreshold: z.number().gt(0).lt(1).default(0.01),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type DnnJacobiConfig = z.output<typeof dnnJacobiSchema>;
