/**
 * A sweep split over processes or a cluster's job array: shard i of N trains every N-th cell from the i-th
 * (neighbouring cells, which tend to cost alike, land in different shards), and the merge puts the shards' cells
 * back into one sweep, after checking that the parts belong together.
 */
import { ConfigError } from '../core/config/validate';
import { phenomenonOf, type AnyConfig } from '../phenomena/engine';
import type { SweepCells } from '../phenomena/types';
import type { RunRecord } from './runFile';

export interface Shard {
  /** From 0, as Slurm's SLURM_ARRAY_TASK_ID (with --array=0-(N−1)) and Kubernetes' JOB_COMPLETION_INDEX count. */
  index: number;
  of: number;
  /** The sweep's cells this shard trains. */
  cells: number[];
}

/** The sweep support of a config's phenomenon, or a clear refusal naming the option. */
export function sweepOf(config: AnyConfig, option: string): SweepCells<AnyConfig> {
  const sweep = phenomenonOf(config).sweep;
  if (!sweep) throw new ConfigError([`${option}: applies to sweeps (phase-diagram, grid), not to a ${config.phenomenon} run`]);
  return sweep;
}

/** "i/N" → { index, of }, checked against the sweep's cell count. */
export function parseShard(text: string, cells: number): { index: number; of: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new ConfigError([`--shard: "${text}" is not i/N (the i-th of N parts, counted from 0)`]);
  const [index, of] = [Number(match[1]), Number(match[2])];
  if (of < 1 || index >= of) throw new ConfigError([`--shard: ${text}: i must be 0 … N − 1`]);
  if (of > cells) throw new ConfigError([`--shard: ${text}: the sweep has ${cells} cells, so at most ${cells} parts`]);
  return { index, of };
}

/** Every `of`-th cell from `index`. */
export function shardCells(cells: number, index: number, of: number): number[] {
  return Array.from({ length: Math.ceil((cells - index) / of) }, (_, k) => index + k * of);
}

/** The first path where two JSON values differ, or null. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b) ? null : path || '(config)';
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

const cellList = (cells: readonly number[]) => (cells.length > 8 ? `${cells.slice(0, 8).join(', ')} … (${cells.length})` : cells.join(', '));

/**
 * One sweep from its shards' run files (each already checked by parseRunFile): the same config, the same N, every
 * shard once, each finished. A problem names the file and what to do; a missing shard is named with its cells.
 */
export function mergeShards(parts: readonly { name: string; record: RunRecord }[]): RunRecord {
  if (parts.length === 0) throw new ConfigError(['(merge): no parts given']);
  const [first] = parts;
  const problems: string[] = [];
  for (const { name, record } of parts) {
    if (!record.shard) problems.push(`${name}: not a shard (written without --shard)`);
    const differs = firstDifference(first.record.config, record.config);
    if (differs !== null) problems.push(`${name}: its config differs from ${first.name}'s at ${differs}: not a part of the same sweep`);
  }
  if (problems.length) throw new ConfigError(problems);
  const config = first.record.config;
  const sweep = sweepOf(config, '(merge)');
  const count = sweep.count(config);
  const of = (first.record.shard as Shard).of;
  const owner = new Map<number, string>();
  for (const { name, record } of parts) {
    const shard = record.shard as Shard;
    if (shard.of !== of) problems.push(`${name}: shard ${shard.index}/${shard.of}, but ${first.name} is one of ${of} parts`);
    else if (owner.has(shard.index)) problems.push(`${name}: shard ${shard.index}/${of} is also in ${owner.get(shard.index)}`);
    else owner.set(shard.index, name);
    const last = record.snapshots[record.snapshots.length - 1];
    const progress = sweep.progress(last, shard.cells.length);
    if (record.diverged) problems.push(`${name}: shard ${shard.index}/${of} diverged (${record.diverged.message}): run it again`);
    else if (progress.done < progress.total) problems.push(`${name}: shard ${shard.index}/${of} did not finish (${progress.done} of ${progress.total} done): run it again`);
  }
  const missing = Array.from({ length: of }, (_, i) => i).filter((i) => !owner.has(i));
  for (const i of missing) problems.push(`(merge): shard ${i}/${of} is missing (cells ${cellList(shardCells(count, i, of))}): run it with --shard ${i}/${of}`);
  if (problems.length) throw new ConfigError(problems);
  const last = sweep.merge(
    config,
    parts.map(({ record }) => ({ cells: (record.shard as Shard).cells, last: record.snapshots[record.snapshots.length - 1] })),
  );
  const backends = [...new Set(parts.map(({ record }) => record.backend))];
  return { format: first.record.format, version: first.record.version, config, backend: backends.join(', '), info: first.record.info, snapshots: [last] };
}
