/**
 * A whole run as data: what the headless runner writes, what the app exports and imports (and keeps in
 * IndexedDB). Re-importing a record shows the same views and can train on from its last weights. Version 2
 * keeps every measurement under `metrics` by probe name; version 1 files (the app before the phenomenon
 * registry) are read and converted.
 */
import { z } from 'zod';
import { ConfigError } from '../core/config/validate';
import { snapshotColumns } from '../core/probes/columns';
import type { RunInfo, RunParams, Snapshot } from '../core/run/types';
import type { RunWeightsFiles } from '../core/weights';
import { parseConfig, type AnyConfig } from '../phenomena/engine';

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
}

/** A record with its weights as arrays of floats instead of JSON: how the app keeps its current runs. */
export type PackedRecord = Omit<RunRecord, 'weights'> & { params?: RunParams };

const snapshotSchema = z.object({ step: z.number().int().min(0), loss: z.number().nullable(), metrics: z.record(z.string(), z.unknown()) }).strict();
const layerSchema = z.object({ weights: z.array(z.array(z.number())), bias: z.array(z.number()) });
const tensorSchema = z.object({ name: z.string(), shape: z.array(z.number().int().min(0)), values: z.array(z.number()) });
const weightsFileSchema = z.union([z.object({ layers: z.array(layerSchema) }), z.object({ tensors: z.array(tensorSchema) })]);
const recordSchema = z
  .object({
    format: z.literal(RUN_FILE_FORMAT),
    version: z.literal(RUN_FILE_VERSION),
    config: z.unknown(),
    backend: z.string(),
    info: z.object({ parameterCount: z.number() }).passthrough(),
    snapshots: z.array(snapshotSchema).min(1),
    diverged: z.object({ step: z.number(), message: z.string() }).optional(),
    weights: z.object({ initial: weightsFileSchema, current: weightsFileSchema }).optional(),
  })
  .strict();

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

/** One record, or `{ runs: [...] }` (a page's runs): validated, the config by its own schema; version 1 converted. */
export function parseRunFile(input: unknown): RunRecord[] {
  const list = (input as { runs?: unknown } | null)?.runs ?? [input];
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(['(file): not a run file: no runs']);
  return list.map((item, i) => {
    const result = recordSchema.safeParse(fromVersion1(item));
    const where = list.length > 1 ? `runs.${i}.` : '';
    if (!result.success) throw new ConfigError(result.error.issues.map((issue) => `${where}${issue.path.join('.') || '(file)'}: ${issue.message}`));
    return { ...(result.data as unknown as RunRecord), config: parseConfig(result.data.config) };
  });
}

/** One row per snapshot (and run): step, loss and every measurement that has columns (probes/columns.ts). */
export function recordsToCsv(records: readonly RunRecord[]): string {
  const rows = records.flatMap((record, run) => record.snapshots.map((snapshot) => ({ run, step: snapshot.step, columns: new Map(snapshotColumns(snapshot, record.info)) })));
  const names = [...new Set(rows.flatMap((row) => [...row.columns.keys()]))];
  const lines = rows.map((row) => [row.run, row.step, ...names.map((name) => row.columns.get(name) ?? '')].join(','));
  return [['run', 'step', ...names].join(','), ...lines].join('\n') + '\n';
}
