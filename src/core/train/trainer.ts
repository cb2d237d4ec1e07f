/**
 * What every single-network run shares: a seeded MLP and its optimizer, training in chunks of steps without
 * read-backs, a stop with a message when the loss stops being finite, reset to the same initial weights.
 * Subclasses own the data, the loss and what a snapshot measures.
 */
import * as tf from '@tensorflow/tfjs';
import { initParams, Mlp, type LayerParams, type MlpSpec } from '../models/mlp';
import type { AdvanceResult, Snapshot } from './session';
import { CpuStep, cpuStepApplies } from './cpuStep';
import { WebGpuAdam } from './webgpuKernels';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './wasmKernels';
import { dataLossGradients, gpuStepApplies } from './gpuStep';

/** How a run trains: by hand-written gradients in our WebAssembly kernels ('cpu-step') or WebGPU programs ('gpu-step'), or through tfjs' gradient tape. */
export type TrainingPath = 'cpu-step' | 'gpu-step' | 'tape';

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
  /** Train through tfjs' gradient tape and optimizer even where the CPU step, the GPU step or our WebGPU Adam applies (the reference they are tested against). */
  tape?: boolean;
}

/** `tfjsOnly`: tfjs' own Adam even on WebGPU, where ours takes 2 dispatches a variable instead of 14. */
function makeOptimizer(train: TrainSettings, tfjsOnly: boolean): tf.Optimizer {
  if (train.optimizer === 'sgd') return tf.train.sgd(train.lr);
  // ε = 1e-8 as in PyTorch, so the reference implementation and ours take the same steps.
  return tf.getBackend() === 'webgpu' && !tfjsOnly ? new WebGpuAdam(train.lr) : tf.train.adam(train.lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
}

export abstract class Trainer {
  protected readonly initial: LayerParams[];
  protected readonly model: Mlp;
  protected optimizer: tf.Optimizer;
  protected currentStep: number;
  private diverged: { step: number; message: string } | null = null;
  /** The tape-free step on CPU backends where it applies (see cpuStep.ts); undefined until first asked for. */
  private cpuStepOrNull: CpuStep | null | undefined;
  private readonly tapeOnly: boolean;
  /** The weights the model was built from (where the CPU step starts). */
  private readonly startParams: LayerParams[];
  /** The CPU step has moved on since the model's variables were last set from it. */
  private modelBehind = false;

  constructor(protected readonly spec: MlpSpec, seed: number, private readonly train: TrainSettings, options: TrainerOptions = {}) {
    this.initial = options.initial ?? initParams(spec, seed);
    this.startParams = options.resumeFrom?.params ?? this.initial;
    this.model = new Mlp(spec, this.startParams);
    this.tapeOnly = options.tape ?? false;
    this.optimizer = makeOptimizer(train, this.tapeOnly);
    this.currentStep = options.resumeFrom?.step ?? 0;
  }

  /** The loss of step `step` (0-based), built inside the optimizer's tape. */
  protected abstract loss(step: number): tf.Scalar;
  /** Inputs and targets when every step's loss is their mean squared error (the CPU and GPU steps' case); null otherwise. */
  protected abstract get meanSquaredErrorData(): { xs: tf.Tensor2D; ys: tf.Tensor2D } | null;

  /** No input scales, no dropout: the networks the hand-written steps know. */
  private get plain(): boolean {
    return !this.spec.scales && !this.spec.dropout;
  }

  /**
   * The CPU step when it applies to this run on this backend. Made at the first call, which comes before any
   * training (advance and snapshots ask first), so from the weights the model was built from.
   */
  private get cpuStep(): CpuStep | null {
    if (this.cpuStepOrNull === undefined) {
      const data = this.tapeOnly ? null : this.meanSquaredErrorData;
      const applies = data && cpuStepApplies(this.spec.activation, this.plain);
      this.cpuStepOrNull = applies ? new CpuStep(this.startParams, this.spec.activation, this.train, data.xs, data.ys) : null;
    }
    return this.cpuStepOrNull;
  }

  /** The data when the hand-written WebGPU gradients apply (gpuStep.ts), null otherwise. */
  private get gpuStepData(): { xs: tf.Tensor2D; ys: tf.Tensor2D } | null {
    if (this.tapeOnly || !gpuStepApplies(this.spec.activation, this.plain)) return null;
    return this.meanSquaredErrorData;
  }

  /** Which path trains: 'cpu-step' or 'gpu-step' (hand-written backward) or 'tape' (tfjs gradients and optimizer). */
  get trainingPath(): TrainingPath {
    return this.cpuStep ? 'cpu-step' : this.gpuStepData ? 'gpu-step' : 'tape';
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
    const fast = this.cpuStep;
    if (fast) {
      for (let i = 0; i < count; i++) fast.step();
      this.modelBehind = count > 0;
    } else {
      const byHand = this.gpuStepData;
      for (let i = 0; i < count; i++) {
        const step = this.currentStep + i;
        tf.tidy(() => {
          if (byHand) this.optimizer.applyGradients(dataLossGradients(this.model, byHand.xs, byHand.ys));
          else this.optimizer.minimize(() => this.loss(step), false, this.model.variables);
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
    this.modelBehind = false;
    this.cpuStep?.load(this.initial);
    this.optimizer.dispose();
    this.optimizer = makeOptimizer(this.train, this.tapeOnly);
    this.currentStep = 0;
    this.diverged = null;
  }

  readParams(): Promise<LayerParams[]> {
    // The CPU step holds the current weights itself: no need to set the model's variables only to read them back.
    return this.cpuStep ? Promise.resolve(this.cpuStep.read()) : this.model.read();
  }

  /** The model with the current weights (set from the CPU step only when something reads them). */
  protected get trainedModel(): Mlp {
    if (this.modelBehind && this.cpuStep) this.model.assign(this.cpuStep.read());
    this.modelBehind = false;
    return this.model;
  }

  /** The current network's output for `xs`; by the CPU step when it trains, which is much faster on its backends. */
  protected predict(xs: tf.Tensor2D): tf.Tensor {
    return this.cpuStep ? this.cpuStep.predict(xs) : this.model.forward(xs);
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
