/**
 * How a run takes its steps, chosen here and only here: our WebAssembly CPU step or our WebGPU step where they
 * apply (hand-written gradients, tested against the tape), tfjs' gradient tape everywhere else. Whatever trains,
 * `current()` and `read()` give the weights of now: a fast path that trains outside the model's variables copies
 * them in before anyone reads the model.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model, NamedTensor } from '../models/model';
import { Mlp } from '../models/mlp';
import { mlpFromNamed, mlpToNamed, neuronScales } from '../models/mlpSpec';
import type { Objective } from '../objectives/objective';
import type { TrainingPath } from '../run/types';
import { CpuStep, cpuStepApplies, type CpuStepOptions } from './cpuStep';
import { dataLossGradients, gpuStepApplies } from './gpuStep';
import { availableThreads } from './threads';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './wasmKernels';
import { WebGpuAdam } from './webgpuKernels';

/** How a network trains: by hand-written gradients in our WebAssembly kernels ('cpu-step') or WebGPU programs ('gpu-step'), or through tfjs' gradient tape. */
export type StepPath = Exclude<TrainingPath, 'sweep'>;

export interface TrainSettings {
  optimizer: 'adam' | 'sgd';
  lr: number;
  /** SGD's heavy-ball momentum (PyTorch's form, v ← μv + g, θ ← θ − ηv); absent or 0: plain SGD. */
  momentum?: number;
  /** The learning rate is multiplied by `factor` at each step of `at` (a step schedule). */
  lrDecay?: { at: readonly number[]; factor: number };
  /**
   * Decoupled weight decay λ (AdamW's, PyTorch's torch.optim.AdamW; with SGD the same form): each step takes the
   * gradient at θ, then θ ← θ(1 − ηλ) − η·update. Absent or 0: none.
   */
  weightDecay?: number;
}

/** The learning rate at `step` under the settings' schedule. */
export function learningRateAt(train: TrainSettings, step: number): number {
  const drops = train.lrDecay ? train.lrDecay.at.filter((at) => step >= at).length : 0;
  return train.lr * (train.lrDecay?.factor ?? 1) ** drops;
}

export interface Stepper {
  readonly path: StepPath;
  /**
   * Step `index` (0-based) in parts, reading nothing back: each `next()` takes one part, and the run loop may give
   * the thread a turn between two. The CPU step splits a huge network's products (a step of tens of seconds
   * must not keep a pause waiting); the others take the step whole. A step left unfinished has changed no weight
   * and no optimizer state.
   */
  stepInParts(index: number): Generator<void, void>;
  /** The current network's output at `xs` (by the fast path when it trains: much faster on its backends). */
  predict(xs: tf.Tensor2D): tf.Tensor;
  /** The model, holding the current weights. */
  current(): Model;
  read(): Promise<NamedTensor[]>;
  /** These weights and a fresh optimizer state. */
  restart(params: readonly NamedTensor[]): void;
  /** Frees the optimizer (the model belongs to the run). */
  dispose(): void;
}

export interface StepperOptions {
  /** tfjs' gradient tape and optimizer even where a hand-written step applies (the reference they are tested against). */
  tape?: boolean;
}

/** A tfjs optimizer whose learning rate a schedule can change between steps. */
type ScheduledOptimizer = tf.Optimizer & { setLearningRate(lr: number): void };

/** tfjs' Adam reads its rate at each step but offers no setter (SGD's has one). */
class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}

