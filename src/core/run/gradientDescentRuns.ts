/**
 * A run of float64 networks each taking one optimizer step per step (the embedding, initialization-error and
 * DNN-Jacobi pages): the schedule, the step count and the advance they share. A page's run adds its networks
 * (`reset` sets `trainers`), what else a step does (`afterStep`), its snapshot and what counts as diverged.
 */
import type { NamedTensor } from '../models/model';
import type { AdvanceResult, RunInfo, RunSession, Snapshot } from './types';

export abstract class GradientDescentRuns<I extends RunInfo> implements RunSession<I> {
  abstract readonly info: I;
  readonly trainingPath = 'float64';
  readonly initialParams: readonly NamedTensor[] = [];
  protected trainers: { step(): number }[] = [];
  protected current = 0;

  constructor(private readonly length: { steps: number; snapshotEvery: number }) {}

  get schedule() {
    return { every: this.length.snapshotEvery, total: this.length.steps };
  }

  get step(): number {
    return this.current;
  }

  get finished(): boolean {
    return this.current >= this.length.steps;
  }

  async advance(steps: number): Promise<AdvanceResult> {
    const count = Math.max(0, Math.min(steps, this.length.steps - this.current));
    for (let i = 0; i < count; i++) {
      for (const trainer of this.trainers) trainer.step();
      this.current++;
      this.afterStep();
    }
    const snapshot = await this.snapshot();
    const diverged = this.divergence(snapshot);
    if (diverged) return { status: 'diverged', step: this.current, message: diverged };
    return { status: this.finished ? 'done' : 'running', snapshot };
  }

  /** What a step does besides the trainers' steps (DNN-Jacobi's sweeps), once `step` counts it. */
  protected afterStep(): void {}

  abstract snapshot(): Promise<Snapshot>;

  /** Why the run has diverged at this snapshot, or null. */
  protected abstract divergence(snapshot: Snapshot): string | null;

  abstract reset(): void;

  readParams(): Promise<NamedTensor[]> {
    return Promise.resolve([]);
  }

  dispose(): void {}
}
