/**
 * The page's handle on a run in the worker: { play, pause, step, reset, reseed, dispose }. Training and
 * rendering run on separate clocks: the loop asks the worker for the next snapshot as soon as the previous
 * one arrives, and the charts get the snapshots that arrived at most every third frame (the CPU step can send a
 * hundred a second, and drawing every one would keep the page's thread busy), and at once when the run stops.
 */
import * as Comlink from 'comlink';
import type { BackendReport } from '../core/backend';
import type { RunInfo, Snapshot, TrainingPath } from '../core/run/types';
import { problemText } from '../core/config/validate';
import { runParamsToJson } from '../core/weights';
import { SUPERSEDED } from '../core/run/turns';
import type { AdvanceReply, EngineApi, Loaded } from '../engine/host';
import { RUN_FILE_FORMAT, RUN_FILE_VERSION, type PackedRecord, type RunRecord } from '../engine/runFile';
import { phenomenonOf, type AnyConfig } from '../phenomena/engine';
import type { RunEvent } from '../phenomena/types';
import EngineWorker from '../worker/engine.worker.ts?worker';
import { lastAtOrBefore } from './charts/hover';

/**
 * The charts draw at most this often while a run plays (every third frame of a 60 Hz screen, 20 times a second):
 * a redraw of a page's charts costs 10–15 ms of the page's CPU, so every other frame kept it 40 % busy.
 */
const CHART_INTERVAL_MS = 50;

export type RunStatus = 'loading' | 'paused' | 'playing' | 'done' | 'diverged' | 'error';

/** An event's identity: the same step and words (events are stable as snapshots arrive). */
const eventKey = (event: RunEvent): string => `${event.step}\u0000${event.label}`;

export class Runner<C extends AnyConfig = AnyConfig, I extends RunInfo = RunInfo> {
  status = $state<RunStatus>('loading');
  backend = $state.raw<BackendReport | null>(null);
  trainingPath = $state<TrainingPath | null>(null);
  info = $state.raw<I | null>(null);
  /** Steps (a sweep: its units) between snapshots and in all. */
  schedule = $state.raw<{ every: number; total: number } | null>(null);
  /** Every snapshot of the run (export, saving, the timeline), and the newest. */
  recorded = $state.raw<Snapshot[]>([]);
  private latest = $state.raw<Snapshot | null>(null);
  /** The snapshot the timeline shows (an index into `recorded`), or null: the newest, live. */
  cursor = $state<number | null>(null);
  /** The snapshot under the pointer on a chart over steps (an index into `recorded`), shown while it is hovered. */
  hovered = $state<number | null>(null);
  /** What the charts show: the chosen snapshot and the history up to it (live: the newest and all); a hovered one instead of the chosen. */
  readonly snapshot = $derived(this.recorded[this.hovered ?? this.cursor ?? -1] ?? this.latest);
  readonly snapshots = $derived(this.cursor === null ? this.recorded : this.recorded.slice(0, this.cursor + 1));
  /** The phenomenon's events over every recorded snapshot (the timeline's marks), in step order. */
  events = $state.raw<RunEvent[]>([]);
  /** The events the latest snapshots brought as the run trained (a call-out shows them); `id` counts the call-outs. */
  called = $state.raw<{ events: RunEvent[]; id: number } | null>(null);
  /** Set (pause on events): playing stops at the first snapshot that brings an event, which is handed to it. */
  onEvent: ((event: RunEvent) => void) | null = null;
  /** Training steps per second while playing, measured as the charts get snapshots (0 when not playing). */
  rate = $state(0);
  /** Milliseconds to wait after each snapshot (slow motion), or 0: full speed. */
  pace = 0;
  /** An error or event the user must read (divergence, lost GPU, rejected config). */
  message = $state<string | null>(null);
  config = $state.raw<C | null>(null);
  /** The phenomenon's headline number at the snapshot shown. */
  readonly headline = $derived(this.config && this.info && this.snapshot ? phenomenonOf(this.config).headline(this.snapshot, { config: this.config, info: this.info }) : null);
  /** Wall time a step of this run (its snapshots' share included), as last measured; null until it has trained. */
  secondsPerStep = $state<number | null>(null);

