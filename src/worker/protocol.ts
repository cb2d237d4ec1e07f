/** The worker's interface, shared by the worker and the page (types only). */
import type { BackendReport } from '../core/backend';
import type { ExperimentConfig } from '../core/config/schema';
import type { AdvanceResult, ExperimentInfo, Snapshot } from '../core/train/session';

export interface Loaded {
  backend: BackendReport;
  info: ExperimentInfo;
  snapshot: Snapshot;
}

export interface AdvanceReply {
  result: AdvanceResult;
  /** Set when the backend changed under the run (a lost GPU device): what happened, in words. */
  recovered?: { backend: BackendReport; message: string };
}

export interface EngineApi {
  /** Validates `config` (untrusted) and starts a run at step 0; replaces any previous run. */
  load(config: unknown): Promise<Loaded>;
  advance(steps: number): Promise<AdvanceReply>;
  /** Same initial weights, step 0. */
  reset(): Promise<Snapshot>;
  dispose(): void;
}

export type { ExperimentConfig };
