/** The page's handle on a phase-diagram sweep in the worker: start, cancel, resume; results as they come. */
import * as Comlink from 'comlink';
import type { BackendReport } from '../core/backend';
import type { PhaseDiagramConfig } from '../core/config/phaseDiagramSchema';
import type { EngineApi } from '../core/host';
import type { SweepProgress, SweepResult } from '../core/sweep/phaseDiagram';
import EngineWorker from '../worker/engine.worker.ts?worker';

export type SweepStatus = 'idle' | 'running' | 'cancelling' | 'cancelled' | 'done' | 'error';

export class SweepRunner {
  status = $state<SweepStatus>('idle');
  progress = $state.raw<SweepProgress | null>(null);
  result = $state.raw<SweepResult | null>(null);
  backend = $state.raw<BackendReport | null>(null);
  message = $state<string | null>(null);

  private readonly worker = new EngineWorker();
  private readonly api = Comlink.wrap<EngineApi>(this.worker);

  constructor(readonly config: PhaseDiagramConfig) {}

  /** Starts afresh, or resumes the widths a cancelled sweep had left. */
  async run(resume = false): Promise<void> {
    if (this.status === 'running' || this.status === 'cancelling') return;
    this.status = 'running';
    this.message = null;
    if (!resume) this.result = null;
    try {
      const reply = await this.api.sweep(
        this.config,
        resume ? (this.result ?? undefined) : undefined,
        Comlink.proxy((progress: SweepProgress) => (this.progress = progress)),
        Comlink.proxy((result: SweepResult) => (this.result = result)),
      );
      this.backend = reply.backend;
      this.result = reply.result;
      this.status = reply.cancelled ? 'cancelled' : 'done';
    } catch (error) {
      this.message = `the sweep stopped: ${(error as Error).message}`;
      this.status = 'error';
    }
  }

  cancel(): void {
    if (this.status !== 'running') return;
    this.status = 'cancelling';
    void this.api.cancelSweep();
  }

  dispose(): void {
    this.worker.terminate();
  }
}