  private readonly worker: Worker;
  private readonly api: Comlink.Remote<EngineApi>;
  private playing = false;
  private loop: Promise<void> | null = null;
  /** Snapshots the charts have not been given yet, the frame that will give them, and when they last got some. */
  private arrived: Snapshot[] = [];
  private frame: number | null = null;
  private shownAt = 0;
  /** The step the worker's run is at, to measure the rate of the next advance. */
  private workerStep = 0;
  private rateFrom: { time: number; step: number } | null = null;
  /** Where and why the run diverged: kept in its record, so a reload or an export shows it as it was. */
  private diverged: { step: number; message: string } | null = null;
  /** The worker's run stopped between two snapshots (a pause interrupted its interval): the page has not seen where. */
  private interrupted = false;

  constructor() {
    // The worker's name carries the page's base URL, against which it fetches images served with the app.
    this.worker = new EngineWorker({ name: document.baseURI });
    this.api = Comlink.wrap<EngineApi>(this.worker);
  }

  /**
   * Starts a fresh run of `config`; resolves to whether the engine accepted it. On a refused config the previous
   * run stays as it was, paused where it was playing.
   */
  async load(config: C): Promise<boolean> {
    await this.stop();
    const previous = this.status;
    this.status = 'loading';
    try {
      const loaded = await this.api.load(config);
      this.config = config;
      this.accept(loaded);
      this.secondsPerStep = null;
      this.message = null;
      this.restart(loaded.snapshot);
      return true;
    } catch (error) {
      // A newer load overtook this one: the page asked for that instead, and it sets the status.
      if ((error as Error).message === SUPERSEDED) return false;
      this.message = problemText(error);
      this.status = this.snapshot ? (previous === 'loading' || previous === 'playing' ? 'paused' : previous) : 'error';
      await this.catchUp();
      return false;
    }
  }

  play(): void {
    if (this.status !== 'paused') return;
    this.cursor = this.hovered = null;
    this.rateFrom = null;
    this.playing = true;
    this.status = 'playing';
    this.loop = this.run();
  }

  /**
   * Takes effect within a tenth of a second of training, however long the interval and the step: a step of a huge
   * network is dropped midway (the run stays at the step before it); the page then shows where the run stopped.
   */
  async pause(): Promise<void> {
    await this.stop();
    // Where the run stopped is shown before it reads as paused, so the step beside "paused" is the run's.
    await this.catchUp();
    if (this.status === 'playing') this.status = 'paused';
  }

  /** One snapshot interval (train.snapshotEvery steps). */
  async step(): Promise<void> {
    if (this.status !== 'paused') return;
    this.cursor = this.hovered = null;
    // Held as the loop, so a reset or a new config meanwhile interrupts it as it would a playing run.
    this.loop = this.advanceOnce().then(() => this.show());
    await this.loop;
  }

  /** Same initial weights, back to step 0. */
  async reset(): Promise<void> {
    await this.stop();
    if (!this.config || this.status === 'loading') return;
    this.restart(await this.api.reset());
  }

  /** The run as a file: config, measures at every snapshot, initial and current weights. */
  async toRecord(): Promise<RunRecord> {
    const { params, ...record } = await this.toPackedRecord();
    return { ...record, ...(params ? { weights: runParamsToJson(params) } : {}) };
  }

  /** The same with the weights as arrays of floats, as the worker hands them over (what the autosave keeps). */
  async toPackedRecord(): Promise<PackedRecord> {
    if (!this.config || !this.info || !this.backend) throw new Error('the run is still loading');
    // With the snapshots the charts have not drawn yet, without drawing them now (saving runs beside training).
    const snapshots = this.arrived.length ? [...this.recorded, ...this.arrived] : this.recorded;
    const params = await this.api.params();
    const diverged = this.diverged ? { diverged: this.diverged } : {};
    return { format: RUN_FILE_FORMAT, version: RUN_FILE_VERSION, config: this.config, backend: this.backend.name, info: this.info, snapshots, ...diverged, ...(params.initial.length ? { params } : {}) };
  }

