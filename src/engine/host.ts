/**
 * The engine as a service: config in, snapshots out, with recovery when a GPU backend fails mid-run. The Web
 * Worker exposes one of these; it has no DOM, so the tests drive it in Node. Every phenomenon, a sweep included,
 * goes through the same load / advance / reset.
 */
import { sizeClass, type ChoiceStore } from '../core/autoChoice';
import { selectBackend, selectMeasured, type BackendName, type BackendReport, type MeasuredModel } from '../core/backend';
import type { BackendPreference } from '../core/config/schema';
import { ConfigError } from '../core/config/validate';
import type { Digits } from '../core/data/mnist';
import type { NamedTensor } from '../core/models/model';
import { SUPERSEDED, yieldToEvents } from '../core/run/turns';
import type { AdamWState } from '../core/train/adamw';
import type { AdvanceResult, Interrupted, RunInfo, RunParams, RunSession, Snapshot, TrainingPath } from '../core/run/types';
import { parseConfig, phenomenonOf, type AnyConfig } from '../phenomena/engine';
import type { RunSources, StartOptions } from '../phenomena/types';

export interface Loaded {
  backend: BackendReport;
  trainingPath: TrainingPath;
  info: RunInfo;
  snapshot: Snapshot;
  /** Units between snapshots and in all. */
  schedule: { every: number; total: number };
  /** The run is at its end (a restored run that had finished). */
  finished: boolean;
}

/** A saved run to go on from (untrusted: its weights are checked against the config's network). */
export interface Resume {
  /** Its last snapshot: where it stopped, and what a run without weights (a sweep) goes on from. */
  last: Snapshot;
  weights?: { initial: unknown; current: unknown };
}

export interface AdvanceReply {
  result: AdvanceResult | Interrupted;
  /** Set when the backend changed under the run (a lost GPU device): what happened, in words. */
  recovered?: { backend: BackendReport; trainingPath: TrainingPath; message: string };
}

export interface EngineApi {
  /**
   * Validates `config` (untrusted) and starts a run at step 0, or goes on from a saved run; replaces any
   * previous run only once the new one has started (a refused config leaves the current run as it was).
   */
  load(config: unknown, resume?: Resume): Promise<Loaded>;
  /** The run's initial weights and those of now (fresh arrays: the worker hands them over without copying). */
  params(): Promise<RunParams>;
  advance(steps: number): Promise<AdvanceReply>;
  /**
   * Stops an advance under way after the step it is taking (it answers `interrupted`): what a pause, a reset or a
   * new config sends first, so none of them waits for an expensive run's interval. (A load under way gives way to
   * a newer load by itself: it is refused as SUPERSEDED.)
   */
  interrupt(): void;
  /** A snapshot of the run where it is (after an interrupted advance: between two scheduled snapshots). */
  snapshot(): Promise<Snapshot>;
  /** Same initial weights, step 0. */
  reset(): Promise<Snapshot>;
  dispose(): void;
}

const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];
/** How long 'auto' times each backend, after one step that compiles and allocates. */
const MEASURE_MS = 300;


export interface HostDependencies extends RunSources {
  selectBackend: (requested: BackendPreference, exclude?: readonly BackendName[]) => Promise<BackendReport>;
  /**
   * Where 'auto' remembers what it measured (the browser's worker: IndexedDB). Absent (Node: no GPU, wasm is
   * fastest), 'auto' takes the first backend that starts and is not software, without timing anything.
   */
  choices?: ChoiceStore;
  selectMeasured: (model: MeasuredModel, store: ChoiceStore) => Promise<BackendReport>;
  /** Starts a run of a prepared config (the phenomenon's own start, unless a test replaces it). */
  start: (config: AnyConfig, sources: RunSources, options: StartOptions) => Promise<RunSession>;
}

const DEFAULT_DEPENDENCIES: HostDependencies = {
  selectBackend,
  selectMeasured,
  start: (config, sources, options) => phenomenonOf(config).start(config, sources, options),
  decodeImage: () => Promise.reject(new Error('no image decoder in this environment')),
  loadDigits: () => Promise.reject(new Error('no MNIST digits in this environment')),
};

/** A run's weights given in a file, checked against the config (a phenomenon without weights takes none). */
export function readWeights(config: AnyConfig, input: unknown): NamedTensor[] {
  const phenomenon = phenomenonOf(config);
  if (!phenomenon.readWeights) throw new ConfigError([`weights: a ${phenomenon.id} run takes no weights`]);
  return phenomenon.readWeights(input, config);
}

/** A saved run's initial or current weights, a problem named where it is in the run file (weights.current.layers.1). */
function readRunWeights(config: AnyConfig, weights: { initial: unknown; current: unknown }, which: 'initial' | 'current'): NamedTensor[] {
  try {
    return readWeights(config, weights[which]);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.problems.map((problem) => problem.replace(/^weights\./, `weights.${which}.`)));
    throw error;
  }
}

export class EngineHost implements EngineApi {
  private session: RunSession | null = null;
  private config: AnyConfig | null = null;
  private digitsLoading: Promise<Digits> | null = null;
  /** The run's initial weights when they were given (a restored run), not drawn from the seed. */
  private startWeights: NamedTensor[] | undefined;
  private backend: BackendReport | null = null;
  /** The phenomenon and size class 'auto' measured the backend on; null: not measured. */
  private measuredFor: string | null = null;
  /** On a GPU backend, the weights at the last snapshot, to continue elsewhere if the device is lost. */
  private checkpoint: { step: number; params: NamedTensor[]; optimizer?: AdamWState } | null = null;
  /** Set by `interrupt`, cleared by the next advance. */
  private stopRequested = false;
  /** Bumped by every load: a load that finds it changed at its turn gives way. */
  private loadGeneration = 0;

