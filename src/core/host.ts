/**
 * The engine as a service: config in, snapshots out, with recovery when a GPU backend fails mid-run. The Web
 * Worker exposes one of these; it has no DOM, so the tests drive it in Node.
 */
import { selectBackend, type BackendName, type BackendReport } from './backend';
import type { BackendPreference } from './config/schema';
import { parsePhaseDiagram, parseRun, type RunConfig } from './config/validate';
import type { Digits } from './data/mnist';
import { createRunSession, prepareRun, runSpec, type RunSession } from './train/runSession';
import { weightsFromJson, type RunParams } from './weights';
import { runPhaseDiagram, type SweepProgress, type SweepResult } from './sweep/phaseDiagram';
import type { LayerParams } from './models/mlp';
import type { DecodeImage } from './data/image';
import type { AdvanceResult, ExperimentInfo, Snapshot, SessionOptions } from './train/session';
import type { TrainingPath } from './train/trainer';

export interface Loaded {
  backend: BackendReport;
  trainingPath: TrainingPath;
  info: ExperimentInfo;
  snapshot: Snapshot;
}

/** Weights to continue a run from (untrusted: checked against the config's network). */
export interface ResumeWeights {
  step: number;
  initial: unknown;
  current: unknown;
}

export interface AdvanceReply {
  result: AdvanceResult;
  /** Set when the backend changed under the run (a lost GPU device): what happened, in words. */
  recovered?: { backend: BackendReport; trainingPath: TrainingPath; message: string };
}

export interface EngineApi {
  /**
   * Validates `config` (untrusted) and starts a run at step 0, or at `resume.step` from `resume.current`
   * (a restored run; reset then returns to `resume.initial`); replaces any previous run.
   */
  load(config: unknown, resume?: ResumeWeights): Promise<Loaded>;
  /** The run's initial weights and those of now (fresh arrays: the worker hands them over without copying). */
  params(): Promise<RunParams>;
  advance(steps: number): Promise<AdvanceReply>;
  /** Same initial weights, step 0. */
  reset(): Promise<Snapshot>;
  /** Runs a phase-diagram sweep (untrusted config), resuming from `previous`; resolves when done or cancelled. */
  sweep(
    config: unknown,
    previous: SweepResult | undefined,
    onProgress: (progress: SweepProgress) => void,
    onWidth: (result: SweepResult) => void,
  ): Promise<{ backend: BackendReport; result: SweepResult; cancelled: boolean }>;
  /** Stops the running sweep after its current chunk of steps. */
  cancelSweep(): void;
  dispose(): void;
}

const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

export interface HostDependencies {
  selectBackend: (requested: BackendPreference, exclude?: readonly BackendName[]) => Promise<BackendReport>;
  createSession: (config: RunConfig, options: SessionOptions, digits: Digits | null) => RunSession;
  /** Reads an image target's pixels (the worker fetches it from the app; Node reads the file). */
  decodeImage: DecodeImage;
  /** The shipped MNIST digits (the worker imports them from the build; Node reads the package). */
  loadDigits: () => Promise<Digits>;
}

const DEFAULT_DEPENDENCIES: HostDependencies = {
  selectBackend,
  createSession: createRunSession,
  decodeImage: () => Promise.reject(new Error('no image decoder in this environment')),
  loadDigits: () => Promise.reject(new Error('no MNIST digits in this environment')),
};

export class EngineHost implements EngineApi {
  private session: RunSession | null = null;
  private config: RunConfig | null = null;
  private digits: Digits | null = null;
  private digitsLoading: Promise<Digits> | null = null;
  /** The run's initial weights when they were given (a restored run), not drawn from the seed. */
  private startWeights: LayerParams[] | undefined;
  private backend: BackendReport | null = null;
  /** On a GPU backend, the weights at the last snapshot, to continue elsewhere if the device is lost. */
  private checkpoint: { step: number; params: LayerParams[] } | null = null;
  private sweepCancelled = false;

  private readonly deps: HostDependencies;

  constructor(deps: Partial<HostDependencies> = {}) {
    this.deps = { ...DEFAULT_DEPENDENCIES, ...deps };
  }