  /**
   * Shows a saved or imported run as it was, ready to train on from its last weights; a diverged run shows as
   * diverged, and reset takes it back to its initial weights (its last ones are not finite).
   */
  async restore(record: RunRecord): Promise<void> {
    await this.stop();
    this.status = 'loading';
    const last = record.snapshots[record.snapshots.length - 1];
    const { weights, diverged } = record;
    // A diverged run's last weights are not finite: it goes on from its initial ones, at step 0.
    const resume = diverged && weights ? { last: record.snapshots[0], weights: { initial: weights.initial, current: weights.initial } } : { last, weights };
    try {
      const loaded = await this.api.load(record.config, resume);
      this.config = record.config as C;
      this.accept(loaded);
      this.secondsPerStep = null;
      this.workerStep = loaded.snapshot.step;
      // A run goes on where it stopped when its weights came with it (or it needs none, a sweep); a diverged one from its start.
      const resumed = diverged ? !!weights : loaded.snapshot.step === last.step;
      if (!resumed) {
        this.restart(loaded.snapshot);
        this.message = 'the file has no weights: the run starts again from step 0';
        return;
      }
      this.discardArrived();
      this.interrupted = false;
      this.cursor = this.hovered = null;
      this.recorded = record.snapshots;
      this.latest = last;
      this.events = this.eventsOf(this.recorded);
      this.called = null;
      this.diverged = diverged ?? null;
      this.message = diverged?.message ?? null;
      this.status = diverged ? 'diverged' : loaded.finished ? 'done' : 'paused';
    } catch (error) {
      if ((error as Error).message === SUPERSEDED) return;
      this.message = `cannot open the run: ${problemText(error)}`;
      this.status = this.snapshot ? 'paused' : 'error';
      await this.catchUp();
    }
  }

  dispose(): void {
    this.playing = false;
    this.worker.terminate();
  }

  private accept(loaded: Loaded): void {
    this.backend = loaded.backend;
    this.trainingPath = loaded.trainingPath;
    this.info = loaded.info as I;
    this.schedule = loaded.schedule;
  }

  private restart(first: Snapshot): void {
    this.discardArrived();
    this.workerStep = first.step;
    this.interrupted = false;
    this.diverged = null;
    this.cursor = this.hovered = null;
    this.latest = first;
    this.recorded = [first];
    this.events = this.eventsOf(this.recorded);
    this.called = null;
    this.message = null;
    this.status = 'paused';
  }

  /** Ends the play loop; an advance under way stops after its current step (an expensive run's interval can take minutes). */
  private async stop(): Promise<void> {
    this.playing = false;
    if (this.loop) void this.api.interrupt();
    await this.loop;
    this.loop = null;
  }

  /** After an interrupted interval, the snapshot of where the run is, so what the page shows and saves is its weights'. */
  private async catchUp(): Promise<void> {
    if (!this.interrupted) return;
    this.interrupted = false;
    this.receive(await this.api.snapshot());
    this.show();
  }

  private async run(): Promise<void> {
    const known = this.eventsOf([...this.recorded, ...this.arrived]).map(eventKey);
    let found: RunEvent | undefined;
    while (this.playing && (await this.advanceOnce())) {
      // Pausing on events: at the first snapshot that brings one, before the worker trains on.
      if (this.onEvent && (found = this.eventsOf([...this.recorded, ...this.arrived]).find((event) => !known.includes(eventKey(event))))) break;
      // Keep going until paused, done or diverged; in slow motion, a pause after each snapshot.
      if (this.pace > 0) await new Promise((resolve) => setTimeout(resolve, this.pace));
    }
    this.playing = false;
    this.show();
    this.rate = 0;
    if (found) this.onEvent?.(found);
  }

  /** The phenomenon's events over `snapshots` of this run. */
  private eventsOf(snapshots: readonly Snapshot[]): RunEvent[] {
    if (!this.config || !this.info) return [];
    return phenomenonOf(this.config).events?.({ config: this.config, info: this.info, snapshots }) ?? [];
  }

