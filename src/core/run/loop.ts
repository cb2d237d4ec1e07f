/**
 * The one run loop: a model, its objective and its probes, trained K steps at a time without reading anything
 * back, then one snapshot (one read-back of everything the probes need). It stops with a message when a loss
 * stops being finite and returns to the same initial weights on reset. What it trains and measures comes from a
 * phenomenon's build; how it steps, from train/stepper.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model, NamedTensor } from '../models/model';
import type { Objective } from '../objectives/objective';
import type { Probe, ProbeContext } from '../probes/probe';
import type { AdamWState } from '../train/adamw';
import { chooseStepper, type Stepper, type StepperOptions, type TrainSettings } from '../train/stepper';
import { SLICE_MS, yieldToEvents } from './turns';
import type { AdvanceResult, Interrupted, RunInfo, RunSession, Snapshot } from './types';

/** What a readable can use: the current network's output (by the fastest path) and the other readables. */
export interface ReadContext {
  predict(xs: tf.Tensor2D): tf.Tensor;
  read(name: string): tf.Tensor;
  model(): Model;
}

/** What a phenomenon's build hands the loop. */
export interface RunParts<I extends RunInfo = RunInfo> {
  info: I;
  /** Built from `start` (RunOptions), or from `initial`. */
  model: Model;
  /** The weights of step 0: reset returns to them, RD measures from them. */
  initial: NamedTensor[];
  objective: Objective;
  /**
   * Tensors the probes may read besides parameters, by name; "loss" (a scalar, the snapshot's loss) is required.
   * Made inside one tidy per snapshot.
   */
  readables: Record<string, (context: ReadContext) => tf.Tensor>;
  probes: Probe<unknown, I>[];
  /** Readables that must stay finite (the loss, and any other loss the run reports); always read. */
  guards: string[];
  train: TrainSettings & { steps: number; snapshotEvery: number };
  /** Frees the parts' own tensors (the data); the loop frees model, objective and optimizer. */
  dispose(): void;
}

export interface RunOptions extends StepperOptions {
  /** Start from these weights instead of the seeded draw (a weights file); reset returns to them. */
  initial?: NamedTensor[];
  /**
   * Continue from these weights at this step (recovery after a lost GPU, a restored run); reset and RD still refer
   * to the start. `optimizer`: the optimizer's state at that step, from a session that can read it (readOptimizer);
   * without it the optimizer starts afresh.
   */
  resumeFrom?: { step: number; params: NamedTensor[]; optimizer?: AdamWState };
  /** Milliseconds of training between turns of the thread (SLICE_MS; 0: after every step, as a test of interruption takes it). */
  sliceMs?: number;
}

export class Run<I extends RunInfo = RunInfo> implements RunSession<I> {
  readonly info: I;
  private readonly stepper: Stepper;
  private currentStep: number;
  private diverged: { step: number; message: string } | null = null;
  /** Where an interrupted advance was going: the next advance goes there (the snapshots stay on their schedule). */
  private interruptedTarget: number | null = null;
  private readonly initialByName: Map<string, Float32Array>;
  private readonly sliceMs: number;

  constructor(
    private readonly parts: RunParts<I>,
    options: RunOptions = {},
  ) {
    this.info = parts.info;
    this.currentStep = options.resumeFrom?.step ?? 0;
    this.stepper = chooseStepper(parts.model, parts.objective, parts.train, options.resumeFrom?.params ?? parts.initial, options);
    this.initialByName = new Map(parts.initial.map((t) => [t.name, t.values]));
    this.sliceMs = options.sliceMs ?? SLICE_MS;
    // A run saved inside an interval (paused there) goes on to its next scheduled snapshot, as it would have unsaved.
    const every = parts.train.snapshotEvery;
    if (this.currentStep % every) this.interruptedTarget = Math.ceil(this.currentStep / every) * every;
  }

  get trainingPath() {
    return this.stepper.path;
  }

  get schedule() {
    return { every: this.parts.train.snapshotEvery, total: this.parts.train.steps };
  }

  get step(): number {
    return this.currentStep;
  }

  get finished(): boolean {
    return this.currentStep >= this.parts.train.steps;
  }

  get initialParams(): readonly NamedTensor[] {
    return this.parts.initial;
  }

