/**
 * A phenomenon, as the engine knows it: its config schema, its link parameters, how it starts a run (loading
 * tfjs and the build only then, so the page's thread never does), its headless progress line. One entry each in
 * engine.ts; pages are listed in pages.ts.
 */
import type { z } from 'zod';
import type { BackendPreference } from '../core/config/schema';
import type { DecodeImage } from '../core/data/image';
import type { Digits } from '../core/data/mnist';
import type { NamedTensor } from '../core/models/model';
import type { RunOptions } from '../core/run/loop';
import type { RunInfo, RunSession, Snapshot } from '../core/run/types';

/** What a config may name but not carry, loaded by the host (the worker from the app, Node from files). */
export interface RunSources {
  decodeImage: DecodeImage;
  loadDigits: () => Promise<Digits>;
}

/** How a run starts: from given weights, or going on from a saved run (its weights, or its last snapshot for a run that has none, such as a sweep). */
export interface StartOptions extends RunOptions {
  last?: Snapshot;
  /** A sweep's shard: the cells this run trains (indices into the sweep's cells); all when absent. */
  cells?: readonly number[];
}

/** A shard's part of a sweep: the cells it trained and its last snapshot. */
export interface SweepPart {
  cells: readonly number[];
  last: Snapshot;
}

/**
 * What a sweep (a phenomenon whose run trains many independent cells) tells the runner, so its cells can be split
 * over processes or a cluster's job array and merged back. A cell's result must not depend on which other cells
 * trained beside it: then the merged sweep equals the unsharded one, cell for cell.
 */
export interface SweepCells<C> {
  /** How many cells the sweep has. */
  count(config: C): number;
  /** Cells done and in all so far (progress), from a snapshot of a run that trains `cells`. */
  progress(snapshot: Snapshot, cells: number): { done: number; total: number };
  /** The whole sweep's last snapshot from its shards' (together they trained every cell once, to the end). */
  merge(config: C, parts: readonly SweepPart[]): Snapshot;
}

/** What every config has. */
export interface ConfigHeader {
  phenomenon: string;
  name: string;
  description?: string;
  seed: number;
  backend: BackendPreference;
}

/** A moment of a run worth calling out on screen and marking on the timeline: "k = 5 learned", "2 directions". */
export interface RunEvent {
  /** The step it happened at. */
  step: number;
  /** What happened, in a few words. */
  label: string;
}

/** The number a lecturer points at, shown large beside the step counter: Δ_F at the key frequency, the direction count … */
export interface Headline {
  /** What it measures, short: "Δ_F(k = 5)". */
  label: string;
  /** Its value, formatted. */
  value: string;
}

/** What a phenomenon's events and headline read: one run's config, info and snapshots. */
export interface RunView<C, I> {
  config: C;
  info: I;
  snapshots: readonly Snapshot[];
}

export interface Phenomenon<C extends ConfigHeader = ConfigHeader, I extends RunInfo = RunInfo> {
  /** The value of `phenomenon` in its configs and experiment files. */
  readonly id: string;
  readonly schema: z.ZodType<C>;
  /** Link parameter → config path (comparison pages prefix run B's with "b."). */
  readonly links: Readonly<Record<string, string>>;
  /** The config field that `--steps` sets. */
  readonly stepsPath: string;
  /** How many units (steps, a sweep's steps over all its widths) a run of this config takes at most: its schedule's total. */
  length(config: C): number;
  /**
   * What one training step's cost grows with: the network's parameters and the points it trains on (a step costs
   * about their product in multiply-adds), so a page can warn before a config that will train slowly. Absent: the
   * phenomenon's steps cost little whatever its config (a scalar), or are not steps of one network (a sweep).
   */
  stepCost?(config: C): { parameters: number; points: number };
  /** The config with what it names filled in (an image's pixels); the identity where nothing is loaded. */
  prepare(config: C, sources: RunSources): Promise<C>;
  /** A run of a prepared config, on the current tfjs backend. */
  start(config: C, sources: RunSources, options: StartOptions): Promise<RunSession>;
  /** Checks weights given for this config (a weights file, untrusted); throws a ConfigError naming the problem. Absent: the phenomenon takes no weights. */
  readWeights?(input: unknown, config: C): NamedTensor[];
  /** The headless runner's measures for a snapshot (after step and loss). */
  progress(snapshot: Snapshot, config: C): string;
  /**
   * How a grid sweep sums up a finished cell of this phenomenon beyond its CSV columns (probes/columns.ts): the
   * measures it is judged by, and its verdict, a word, read from the summary alone (so a saved grid is judged
   * alike). Absent: the columns alone, no verdict.
   */
  readonly cell?: {
    measures(snapshot: Snapshot): Record<string, number>;
    verdict(summary: Readonly<Record<string, number | null>>): string;
  };
  /** Present for a sweep: its cells can train in shards (`--jobs`, `--shard`) and be merged. */
  readonly sweep?: SweepCells<C>;
  /** What its run files hold, for checking an imported one: the run's info, each measurement by name, and what must agree between them. */
  readonly record: RecordSchema;
  /**
   * The run's events in step order: a pure function of its snapshots so far, stable as more arrive (an event once
   * found keeps its step and label), so the page can call out the new ones and pause on them. An event may be
   * found some snapshots after its step (a jump needs the steps after it): it is dated where it happened.
   */
  events?(run: RunView<C, I>): RunEvent[];
  /** The headline number at a snapshot (the one the page shows), or null where there is none yet. */
  headline(snapshot: Snapshot, run: Omit<RunView<C, I>, 'snapshots'>): Headline | null;
}

export interface RecordSchema {
  info: z.ZodType;
  /** Every measurement its snapshots may carry (an unknown one is refused). */
  metrics: z.ZodObject;
  /** Where a snapshot contradicts the run's info: [path inside the snapshot, message]. */
  contradictions?(info: never, snapshot: Snapshot): [string, string][];
}

/** A phenomenon with the type of its config left open (the registry's list). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPhenomenon = Phenomenon<any, any>;
