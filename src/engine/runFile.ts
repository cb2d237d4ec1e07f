/**
 * A whole run as data: what the headless runner writes, what the app exports and imports (and keeps in
 * IndexedDB). Re-importing a record shows the same views and can train on from its last weights. Version 2
 * keeps every measurement under `metrics` by probe name; version 1 files (the app before the phenomenon
 * registry) are read and converted.
 */
import { z } from 'zod';
import { ConfigError } from '../core/config/validate';
import { FLOAT32_MAX } from '../core/data/function1d';
import { snapshotColumns } from '../core/probes/columns';
import type { RunInfo, RunParams, Snapshot } from '../core/run/types';
import type { RunWeightsFiles } from '../core/weights';
import { parseConfig, phenomenonOf, type AnyConfig } from '../phenomena/engine';
import { shardCells, type Shard } from './shards';

export const RUN_FILE_FORMAT = 'phenomena-explorer-run';
export const RUN_FILE_VERSION = 2;

export interface RunRecord {
  format: typeof RUN_FILE_FORMAT;
  version: typeof RUN_FILE_VERSION;
  config: AnyConfig;
  backend: string;
  info: RunInfo;
  snapshots: Snapshot[];
  /** Set when the run stopped early because the loss stopped being finite. */
  diverged?: { step: number; message: string };
  /** The weights at step 0 and at the last snapshot (absent for a run without weights, a sweep). */
  weights?: RunWeightsFiles;
  /** A sweep's part (`--shard i/N`): its cells only; `npm run merge` makes the whole sweep of the parts. */
  shard?: Shard;
}

/** A record with its weights as arrays of floats instead of JSON: how the app keeps its current runs. */
export type PackedRecord = Omit<RunRecord, 'weights'> & { params?: RunParams };

/** Measures as JSON writes them: a value that stopped being finite (a diverged run) is null. */
const numbers = z.array(z.number().nullable());
// Every object is strict: a file carries what the app writes and nothing else (unknown fields, however deep, are named).
const snapshotSchema = z.object({ step: z.number().int().min(0), loss: z.number().nullable(), metrics: z.record(z.string(), z.unknown()) }).strict();
const layerSchema = z.object({ weights: z.array(numbers), bias: numbers }).strict();
const tensorSchema = z.object({ name: z.string().max(200), shape: z.array(z.number().int().min(0)), values: numbers }).strict();
// An MLP's layers or any model's tensors (one of them): as an object, so a problem inside either is named by its path.
const weightsFileSchema = z
  .object({ layers: z.array(layerSchema).optional(), tensors: z.array(tensorSchema).optional() })
  .strict()
  .refine((file) => (file.layers === undefined) !== (file.tensors === undefined), { message: 'needs either layers or tensors' });
const recordSchema = z
  .object({
    format: z.literal(RUN_FILE_FORMAT),
    version: z.literal(RUN_FILE_VERSION),
    config: z.unknown(),
    backend: z.string().max(64),
    info: z.unknown(),
    snapshots: z.array(snapshotSchema).min(1),
    diverged: z.object({ step: z.number().int().min(0), message: z.string().max(2000) }).strict().optional(),
    weights: z.object({ initial: weightsFileSchema, current: weightsFileSchema }).strict().optional(),
    shard: z.object({ index: z.number().int().min(0), of: z.number().int().min(1), cells: z.array(z.number().int().min(0)) }).strict().optional(),
  })
  .strict();

/** The first layer or tensor with a value that is not a finite float32, or −1. */
function nonFinite(file: z.infer<typeof weightsFileSchema>): number {
  const finite = (values: (number | null)[]) => values.every((v) => v !== null && Math.abs(v) <= FLOAT32_MAX);
  return file.layers ? file.layers.findIndex((layer) => !finite([...layer.weights.flat(), ...layer.bias])) : (file.tensors ?? []).findIndex((tensor) => !finite(tensor.values));
}

/** Version 1 kept the output, the curve and a condensation run's neurons beside `metrics`: they are measurements by name now. Other input is returned as it is. */
export function fromVersion1(item: unknown): unknown {
  const record = item as { version?: unknown; snapshots?: unknown } | null;
  if (record?.version !== 1 || !Array.isArray(record.snapshots)) return item;
  const snapshots = record.snapshots.map((snapshot: unknown) => {
    if (snapshot === null || typeof snapshot !== 'object') return snapshot;
    const { step, loss, output, curve, neurons, metrics, ...rest } = snapshot as Record<string, unknown>;
    const views = Object.entries({ output, curve, neurons }).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0));
    return { step, loss, ...rest, metrics: { ...(metrics as object), ...Object.fromEntries(views) } };
  });
  return { ...record, version: RUN_FILE_VERSION, snapshots };
}