  /**
   * Trains up to `steps` steps (never past the configured total; after an interrupted advance, up to where that
   * one was going), then snapshots. Gives the thread a turn every SLICE_MS, and stops there if interrupted.
   */
  advance(steps: number): Promise<AdvanceResult>;
  advance(steps: number, stopRequested: () => boolean): Promise<AdvanceResult | Interrupted>;
  async advance(steps: number, stopRequested: () => boolean = () => false): Promise<AdvanceResult | Interrupted> {
    if (this.diverged) return { status: 'diverged', ...this.diverged };
    const target = Math.min(this.interruptedTarget ?? this.currentStep + Math.max(0, steps), this.parts.train.steps);
    this.interruptedTarget = null;
    const before = this.currentStep;
    let sliceStart = performance.now();
    // Checked synchronously at every step, so that a small network's steps await nothing (a promise a step took
    // 10⁵ steps of a 1-8-8-1 network from 4 s to 9 s).
    const due = () => performance.now() - sliceStart >= this.sliceMs;
    /** The thread's turn at the end of a slice; whether the run was interrupted then. */
    const interrupted = async (): Promise<boolean> => {
      await yieldToEvents();
      sliceStart = performance.now();
      if (!stopRequested()) return false;
      this.interruptedTarget = target;
      return true;
    };
    while (this.currentStep < target) {
      // Between the parts of a step too: a step left unfinished is dropped, and the run stays at the step before it.
      for (const parts = this.stepper.stepInParts(this.currentStep); !parts.next().done; ) {
        if (due() && (await interrupted())) return { status: 'interrupted', step: this.currentStep };
      }
      this.currentStep++;
      if (this.currentStep < target && due() && (await interrupted())) return { status: 'interrupted', step: this.currentStep };
    }
    const { snapshot, guarded } = await this.measure();
    const nonFinite = guarded.find((value) => !Number.isFinite(value));
    if (nonFinite !== undefined) {
      this.diverged = {
        step: this.currentStep,
        message: `training diverged: the loss became ${nonFinite} between step ${before} and step ${this.currentStep}; lower the learning rate or the initialization scale, then reset`,
      };
      return { status: 'diverged', ...this.diverged };
    }
    return { status: this.finished ? 'done' : 'running', snapshot };
  }

  async snapshot(): Promise<Snapshot> {
    return (await this.measure()).snapshot;
  }

  /** One read-back of every guard and every due probe's needs, then the probes' pure measures. */
  private async measure(): Promise<{ snapshot: Snapshot; guarded: number[] }> {
    const step = this.currentStep;
    const probes = this.parts.probes.filter((probe) => !probe.every || step % probe.every === 0);
    const names = [...new Set(['loss', ...this.parts.guards, ...probes.flatMap((probe) => probe.needs)])];
    const sizes: number[] = [];
    const packed = tf.tidy(() => {
      const made = new Map<string, tf.Tensor>();
      let model: Model | null = null;
      const context: ReadContext = {
        predict: (xs) => this.stepper.predict(xs),
        model: () => (model ??= this.stepper.current()),
        read: (name) => {
          let tensor = made.get(name);
          if (!tensor) {
            const readable = this.parts.readables[name];
            // A parameter: from the model holding the current weights (a fast path copies them in first).
            tensor = readable ? readable(context) : (model ??= this.stepper.current()).param(name);
            made.set(name, tensor);
          }
          return tensor;
        },
      };
      const flat = names.map((name) => context.read(name).reshape([-1]));
      flat.forEach((t) => sizes.push(t.size));
      return tf.concat(flat);
    });
    const data = (await packed.data()) as Float32Array;
    packed.dispose();
    const values: Record<string, Float32Array> = {};
    let offset = 0;
    names.forEach((name, i) => (values[name] = data.subarray(offset, (offset += sizes[i]))));
    const shared = new Map<string, unknown>();
    const context: ProbeContext<I> = {
      step,
      info: this.info,
      initial: (name) => {
        const initial = this.initialByName.get(name);
        if (!initial) throw new Error(`the run has no parameter "${name}"`);
        return initial;
      },
      shared: <T>(key: string, make: () => T): T => {
        if (!shared.has(key)) shared.set(key, make());
        return shared.get(key) as T;
      },
    };
    const metrics: Record<string, unknown> = {};
    for (const probe of probes) metrics[probe.name] = probe.compute(values, context);
    return { snapshot: { step, loss: values.loss[0], metrics }, guarded: this.parts.guards.map((name) => values[name][0]) };
  }

  /** Back to the same initial weights and a fresh optimizer (reseeding is a new run). */
  reset(): void {
    this.stepper.restart(this.parts.initial);
    this.currentStep = 0;
    this.diverged = null;
    this.interruptedTarget = null;
  }

  /** The current weights, whatever path trains. */
  readParams(): Promise<NamedTensor[]> {
    return this.stepper.read();
  }

  dispose(): void {
    this.stepper.dispose();
    this.parts.model.dispose();
    this.parts.objective.dispose();
    this.parts.dispose();
  }
}