  /** Queues a snapshot for the charts, which get the queue at the first frame CHART_INTERVAL_MS after they last drew. */
  private receive(snapshot: Snapshot): void {
    this.arrived.push(snapshot);
    const atFrame = (time: number) => {
      if (time - this.shownAt < CHART_INTERVAL_MS) this.frame = requestAnimationFrame(atFrame);
      else this.show();
    };
    this.frame ??= requestAnimationFrame(atFrame);
  }

  /** Gives the charts the snapshots that arrived since they last drew. */
  private show(): void {
    const arrived = this.arrived;
    this.discardArrived();
    if (!arrived.length) return;
    this.shownAt = performance.now();
    this.latest = arrived[arrived.length - 1];
    this.recorded = [...this.recorded, ...arrived];
    this.measureRate(this.latest.step);
    const before = this.events.map(eventKey);
    this.events = this.eventsOf(this.recorded);
    const fresh = this.events.filter((event) => !before.includes(eventKey(event)));
    if (fresh.length) this.called = { events: fresh, id: (this.called?.id ?? 0) + 1 };
  }

  /** Steps per second over the last second or so of play (a window, so a slow frame does not make it jump). */
  private measureRate(step: number): void {
    const time = performance.now();
    if (!this.playing || !this.rateFrom || step < this.rateFrom.step) {
      this.rateFrom = this.playing ? { time, step } : null;
      if (!this.playing) this.rate = 0;
      return;
    }
    const seconds = (time - this.rateFrom.time) / 1000;
    if (seconds < 0.5) return;
    this.rate = (step - this.rateFrom.step) / seconds;
    this.rateFrom = { time, step };
  }

  private discardArrived(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.arrived = [];
  }

  /** Returns whether the run can go on. */
  private async advanceOnce(): Promise<boolean> {
    const steps = this.schedule?.every ?? 1;
    let reply: AdvanceReply;
    const started = performance.now();
    try {
      reply = await this.api.advance(steps);
    } catch (error) {
      this.message = `training stopped: ${(error as Error).message}`;
      this.status = 'error';
      return false;
    }
    if (reply.recovered) {
      this.backend = reply.recovered.backend;
      this.trainingPath = reply.recovered.trainingPath;
      this.message = reply.recovered.message;
    }
    const { result } = reply;
    const reached = result.status === 'diverged' || result.status === 'interrupted' ? result.step : result.snapshot.step;
    if (reached > this.workerStep && !reply.recovered) this.secondsPerStep = (performance.now() - started) / 1000 / (reached - this.workerStep);
    this.workerStep = reached;
    if (result.status === 'interrupted') {
      // Stopped inside the step after the snapshot shown (a huge network's step, dropped): the page already shows
      // where the run is, and a snapshot of it would cost a third of such a step.
      this.interrupted = reached !== (this.arrived.at(-1) ?? this.latest)?.step;
      return false;
    }
    if (result.status === 'diverged') {
      this.diverged = { step: result.step, message: result.message };
      this.message = result.message;
      this.status = 'diverged';
      return false;
    }
    this.receive(result.snapshot);
    if (result.status === 'done') {
      this.status = 'done';
      return false;
    }
    return true;
  }
}

/** Several runs driven by one play bar (a comparison), or one run alone. */
export class RunGroup {
  constructor(readonly runners: Runner[]) {}

  get status(): RunStatus {
    const statuses = this.runners.map((r) => r.status);
    if (statuses.includes('loading')) return 'loading';
    if (statuses.includes('playing')) return 'playing';
    if (statuses.includes('paused')) return 'paused';
    return statuses.find((s) => s !== 'done') ?? 'done';
  }

  /** Slow motion: the pause after each snapshot, per speed level (0: full speed); the last level is full speed. */
  static readonly PACES_MS = [1000, 400, 150, 50, 0];
  speedLevel = $state(RunGroup.PACES_MS.length - 1);

  /** Steps per second of the slower run while playing. */
  get rate(): number {
    return Math.min(...this.runners.map((r) => r.rate));
  }

  /** One level slower (delta −1) or faster (+1). */
  setSpeed(delta: number): void {
    this.speedLevel = Math.max(0, Math.min(RunGroup.PACES_MS.length - 1, this.speedLevel + delta));
    this.runners.forEach((r) => (r.pace = RunGroup.PACES_MS[this.speedLevel]));
  }

