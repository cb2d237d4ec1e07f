/**
 * A phase-diagram sweep as a run, so the page drives it like any other (play, pause, step, reset, save,
 * export): `advance` lets the sweep train about that many steps, chunk by chunk, then holds it until asked for
 * more. A snapshot carries the diagram so far and the current width's progress.
 */
import type { NamedTensor } from '../../core/models/model';
import { SLICE_MS, yieldToEvents } from '../../core/run/turns';
import type { AdvanceResult, Interrupted, RunSession, Snapshot } from '../../core/run/types';
import { emptySweep, SWEEP, SWEEP_PROGRESS, sweepLength, type SweepInfo, type SweepProgress, type SweepResult } from './diagram';
import type { PhaseDiagramConfig } from './schema';
import { runPhaseDiagram } from './sweep';

export class SweepRun implements RunSession<SweepInfo> {
  readonly info: SweepInfo;
  readonly trainingPath = 'sweep';
  readonly initialParams: readonly NamedTensor[] = [];
  private result: SweepResult;
  private progress: SweepProgress | null = null;
  /** Steps of the finished widths, and of the current one so far. */
  private doneSteps = 0;
  private currentSteps = 0;
  /** Steps the sweep may still take before it waits. */
  private allowance = 0;
  /** Lets a waiting sweep go on; wakes `advance` when the sweep waits or ends. */
  private resume: (() => void) | null = null;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private failure: Error | null = null;
  /** Bumped by reset and dispose: a sweep of an older generation stops at its next step. */
  private generation = 0;
  /** The advance under way asks this between steps; set when it stopped the sweep there (the next advance completes that one). */
  private stopRequested: () => boolean = () => false;
  private interrupted = false;
  /** When the sweep last gave the thread a turn. */
  private sliceStart = 0;

  /** `last`: a snapshot of this sweep (a saved or imported run) to go on from, after its finished widths; `cells`: a shard's cells (all when absent). */
  constructor(
    private readonly config: PhaseDiagramConfig,
    last?: Snapshot,
    private readonly trainedCells?: readonly number[],
    /** Milliseconds of training between turns of the thread (0: after every step, as a test of interruption takes it). */
    private readonly sliceMs = SLICE_MS,
  ) {
    const previous = last && SWEEP.of(last);
    this.result = previous ?? emptySweep(config);
    if (previous) this.doneSteps = last?.step ?? 0;
    const { widths } = config.sweep;
    const cells = this.result.cells.length;
    this.info = { cells, widths, parameterCount: cells * 3 * widths[widths.length - 1] };
  }

  get schedule() {
    return { every: this.config.train.chunk, total: sweepLength(this.config) };
  }

  get step(): number {
    return this.doneSteps + this.currentSteps;
  }

  get finished(): boolean {
    return this.result.done.length === this.result.widths.length;
  }

  /**
   * Lets the sweep train `steps` more (after an interrupted advance: what that one had left), then snapshots.
   * Between two steps it gives the thread a turn every SLICE_MS and stops there when `stopRequested` says so,
   * at the step of the last chunk it reported (the steps since then are kept, and not reported twice).
   */
  advance(steps: number): Promise<AdvanceResult>;
  advance(steps: number, stopRequested: () => boolean): Promise<AdvanceResult | Interrupted>;
  async advance(steps: number, stopRequested: () => boolean = () => false): Promise<AdvanceResult | Interrupted> {
    if (!this.finished) {
      if (!this.interrupted) this.allowance = steps;
      this.interrupted = false;
      this.stopRequested = stopRequested;
      this.sliceStart = performance.now();
      const waited = new Promise<void>((resolve) => (this.wake = resolve));
      if (this.running) this.resume?.();
      else this.running = this.start(this.generation);
      await waited;
      if (this.failure) throw this.failure;
      if (this.interrupted) return { status: 'interrupted', step: this.step };
    }
    return { status: this.finished ? 'done' : 'running', snapshot: await this.snapshot() };
  }

  /** Between two steps of a chunk: at the end of a slice, the thread's turn, and the stop the advance under way may ask for there. */
  private turn(current: () => boolean): Promise<void> | undefined {
    if (!current() || performance.now() - this.sliceStart < this.sliceMs) return undefined;
    return (async () => {
      await yieldToEvents();
      this.sliceStart = performance.now();
      if (!current() || !this.stopRequested()) return;
      this.interrupted = true;
      await new Promise<void>((resolve) => {
        this.resume = resolve;
        this.wake?.();
      });
    })();
  }

  private async start(generation: number): Promise<void> {
    const current = () => generation === this.generation;
    try {
      await runPhaseDiagram(this.config, {
        previous: this.result,
        cells: this.trainedCells,
        cancelled: () => !current(),
        turn: () => this.turn(current),
        onProgress: (progress) => {
          if (!current()) return;
          this.allowance -= progress.step - this.currentSteps;
          this.progress = progress;
          this.currentSteps = progress.step;
          // A chunk that ends its width goes on to record it, so no two snapshots share a step (the last would repeat the one before).
          const widthEnds = progress.finished === progress.total || progress.step >= this.config.train.maxSteps;
          if (this.allowance > 0 || widthEnds) return;
          return new Promise<void>((resolve) => {
            this.resume = resolve;
            this.wake?.();
          });
        },
        onWidth: (result) => {
          if (!current()) return;
          this.result = result;
          this.doneSteps += this.currentSteps;
          this.currentSteps = 0;
        },
      });
    } catch (error) {
      if (current()) this.failure = error as Error;
    }
    if (current()) this.wake?.();
  }

  async snapshot(): Promise<Snapshot> {
    // A sweep has no single loss.
    return { step: this.step, loss: Number.NaN, metrics: { [SWEEP.name]: this.result, [SWEEP_PROGRESS.name]: this.progress } };
  }

  reset(): void {
    this.stop();
    this.result = emptySweep(this.config);
    this.progress = null;
    this.doneSteps = this.currentSteps = 0;
    this.failure = null;
    this.interrupted = false;
  }

  readParams(): Promise<NamedTensor[]> {
    return Promise.resolve([]);
  }

  dispose(): void {
    this.stop();
  }

  /** Lets a waiting sweep of this generation run to its next check, where it stops and frees its networks. */
  private stop(): void {
    this.generation++;
    this.resume?.();
    this.resume = null;
    this.running = null;
  }
}