/**
 * One record, or `{ runs: [...] }` (a page's runs), of today's version or version 1 (converted): the file's
 * structure, the config by its phenomenon's schema, the info and every measurement by what that phenomenon's runs
 * write, and the record against itself (steps increasing and within the run, measures matching the run's info,
 * finite weights where the run did not diverge). Every problem names its field.
 */
export function parseRunFile(input: unknown): RunRecord[] {
  const list = (input as { runs?: unknown } | null)?.runs ?? [input];
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(['(file): not a run file: no runs']);
  return list.map((item, i) => {
    const where = list.length > 1 ? `runs.${i}.` : '';
    const result = recordSchema.safeParse(fromVersion1(item));
    if (!result.success) throw new ConfigError(result.error.issues.map((issue) => `${where}${issue.path.join('.') || '(file)'}: ${issue.message}`));
    const record = result.data;
    let config: AnyConfig;
    try {
      config = parseConfig(record.config);
    } catch (error) {
      throw error instanceof ConfigError ? new ConfigError(error.problems.map((p) => `${where}config${p.startsWith('(config)') ? p.slice('(config)'.length) : `.${p}`}`)) : error;
    }
    const phenomenon = phenomenonOf(config);
    const schema = phenomenon.record;
    const problems: string[] = [];
    const problem = (path: string, message: string) => problems.push(`${where}${path}: ${message}`);
    const info = schema.info.safeParse(record.info);
    if (!info.success) info.error.issues.forEach((issue) => problem(['info', ...issue.path].join('.'), issue.message));
    const steps = phenomenon.length(config);
    record.snapshots.forEach((snapshot, s) => {
      const at = `snapshots.${s}`;
      if (s > 0 && snapshot.step <= record.snapshots[s - 1].step) problem(`${at}.step`, `steps must increase (${record.snapshots[s - 1].step}, then ${snapshot.step})`);
      if (snapshot.step > steps) problem(`${at}.step`, `${snapshot.step} is past the run's ${steps} steps`);
      const metrics = schema.metrics.safeParse(snapshot.metrics);
      if (!metrics.success) metrics.error.issues.forEach((issue) => problem([at, 'metrics', ...issue.path].join('.'), issue.message));
      else if (info.success) for (const [path, message] of schema.contradictions?.(info.data as never, snapshot as Snapshot) ?? []) problem(`${at}.${path}`, message);
    });
    // The initial weights always were finite; the current ones only in a run that did not diverge.
    const { initial, current } = record.weights ?? {};
    const badInitial = initial ? nonFinite(initial) : -1;
    if (badInitial >= 0) problem(`weights.initial.${initial?.layers ? 'layers' : 'tensors'}.${badInitial}`, 'has a value that is not a finite float32');
    const badCurrent = current && !record.diverged ? nonFinite(current) : -1;
    if (record.shard) {
      const { index, of, cells } = record.shard;
      const sweep = phenomenon.sweep;
      if (!sweep) problem('shard', `a ${config.phenomenon} run is not a sweep`);
      else if (index >= of || of > sweep.count(config)) problem('shard', `${index}/${of} is not a shard of a sweep of ${sweep.count(config)} cells`);
      else if (JSON.stringify(cells) !== JSON.stringify(shardCells(sweep.count(config), index, of))) problem('shard.cells', `not the cells of shard ${index}/${of}`);
    }
    if (badCurrent >= 0) problem(`weights.current.${current?.layers ? 'layers' : 'tensors'}.${badCurrent}`, 'has a value that is not a finite float32 (and the run did not diverge)');
    if (problems.length) throw new ConfigError(problems);
    return { ...(record as unknown as RunRecord), config };
  });
}

/** Like parseRunFile, but reads JSON text first so a truncated or broken file is reported the same way. */
export function readRunFile(text: string): RunRecord[] {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`(file): not valid JSON: ${(error as Error).message}`]);
  }
  return parseRunFile(input);
}

/** One row per snapshot (and run): step, loss and every measurement that has columns (probes/columns.ts). */
export function recordsToCsv(records: readonly RunRecord[]): string {
  const rows = records.flatMap((record, run) => record.snapshots.map((snapshot) => ({ run, step: snapshot.step, columns: new Map(snapshotColumns(snapshot, record.info)) })));
  const names = [...new Set(rows.flatMap((row) => [...row.columns.keys()]))];
  const lines = rows.map((row) => [row.run, row.step, ...names.map((name) => row.columns.get(name) ?? '')].join(','));
  return [['run', 'step', ...names].join(','), ...lines].join('\n') + '\n';
}
