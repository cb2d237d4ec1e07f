/**
 * A whole run as data: what the headless runner writes, what the app exports and imports (and keeps in
 * IndexedDB). Re-importing a record shows the same views and can train on from its last weights.
 */
import { z } from 'zod';
import { LOSSES } from './config/schema';
import { ConfigError, parseRun, type RunConfig } from './config/validate';
import { FLOAT32_MAX } from './data/function1d';
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

/** Measures as JSON writes them: a value that stopped being finite (a diverged run) is null. */
const numbers = z.array(z.number().nullable());
// Every object is strict: a file carries what the app writes and nothing else (unknown fields, however deep, are named).
const condensationSchema = z
  .object({
    angle: numbers,
    polar: numbers.optional(),
    amplitude: numbers,
    directions: z.number().int().min(0),
    directionsCapped: z.boolean(),
    directionAngles: numbers,
    directionPolar: numbers.optional(),
    rd: z.number().nullable(),
  })
  .strict();
const snapshotSchema = z
  .object({
    step: z.number().int().min(0),
    loss: z.number().nullable(),
    output: numbers,
    curve: numbers,
    metrics: z
      .object({
        frequency: z.object({ k: z.array(z.number()), relError: numbers }).strict(),
        modelLoss: z.object({ value: z.number().nullable(), training: z.enum(LOSSES) }).strict().optional(),
        outputAmplitude: numbers,
        filtering: z.object({ low: numbers, high: numbers }).strict().optional(),
        condensation: condensationSchema.optional(),
      })
      .strict(),
    neurons: z.object({ w: numbers, b: numbers, a: numbers.optional() }).strict().optional(),
  })
  .strict();
const layerSchema = z.object({ weights: z.array(numbers), bias: numbers }).strict();
const weightsSchema = z.object({ layers: z.array(layerSchema) }).strict();
const infoSchema = z
  .object({
    inputs: z.number().int().positive(),
    x: z.array(z.number()),
    target: z.array(z.number()),
    curveX: z.array(z.number()),
    curveTarget: z.array(z.number()),
    frequencies: z.array(z.number()),
    targetAmplitude: z.array(z.number()),
    peaks: z.array(z.number()),
    deltas: z.array(z.number()).optional(),
    // The last band edge is Infinity, which JSON writes as null.
    bandEdges: numbers.optional(),
    parameterCount: z.number().int().positive(),
  })
  .strict();
const recordSchema = z
  .object({
    format: z.literal(RUN_FILE_FORMAT),
    version: z.literal(1),
    config: z.unknown(),
    backend: z.string().max(64),
    info: infoSchema,
    snapshots: z.array(snapshotSchema).min(1),
    diverged: z.object({ step: z.number().int().min(0), message: z.string().max(2000) }).strict().optional(),
    weights: z.object({ initial: weightsSchema, current: weightsSchema }).strict().optional(),
  })
  .strict()
  .superRefine((record, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { info, snapshots } = record;
    snapshots.forEach((snapshot, i) => {
      if (i > 0 && snapshot.step <= snapshots[i - 1].step) problem(['snapshots', i, 'step'], `steps must increase (${snapshots[i - 1].step}, then ${snapshot.step})`);
      if (snapshot.output.length !== info.target.length) problem(['snapshots', i, 'output'], `has ${snapshot.output.length} values; the run has ${info.target.length} points`);
      if (snapshot.curve.length !== info.curveX.length) problem(['snapshots', i, 'curve'], `has ${snapshot.curve.length} values; the run draws ${info.curveX.length}`);
      const { k, relError } = snapshot.metrics.frequency;
      if (k.length !== info.peaks.length || relError.length !== info.peaks.length) problem(['snapshots', i, 'metrics', 'frequency'], `needs one k and one error per peak (${info.peaks.length})`);
    });
    // The initial weights always were finite; the current ones only in a run that did not diverge.
    const nonFinite = (weights: z.infer<typeof weightsSchema>) => weights.layers.findIndex((layer) => ![...layer.weights.flat(), ...layer.bias].every((v) => v !== null && Math.abs(v) <= FLOAT32_MAX));
    const { initial, current } = record.weights ?? {};
    const badInitial = initial ? nonFinite(initial) : -1;
    if (badInitial >= 0) problem(['weights', 'initial', 'layers', badInitial], 'has a value that is not a finite float32');
    const badCurrent = current && !record.diverged ? nonFinite(current) : -1;
    if (badCurrent >= 0) problem(['weights', 'current', 'layers', badCurrent], 'has a value that is not a finite float32 (and the run did not diverge)');
  });

/** One record, or `{ runs: [...] }` (a page's runs): validated, the config by its own schema and against the record. */
export function parseRunFile(input: unknown): RunRecord[] {
  const list = (input as { runs?: unknown } | null)?.runs ?? [input];
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(['(file): not a run file: no runs']);
  return list.map((item, i) => {
    const result = recordSchema.safeParse(item);
    const where = list.length > 1 ? `runs.${i}.` : '';
    if (!result.success) throw new ConfigError(result.error.issues.map((issue) => `${where}${issue.path.join('.') || '(file)'}: ${issue.message}`));
    let config: RunConfig;
    try {
      config = parseRun(result.data.config);
    } catch (error) {
      throw error instanceof ConfigError ? new ConfigError(error.problems.map((p) => `${where}config${p.startsWith('(config)') ? p.slice('(config)'.length) : `.${p}`}`)) : error;
    }
    const last = result.data.snapshots[result.data.snapshots.length - 1].step;
    if (last > config.train.steps) throw new ConfigError([`${where}snapshots.${result.data.snapshots.length - 1}.step: ${last} is past the run's ${config.train.steps} steps`]);
    return { ...(result.data as unknown as RunRecord), config };
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
