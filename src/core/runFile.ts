/**
 * A whole run as data: what the headless runner writes, what the app exports and imports (and keeps in
 * IndexedDB). Re-importing a record shows the same views and can train on from its last weights.
 */
import { z } from 'zod';
import { ConfigError, parseRun, type RunConfig } from './config/validate';
import type { ExperimentInfo, Snapshot } from './train/session';
import type { RunParams, RunWeightsFiles } from './weights';

export const RUN_FILE_FORMAT = 'phenomena-explorer-run';

export interface RunRecord {
  format: typeof RUN_FILE_FORMAT;
  version: 1;
  config: RunConfig;
  backend: string;
  info: ExperimentInfo;
  snapshots: Snapshot[];
  /** Set when the run stopped early because the loss stopped being finite. */
  diverged?: { step: number; message: string };
  /** The weights at step 0 and at the last snapshot. */
  weights?: RunWeightsFiles;
}

/** A record with its weights as arrays of floats instead of JSON: how the app keeps its current runs. */
export type PackedRecord = Omit<RunRecord, 'weights'> & { params?: RunParams };

const numbers = z.array(z.number().nullable());
const snapshotSchema = z
  .object({
    step: z.number().int().min(0),
    loss: z.number().nullable(),
    output: numbers,
    curve: numbers,
    metrics: z.object({ frequency: z.object({ k: z.array(z.number()), relError: numbers }).passthrough(), outputAmplitude: numbers }).passthrough(),
  })
  .passthrough();
const layerSchema = z.object({ weights: z.array(z.array(z.number())), bias: z.array(z.number()) });
const recordSchema = z
  .object({
    format: z.literal(RUN_FILE_FORMAT),
    version: z.literal(1),
    config: z.unknown(),
    backend: z.string(),
    info: z.object({ inputs: z.number(), peaks: z.array(z.number()), frequencies: z.array(z.number()), parameterCount: z.number() }).passthrough(),
    snapshots: z.array(snapshotSchema).min(1),
    diverged: z.object({ step: z.number(), message: z.string() }).optional(),
    weights: z.object({ initial: z.object({ layers: z.array(layerSchema) }), current: z.object({ layers: z.array(layerSchema) }) }).optional(),
  })
  .strict();

/** One record, or `{ runs: [...] }` (a page's runs): validated, the config by its own schema. */
export function parseRunFile(input: unknown): RunRecord[] {
  const list = (input as { runs?: unknown } | null)?.runs ?? [input];
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(['(file): not a run file: no runs']);
  return list.map((item, i) => {
    const result = recordSchema.safeParse(item);
    const where = list.length > 1 ? `runs.${i}.` : '';
    if (!result.success) throw new ConfigError(result.error.issues.map((issue) => `${where}${issue.path.join('.') || '(file)'}: ${issue.message}`));
    return { ...(result.data as unknown as RunRecord), config: parseRun(result.data.config) };
  });
}

/** One row per snapshot (and run): step, loss, the error at each peak or band, and what else the run measures. */
export function recordsToCsv(records: readonly RunRecord[]): string {
  /** Per record, once: each measure's column and how to read it from a snapshot. */
  const measures = records.map((record) => {
    const { peaks, bandEdges, deltas = [] } = record.info;
    const columns: [string, (s: Snapshot) => number | undefined][] = peaks.map((k, i) => [bandEdges ? `relError_band${k}` : `relError_k${k}`, (s) => s.metrics.frequency.relError[i]]);
    deltas.forEach((d, i) => {
      columns.push([`eLow_delta${d}`, (s) => s.metrics.filtering?.low[i]], [`eHigh_delta${d}`, (s) => s.metrics.filtering?.high[i]]);
    });
    return columns;
  });
  const header = ['run', 'step', 'loss', 'modelLoss', 'directions', 'rd', ...new Set(measures.flat().map(([name]) => name))];
  const rows = records.flatMap((record, r) =>
    record.snapshots.map((s) => {
      const values: Record<string, number | undefined> = { run: r, step: s.step, loss: s.loss, modelLoss: s.metrics.modelLoss?.value, directions: s.metrics.condensation?.directions, rd: s.metrics.condensation?.rd };
      for (const [name, read] of measures[r]) values[name] = read(s);
      return header.map((name) => values[name] ?? '').join(',');
    }),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