/** `tfjsOnly`: tfjs' own Adam even on WebGPU, where ours takes 2 dispatches a variable instead of 14. */
function makeOptimizer(train: TrainSettings, tfjsOnly: boolean): ScheduledOptimizer {
  if (train.optimizer === 'sgd') return train.momentum ? tf.train.momentum(train.lr, train.momentum) : tf.train.sgd(train.lr);
  // ε = 1e-8 as in PyTorch, so the reference implementation and ours take the same steps.
  return tf.getBackend() === 'webgpu' && !tfjsOnly ? new WebGpuAdam(train.lr) : new ScheduledAdam(train.lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
}

/** The stepper for this model, objective and backend; `start`: the weights the model holds now. */
export function chooseStepper(model: Model, objective: Objective, train: TrainSettings, start: readonly NamedTensor[], options: StepperOptions = {}): Stepper {
  const mlp = options.tape || !(model instanceof Mlp) ? null : model;
  const data = objective.meanSquaredError ?? objective.softmaxCrossEntropy;
  if (mlp && data && cpuStepApplies(mlp.spec.activation)) {
    const { dropout, scales, widths, activation } = mlp.spec;
    const extras: CpuStepOptions = {
      dropout: dropout ? { rate: dropout, runSeed: mlp.runSeed } : undefined,
      inputScales: scales ? neuronScales(widths[0], scales) : undefined,
      threads: availableThreads().count,
      loss: objective.meanSquaredError ? 'mse' : 'softmax-cross-entropy',
      weightDecay: objective.softmaxCrossEntropy?.weightDecay,
    };
    return new CpuStepper(mlp, new CpuStep(mlpFromNamed(start) ?? [], activation, train, data.xs, data.ys, extras));
  }
  // The WebGPU step knows plain MLPs on the squared error with plain Adam or SGD only (no input scales, no dropout, no momentum, no schedule).
  const plain = !mlp?.spec.scales && !mlp?.spec.dropout && !train.momentum && !train.lrDecay;
  if (mlp && objective.meanSquaredError && gpuStepApplies(mlp.spec.activation, plain)) {
    const { xs, ys } = objective.meanSquaredError;
    return new TfjsStepper('gpu-step', model, train, false, () => dataLossGradients(mlp, xs, ys));
  }
  return new TfjsStepper('tape', model, train, options.tape ?? false, (optimizer, step) => optimizer.computeGradients(() => objective.loss(step), model.variables).grads);
}

/** Steps through tfjs: gradients from the tape, or hand-written ones on WebGPU, applied by a tfjs optimizer after the weight decay. */
class TfjsStepper implements Stepper {
  private optimizer: ScheduledOptimizer;
  /** The rate the optimizer holds (a schedule changes it). */
  private lr: number;

  constructor(
    readonly path: StepPath,
    private readonly model: Model,
    private readonly settings: TrainSettings,
    private readonly tfjsOnly: boolean,
    private readonly gradients: (optimizer: tf.Optimizer, step: number) => tf.NamedTensorMap,
  ) {
    this.optimizer = makeOptimizer(settings, tfjsOnly);
    this.lr = settings.lr;
  }

  // eslint-disable-next-line require-yield -- the tape's step is one part
  *stepInParts(index: number): Generator<void, void> {
    const lr = learningRateAt(this.settings, index);
    if (lr !== this.lr) this.optimizer.setLearningRate((this.lr = lr));
    tf.tidy(() => {
      const gradients = this.gradients(this.optimizer, index);
      const keep = 1 - lr * (this.settings.weightDecay ?? 0);
      if (keep !== 1) for (const variable of this.model.variables) variable.assign(tf.mul(variable, keep));
      this.optimizer.applyGradients(gradients);
    });
  }

  predict(xs: tf.Tensor2D): tf.Tensor {
    return this.model.forward(xs).output;
  }

  current(): Model {
    return this.model;
  }

  read(): Promise<NamedTensor[]> {
    return this.model.read();
  }

  restart(params: readonly NamedTensor[]): void {
    this.model.assign(params);
    this.optimizer.dispose();
    this.optimizer = makeOptimizer(this.settings, this.tfjsOnly);
    this.lr = this.settings.lr;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Steps in our WebAssembly kernels (cpuStep.ts); the model's variables follow only when someone reads them. */
class CpuStepper implements Stepper {
  readonly path: StepPath = 'cpu-step';
  /** The kernels have moved on since the model's variables were last set from them. */
  private modelBehind = false;

  constructor(
    private readonly model: Mlp,
    private readonly fast: CpuStep,
  ) {}

  *stepInParts(index: number): Generator<void, void> {
    yield* this.fast.stepInParts(index);
    this.modelBehind = true;
  }

  predict(xs: tf.Tensor2D): tf.Tensor {
    return this.fast.predict(xs);
  }

  current(): Model {
    if (this.modelBehind) this.model.assignLayers(this.fast.read());
    this.modelBehind = false;
    return this.model;
  }

  read(): Promise<NamedTensor[]> {
    // The kernels hold the current weights themselves: no need to set the model's variables only to read them back.
    return Promise.resolve(mlpToNamed(this.fast.read()));
  }

  restart(params: readonly NamedTensor[]): void {
    this.fast.load(mlpFromNamed(params) ?? []);
    this.model.assign(params);
    this.modelBehind = false;
  }

  dispose(): void {
    this.fast.dispose();
  }
}
