/**
 * What every single-network run shares: a seeded MLP and its optimizer, training in chunks of steps without
 * read-backs, a stop with a message when the loss stops being finite, reset to the same initial weights.
 * Subclasses own the data, the loss and what a snapshot measures.
 */
import * as tf from '@tensorflow/tfjs';
import { initParams, Mlp, type LayerParams, type MlpSpec } from '../models/mlp';
import type { AdvanceResult, Snapshot } from './session';
import { CpuStep, cpuStepApplies } from './cpuStep';

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
  /** Train through tfjs' gradient tape and optimizer even where the CPU step applies (the reference it is tested against). */
  tape?: boolean;
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
  /** The tape-free step on CPU backends, made at the first advance when it applies (see cpuStep.ts). */
  private cpuStep: CpuStep | null = null;
  private readonly tapeOnly: boolean;

  constructor(protected readonly spec: MlpSpec, seed: number, private readonly train: TrainSettings, options: TrainerOptions = {}) {
    this.initial = options.initial ?? initParams(spec, seed);
    this.model = new Mlp(spec, options.resumeFrom?.params ?? this.initial);
    this.optimizer = makeOptimizer(train);
    this.currentStep = options.resumeFrom?.step ?? 0;
    this.tapeOnly = options.tape ?? false;
  }

  /** The loss of step `step` (0-based), built inside the optimizer's tape. */
  protected abstract loss(step: number): tf.Scalar;
  /** Inputs and targets when every step's loss is their mean squared error (the CPU step's case); null otherwise. */
  protected abstract get meanSquaredErrorData(): { xs: tf.Tensor2D; ys: tf.Tensor2D } | null;

  /** The CPU step when it applies to this run on this backend; made from the model's current weights. */
  private async fastStep(): Promise<CpuStep | null> {
    if (this.cpuStep || this.tapeOnly) return this.cpuStep;
    const data = this.meanSquaredErrorData;
    if (!data || !cpuStepApplies(this.spec.activation, !this.spec.scales && !this.spec.dropout)) return null;
    this.cpuStep = new CpuStep(await this.model.read(), this.spec.activation, this.train, data.xs, data.ys);
    return this.cpuStep;
  }

  /** Which path trains: 'cpu-step' (hand-written backward) or 'tape' (tfjs gradients and optimizer). */
  get trainingPath(): 'cpu-step' | 'tape' {
    return this.cpuStep ? 'cpu-step' : 'tape';
  }
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
    const fast = count > 0 ? await this.fastStep() : this.cpuStep;
    if (fast) {
      for (let i = 0; i < count; i++) fast.step();
      // The model's variables follow only when something reads them.
      this.model.assign(fast.read());
    } else {
      for (let i = 0; i < count; i++) {
        const step = this.currentStep + i;
        tf.tidy(() => {
          this.optimizer.minimize(() => this.loss(step), false, this.model.variables);
        });
      }
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
    this.cpuStep?.load(this.initial);
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
    this.cpuStep?.dispose();
    this.disposeData();
  }
}