  async load(input: unknown, resume?: ResumeWeights): Promise<Loaded> {
    const { config, digits } = await prepareRun(parseRun(input), { decodeImage: this.deps.decodeImage, loadDigits: () => this.cachedDigits() });
    const spec = runSpec(config);
    const options: SessionOptions = resume
      ? { initial: weightsFromJson(resume.initial, spec), resumeFrom: { step: resume.step, params: weightsFromJson(resume.current, spec) } }
      : {};
    if (!this.backend || this.backend.requested !== config.backend) this.backend = await this.deps.selectBackend(config.backend);
    // The new run is made before the current one goes: a config it refuses leaves the current run playable.
    const session = this.deps.createSession(config, options, digits);
    this.session?.dispose();
    this.session = session;
    this.digits = digits;
    this.config = config;
    this.startWeights = options.initial;
    const snapshot = await this.session.snapshot();
    await this.keepCheckpoint();
    return { backend: this.backend, trainingPath: this.session.trainingPath, info: this.session.info, snapshot };
  }

  async advance(steps: number): Promise<AdvanceReply> {
    const session = this.requireSession();
    try {
      const result = await session.advance(steps);
      if (result.status !== 'diverged') await this.keepCheckpoint();
      return { result };
    } catch (error) {
      const recovered = await this.recover(error);
      return { result: { status: 'running', snapshot: await this.requireSession().snapshot() }, recovered };
    }
  }

  async params(): Promise<RunParams> {
    const session = this.requireSession();
    // Copies: a backend may hand out its own storage, and the worker transfers these arrays away.
    const copy = (params: readonly LayerParams[]) => params.map((p) => ({ ...p, weights: p.weights.slice(), bias: p.bias.slice() }));
    return { initial: copy(session.initialParams), current: copy(await session.readParams()) };
  }

  async reset(): Promise<Snapshot> {
    const session = this.requireSession();
    session.reset();
    await this.keepCheckpoint();
    return session.snapshot();
  }

  async sweep(
    input: unknown,
    previous: SweepResult | undefined,
    onProgress: (progress: SweepProgress) => void,
    onWidth: (result: SweepResult) => void,
  ): Promise<{ backend: BackendReport; result: SweepResult; cancelled: boolean }> {
    // Before any await: a cancel that arrives while the backend starts must not be forgotten.
    this.sweepCancelled = false;
    const config = parsePhaseDiagram(input);
    if (!this.backend || this.backend.requested !== config.backend) this.backend = await this.deps.selectBackend(config.backend);
    const result = await runPhaseDiagram(config, { previous, onProgress, onWidth, cancelled: () => this.sweepCancelled });
    return { backend: this.backend, result, cancelled: this.sweepCancelled };
  }

  cancelSweep(): void {
    this.sweepCancelled = true;
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
  }

  /** The digits are the same for every run: load them once. */
  private cachedDigits(): Promise<Digits> {
    this.digitsLoading ??= this.deps.loadDigits();
    return this.digitsLoading;
  }

  private requireSession(): RunSession {
    if (!this.session) throw new Error('no experiment loaded');
    return this.session;
  }

  private onGpu(): boolean {
    return !!this.backend && GPU_BACKENDS.includes(this.backend.name);
  }

  private async keepCheckpoint(): Promise<void> {
    if (this.session && this.onGpu()) this.checkpoint = { step: this.session.step, params: await this.session.readParams() };
  }

  /** A failure on a GPU backend moves the run to the next CPU backend from the last snapshot's weights. */
  private async recover(error: unknown): Promise<AdvanceReply['recovered']> {
    if (!this.config || !this.backend || !this.onGpu()) throw error;
    const lost = this.backend.name;
    try {
      this.session?.dispose();
    } catch {
      // A lost device cannot free its buffers; nothing more to do.
    }
    this.session = null;
    this.backend = await this.deps.selectBackend('auto', GPU_BACKENDS);
    const from = this.checkpoint;
    this.session = this.deps.createSession(this.config, { initial: this.startWeights, ...(from ? { resumeFrom: from } : {}) }, this.digits);
    this.checkpoint = null;
    return {
      backend: this.backend,
      trainingPath: this.session.trainingPath,
      message: `${lost} failed (${(error as Error).message}); continued on ${this.backend.name} from step ${from?.step ?? 0} with the weights of that step and a fresh optimizer state`,
    };
  }
}
