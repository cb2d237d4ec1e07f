/** What a run sends out: plain, serializable data (worker messages, run files, IndexedDB). No tfjs here. */
import type { NamedTensor } from '../models/model';
import type { AdamWState } from '../train/adamw';

/** What does not change during a run; sent once. Each kind of run adds its own fields. */
export interface RunInfo {
  parameterCount: number;
}

/** A measurement's value by probe name (probes/catalogue.ts says how each becomes columns). */
export type Metrics = Record<string, unknown>;

/** The run at one step. */
export interface Snapshot {
  step: number;
  /** The run's headline loss (a function fit: the mean squared error to the target, whatever loss trains). */
  loss: number;
  metrics: Metrics;
}

export type AdvanceResult =
  | { status: 'running' | 'done'; snapshot: Snapshot }
  | { status: 'diverged'; step: number; message: string };

/** An advance its caller stopped between two steps, before the snapshot: the run is at `step`. */
export interface Interrupted {
  status: 'interrupted';
  step: number;
}

/** How a run trains (see train/stepper.ts); 'sweep': a sweep's batched programs; 'float64': plain JavaScript arithmetic, no tensors. */
export type TrainingPath = 'cpu-step' | 'gpu-step' | 'tape' | 'sweep' | 'float64';

/** A run's weights at its start and now. */
export interface RunParams {
  initial: NamedTensor[];
  current: NamedTensor[];
}

/**
 * What a host drives: one network training, or a sweep of many. `advance` trains up to `steps` units (steps, or a
 * sweep's chunks) without reading back, then takes a snapshot.
 */
export interface RunSession<I extends RunInfo = RunInfo> {
  readonly info: I;
  readonly step: number;
  readonly finished: boolean;
  readonly trainingPath: TrainingPath;
  /** Units between snapshots and in all (the play bar's schedule). */
  readonly schedule: { every: number; total: number };
  advance(steps: number): Promise<AdvanceResult>;
  /**
   * The same, asking `stopRequested` between steps now and then (a run whose steps take seconds: a pause, a reset,
   * a new config must not wait for the interval) and stopping there when it says so; the next advance first
   * completes the interrupted one. A session whose advances are short may never ask.
   */
  advance(steps: number, stopRequested: () => boolean): Promise<AdvanceResult | Interrupted>;
  snapshot(): Promise<Snapshot>;
  /** Back to the initial weights at step 0. */
  reset(): void;
  readParams(): Promise<NamedTensor[]>;
  /** The optimizer's state, where a session keeps one that a resumed run can continue (resumeFrom.optimizer). */
  readOptimizer?(): Promise<AdamWState>;
  readonly initialParams: readonly NamedTensor[];
  dispose(): void;
}
