/** Adam on one parameter as a run: snapshots every few steps, with the largest loss of the steps in between (a spike is short). */
import type { NamedTensor } from '../../core/models/model';
import { metricKey } from '../../core/probes/probe';
import type { AdvanceResult, RunInfo, RunSession, Snapshot } from '../../core/run/types';
import { loss, stabilityBound, startState, step, type AdamState } from './dynamics';
import type { AdamSpikeConfig } from './schema';

export interface AdamSpikeInfo extends RunInfo {
  /** The stability bound on the preconditioned curvature. */
  bound: number;
}

/** The optimizer's state at the snapshot (what a saved run goes on from) and what the last step saw. */
export interface AdamMeasures {
  theta: number;
  m: number;
  v: number;
  curvature: number;
  gradientRatio: number;
  /** The largest loss since the previous snapshot. */
  peakLoss: number;
}

export const ADAM = metricKey<AdamMeasures>('adam');

export class AdamSpikeRun implements RunSession<AdamSpikeInfo> {
  readonly info: AdamSpikeInfo;
  readonly trainingPath = 'float64';
  readonly initialParams: readonly NamedTensor[] = [];
  private state: AdamState;
  private measures: AdamMeasures;

  constructor(
    private readonly config: AdamSpikeConfig,
    last?: Snapshot,
  ) {
    this.info = { parameterCount: 1, bound: stabilityBound(config) };
    const resumed = last && ADAM.of(last);
    this.state = resumed ? { step: last.step, theta: resumed.theta, m: resumed.m, v: resumed.v } : startState(config);
    this.measures = resumed ?? { theta: this.state.theta, m: 0, v: 0, curvature: Number.NaN, gradientRatio: Number.NaN, peakLoss: loss(config.objective.power, this.state.theta) };
  }

  get schedule() {
    return { every: this.config.train.snapshotEvery, total: this.config.train.steps };
  }

  get step(): number {
    return this.state.step;
  }

  get finished(): boolean {
    return this.state.step >= this.config.train.steps;
  }

  async advance(steps: number): Promise<AdvanceResult> {
    const count = Math.max(0, Math.min(steps, this.config.train.steps - this.state.step));
    let peakLoss = 0;
    for (let i = 0; i < count; i++) {
      const seen = step(this.config, this.state);
      peakLoss = Math.max(peakLoss, seen.loss);
      this.measures = { theta: this.state.theta, m: this.state.m, v: this.state.v, curvature: seen.curvature, gradientRatio: seen.gradientRatio, peakLoss };
    }
    const snapshot = await this.snapshot();
    if (!Number.isFinite(snapshot.loss)) return { status: 'diverged', step: this.state.step, message: `θ diverged at step ${this.state.step}; lower the learning rate, then reset` };
    return { status: this.finished ? 'done' : 'running', snapshot };
  }

  async snapshot(): Promise<Snapshot> {
    return { step: this.state.step, loss: loss(this.config.objective.power, this.state.theta), metrics: { [ADAM.name]: { ...this.measures } } };
  }

  reset(): void {
    this.state = startState(this.config);
    this.measures = { theta: this.state.theta, m: 0, v: 0, curvature: Number.NaN, gradientRatio: Number.NaN, peakLoss: loss(this.config.objective.power, this.state.theta) };
  }

  readParams(): Promise<NamedTensor[]> {
    return Promise.resolve([]);
  }

  dispose(): void {}
}