  private readonly deps: HostDependencies;
  private readonly sources: RunSources;

  constructor(deps: Partial<HostDependencies> = {}) {
    this.deps = { ...DEFAULT_DEPENDENCIES, ...deps };
    // The digits are the same for every run: load them once.
    this.sources = { decodeImage: this.deps.decodeImage, loadDigits: () => (this.digitsLoading ??= this.deps.loadDigits()) };
  }

  async load(input: unknown, resume?: Resume): Promise<Loaded> {
    const generation = ++this.loadGeneration;
    const parsed = parseConfig(input);
    const config = await phenomenonOf(parsed).prepare(parsed, this.sources);
    const weights = resume?.weights;
    const options: StartOptions = weights
      ? { initial: readRunWeights(config, weights, 'initial'), resumeFrom: { step: resume.last.step, params: readRunWeights(config, weights, 'current') } }
      : { last: resume?.last };
    const { backend, measuredFor } = await this.chooseBackend(config);
    // The new run is made before the current one goes: a config it refuses leaves the current run playable.
    const session = await this.deps.start(config, this.sources, options);
    let snapshot: Snapshot;
    try {
      // An expensive network takes seconds to build and as long again to measure: a newer load or an interrupt
      // that arrived meanwhile is served first, and this one gives way.
      await yieldToEvents();
      if (generation !== this.loadGeneration) throw new Error(SUPERSEDED);
      snapshot = await session.snapshot();
    } catch (error) {
      session.dispose();
      throw error;
    }
    this.session?.dispose();
    this.session = session;
    this.backend = backend;
    this.measuredFor = measuredFor;
    this.config = config;
    this.startWeights = options.initial;
    await this.keepCheckpoint();
    return { backend, trainingPath: session.trainingPath, info: session.info, snapshot, schedule: session.schedule, finished: session.finished };
  }

  async advance(steps: number): Promise<AdvanceReply> {
    const session = this.requireSession();
    try {
      this.stopRequested = false;
      const result = await session.advance(steps, () => this.stopRequested);
      if (result.status === 'running' || result.status === 'done') await this.keepCheckpoint();
      return { result };
    } catch (error) {
      const recovered = await this.recover(error);
      return { result: { status: 'running', snapshot: await this.requireSession().snapshot() }, recovered };
    }
  }

  interrupt(): void {
    this.stopRequested = true;
  }

  snapshot(): Promise<Snapshot> {
    return this.requireSession().snapshot();
  }

  async params(): Promise<RunParams> {
    const session = this.requireSession();
    // Copies: a backend may hand out its own storage, and the worker transfers these arrays away.
    const copy = (params: readonly NamedTensor[]) => params.map((p) => ({ ...p, values: p.values.slice() }));
    return { initial: copy(session.initialParams), current: copy(await session.readParams()) };
  }

  async reset(): Promise<Snapshot> {
    const session = this.requireSession();
    session.reset();
    await this.keepCheckpoint();
    return session.snapshot();
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
  }

  /** The backend for a config: the current one while the request (and, measured, the size of model) is the same. */
  private async chooseBackend(config: AnyConfig): Promise<{ backend: BackendReport; measuredFor: string | null }> {
    const phenomenon = phenomenonOf(config);
    const store = this.deps.choices;
    if (config.backend === 'auto' && store && phenomenon.stepCost) {
      const cost = phenomenon.stepCost(config);
      const key = `${phenomenon.id} ${sizeClass(cost)}`;
      if (this.backend?.requested === 'auto' && this.measuredFor === key) return { backend: this.backend, measuredFor: key };
      return { backend: await this.deps.selectMeasured({ phenomenon: phenomenon.id, cost, measure: () => this.timeSteps(config) }, store), measuredFor: key };
    }
    const same = this.backend?.requested === config.backend;
    return { backend: same && this.backend ? this.backend : await this.deps.selectBackend(config.backend), measuredFor: same ? this.measuredFor : null };
  }

  /** Steps per second of a config's run on the current backend: one step to compile and allocate, then MEASURE_MS of steps and a read-back (a GPU queues its work). */
  private async timeSteps(config: AnyConfig): Promise<number> {
    const session = await this.deps.start(config, this.sources, {});
    try {
      await session.advance(1);
      const [from, start] = [session.step, performance.now()];
      await session.advance(session.schedule.total, () => performance.now() - start >= MEASURE_MS);
      await session.snapshot();
      return (session.step - from) / ((performance.now() - start) / 1000);
    } finally {
      session.dispose();
    }
  }

  private requireSession(): RunSession {
    if (!this.session) throw new Error('no experiment loaded');
    return this.session;
  }

  private onGpu(): boolean {
    return !!this.backend && GPU_BACKENDS.includes(this.backend.name);
  }

  private async keepCheckpoint(): Promise<void> {
    if (!this.session || !this.onGpu()) return;
    const [params, optimizer] = await Promise.all([this.session.readParams(), this.session.readOptimizer?.()]);
    this.checkpoint = { step: this.session.step, params, ...(optimizer ? { optimizer } : {}) };
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
    this.session = await this.deps.start(this.config, this.sources, { initial: this.startWeights, ...(from ? { resumeFrom: from } : {}) });
    this.checkpoint = null;
    return {
      backend: this.backend,
      trainingPath: this.session.trainingPath,
      message: `${lost} failed (${(error as Error).message}); continued on ${this.backend.name} from step ${from?.step ?? 0} with the weights of that step and ${from?.optimizer ? 'its optimizer state' : 'a fresh optimizer state'}`,
    };
  }
}
