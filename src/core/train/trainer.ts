/**
 * What every single-network run shares: a seeded MLP and its optimizer, training in chunks of steps without
 * read-backs, a stop with a message when the loss stops being finite, reset to the same initial weights.
 * Subclasses own the data, the loss and what a snapshot measures.
 */
import * as tf from '@tensorflow/tfjs';
import { initParams, Mlp, type LayerParams, type MlpSpec } from '../models/mlp';
import type { AdvanceResult, Snapshot } from './session';

export interface TrainSettings {
  optimizer: 'adam' | 'sgd';
  lr: number;
  steps: number;
}

export interface TrainerOptions {
  /** Start from these weights instead of the seeded draw (a weights file); reset returns to them. */
  initial?: LayerParams[];
  /** Continue from these weights at this step (recovery after a lost GPU, a restored run); reset and RD still refer to the start. */
  resumeFrom?: { step: number; params: LayerParams[] };
}

function makeOptimizer(train: TrainSettings): tf.Optimizer {
  // ε = 1e-8 as in PyTorch, so the reference implementation and ours take the same steps.
  return train.optimizer === 'adam' ? tf.train.adam(train.lr, 0.9, 0.999, 1e-8) : tf.train.sgd(train.lr);
}

export abstract class Trainer {
  protected readonly initial: LayerParams[];
  protected readonly model: Mlp;
  protected optimizer: tf.Optimizer;
  protected currentStep: number;
  private diverged: { step: number; message: string } | null = null;

  constructor(spec: MlpSpec, seed: number, private readonly train: TrainSettings, options: TrainerOptions = {}) {
    this.initial = options.initial ?? initParams(spec, seed);
    this.model = new Mlp(spec, options.resumeFrom?.params ?? this.initial);
    this.optimizer = makeOptimizer(train);
    this.currentStep = options.resumeFrom?.step ?? 0;
  }

  /** The loss of step `step` (0-based), built inside the optimizer's tape. */
  protected abstract loss(step: number): tf.Scalar;
  abstract snapshot(): Promise<Snapshot>;
  /** Frees the subclass' tensors. */
  protected abstract disposeData(): void;

  get step(): number {
    return this.currentStep;
  }

  get finished(): boolean {
    return this.currentStep >= this.train.steps;
  }

  /** Trains up to `steps` steps (never past the configured total), then snapshots. */
  async advance(steps: number): Promise<AdvanceResult> {
    if (this.diverged) return { status: 'diverged', ...this.diverged };
    const count = Math.max(0, Math.min(steps, this.train.steps - this.currentStep));
    for (let i = 0; i < count; i++) {
      const step = this.currentStep + i;
      tf.tidy(() => {
        this.optimizer.minimize(() => this.loss(step), false, this.model.variables);
      });
    }
    const before = this.currentStep;
    this.currentStep += count;
    const snapshot = await this.snapshot();
    const nonFinite = [snapshot.loss, snapshot.metrics.modelLoss?.value ?? 0].find((value) => !Number.isFinite(value));
    if (nonFinite !== undefined) {
      this.diverged = {
        step: this.currentStep,
        message: `training diverged: the loss became ${nonFinite} between step ${before} and step ${this.currentStep}; lower the learning rate or the initialization scale, then reset`,
      };
      return { status: 'diverged', ...this.diverged };
    }
    return { status: this.finished ? 'done' : 'running', snapshot };
  }

  /** Back to the same initial weights and a fresh optimizer (reseeding is a new run). */
  reset(): void {
    this.model.assign(this.initial);
    this.optimizer.dispose();
    this.optimizer = makeOptimizer(this.train);
    this.currentStep = 0;
    this.diverged = null;
  }

  readParams(): Promise<LayerParams[]> {
    return this.model.read();
  }

  /** The weights the run started from (reset returns to them). */
  get initialParams(): readonly LayerParams[] {
    return this.initial;
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    this.disposeData();
  }
}