  /** Whether playing stops by itself when one of the runs' events happens, showing the step it happened at. */
  pauseOnEvent = $state(false);
  /** The event the runs last stopped at (pause on events), until they play again. */
  stoppedAt = $state.raw<RunEvent | null>(null);

  togglePauseOnEvent(): void {
    this.pauseOnEvent = !this.pauseOnEvent;
    this.runners.forEach((r) => (r.onEvent = this.pauseOnEvent ? (event) => void this.stopAt(event) : null));
  }

  /**
   * Pauses every run and shows the event's step: the other run of a comparison, if it was behind, trains on to it
   * (snapshot by snapshot), and a run past it (the other run, or an event found after its step) is shown there.
   */
  private async stopAt(event: RunEvent): Promise<void> {
    await this.pause();
    await Promise.all(
      this.runners.map(async (r) => {
        while (r.status === 'paused' && (r.snapshot?.step ?? event.step) < event.step) await r.step();
      }),
    );
    if (this.runners.some((r) => (r.snapshot?.step ?? 0) > event.step)) await this.showStep(event.step);
    this.stoppedAt = event;
  }

  /** The steps the timeline can show: those every run has recorded. */
  get recordedSteps(): number[] {
    const [first, ...rest] = this.runners.map((r) => r.recorded.map((s) => s.step));
    const last = Math.min(...rest.map((steps) => steps.at(-1) ?? 0), first.at(-1) ?? 0);
    return first.filter((step) => step <= last);
  }

  /** Whether the charts show a chosen snapshot rather than the newest. */
  get scrubbed(): boolean {
    return this.runners.some((r) => r.cursor !== null);
  }

  /** Shows every run at the last snapshot at or before `step` (pausing them: the timeline is for looking back). */
  async showStep(step: number): Promise<void> {
    if (this.status === 'playing') await this.pause();
    // A step chosen on the timeline wins over one hovered before it (the pointer may rest on a chart).
    this.hoverStep(null);
    for (const r of this.runners) {
      const index = lastAtOrBefore(r.recorded.map((s) => s.step), step);
      r.cursor = index < 0 || index === r.recorded.length - 1 ? null : index;
    }
  }

  /** The step under the pointer on a chart over steps (null: none), drawn as a rule on the others. */
  hoveredStep = $state<number | null>(null);

  /**
   * Linked hover: every run's views show its last snapshot at or before `step` while the pointer is there, as the
   * timeline would, but without pausing or cutting the curves short; null lets them show the chosen step again.
   */
  hoverStep(step: number | null): void {
    this.hoveredStep = step;
    for (const r of this.runners) {
      const index = step === null ? -1 : lastAtOrBefore(r.snapshots.map((s) => s.step), step);
      r.hovered = index < 0 ? null : index;
    }
  }

  /** Moves the timeline `delta` snapshots from the step shown; past the newest it is live again. */
  async moveOnTimeline(delta: number): Promise<void> {
    const steps = this.recordedSteps;
    const at = lastAtOrBefore(steps, this.currentStep);
    await this.showStep(steps[Math.max(0, Math.min(steps.length - 1, at + delta))] ?? 0);
  }

  /** Back to the newest snapshots. */
  live(): void {
    this.hoverStep(null);
    this.runners.forEach((r) => (r.cursor = null));
  }

  /** The step every run has reached: the slower run's (the faster one's would claim more than the comparison shows). */
  get currentStep(): number {
    return Math.min(...this.runners.map((r) => r.snapshot?.step ?? 0));
  }

  get total(): number {
    return Math.max(0, ...this.runners.map((r) => r.schedule?.total ?? 0));
  }

  toggle(): void {
    if (this.status === 'playing') void this.pause();
    else this.play();
  }

  play(): void {
    this.stoppedAt = null;
    this.runners.forEach((r) => r.play());
  }

  async pause(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.pause()));
  }

  async step(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.step()));
  }

  async reset(): Promise<void> {
    this.stoppedAt = null;
    await Promise.all(this.runners.map((r) => r.reset()));
  }

  dispose(): void {
    this.runners.forEach((r) => r.dispose());
  }
}
